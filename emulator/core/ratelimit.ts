import type { RateLimitConfig } from './types.ts'

/**
 * Bitrix24's leaky bucket (b24restdocs `limits.md`, "Request Intensity Limits"): every request
 * adds one, the bucket drains `drainPerSec`, a request that finds it above `burst` gets 503
 * QUERY_LIMIT_EXCEEDED (and is not counted). A `batch` is one request.
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

/** Tariff profiles from `limits.md`: Enterprise drains 5/s and blocks above 250, the others 2/s and 50. */
export const RATE_PROFILES = {
  standard: { drainPerSec: 2, burst: 50 },
  enterprise: { drainPerSec: 5, burst: 250 },
} as const

export type RateProfile = keyof typeof RATE_PROFILES

export function isRateProfile(v: unknown): v is RateProfile {
  return v === 'standard' || v === 'enterprise'
}

/**
 * One bucket per portal and caller IP: Bitrix24 "only considers the IP address from which the
 * REST request is made" (`limits.md`), so every user and app behind one address shares it.
 */
export class PortalBuckets {
  private readonly byIp = new Map<string, LeakyBucket>()

  constructor(private readonly config: RateLimitConfig) {}

  take(ip: string, now = Date.now()): boolean {
    let bucket = this.byIp.get(ip)
    if (!bucket) {
      bucket = new LeakyBucket(this.config)
      this.byIp.set(ip, bucket)
    }
    return bucket.take(now)
  }

  reset(): void {
    this.byIp.clear()
  }

  levels(): Record<string, number> {
    return Object.fromEntries([...this.byIp].map(([ip, b]) => [ip, b.current]))
  }
}
