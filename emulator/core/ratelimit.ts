import type { RateLimitConfig } from './types.ts'

/**
 * Bitrix24's per-portal leaky bucket: every call adds one, the bucket drains `drainPerSec`,
 * a call that finds it above `burst` gets 503 QUERY_LIMIT_EXCEEDED (and is not counted).
 */
export class LeakyBucket {
  private level = 0
  private at = Date.now()

  constructor(private readonly config: RateLimitConfig) {}

  /** true when the call may run. */
  take(now = Date.now()): boolean {
    if (!this.config.enabled) return true
    this.level = Math.max(0, this.level - (Math.max(0, now - this.at) / 1000) * this.config.drainPerSec)
    this.at = Math.max(this.at, now)
    if (this.level + 1 > this.config.burst) return false
    this.level += 1
    return true
  }

  reset(): void {
    this.level = 0
    this.at = Date.now()
  }

  get current(): number {
    return this.level
  }
}
