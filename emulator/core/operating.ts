/**
 * The resource limit of b24restdocs `limits.md` ("Resource Consumption Limits"): the execution
 * time of each method is summed over a sliding 10-minute window; once the sum passes 480 s the
 * method answers 429 OPERATION_TIME_LIMIT (for every app and webhook of the portal) until enough
 * of the window has passed. `time.operating` reports the sum, `time.operating_reset_at` when the
 * oldest part of it is released. `scale` multiplies measured time (a dev/test knob, 1 = real).
 */
export const OPERATING_WINDOW_SEC = 600
export const OPERATING_LIMIT_SEC = 480

interface Entry {
  at: number
  cost: number
}

export class OperatingMeter {
  scale = 1
  private readonly byMethod = new Map<string, Entry[]>()

  private live(method: string, nowMs: number): Entry[] {
    const list = (this.byMethod.get(method) ?? []).filter((e) => e.at > nowMs - OPERATING_WINDOW_SEC * 1000)
    this.byMethod.set(method, list)
    return list
  }

  /** Seconds of execution time counted for the method in the current window. */
  operating(method: string, nowMs = Date.now()): number {
    return this.live(method, nowMs).reduce((s, e) => s + e.cost, 0)
  }

  /** Unix time (s) at which the oldest counted part of the window is released. */
  resetAt(method: string, nowMs = Date.now()): number {
    const first = this.live(method, nowMs)[0]
    return Math.floor(((first?.at ?? nowMs) + OPERATING_WINDOW_SEC * 1000) / 1000)
  }

  blocked(method: string, nowMs = Date.now()): boolean {
    return this.operating(method, nowMs) > OPERATING_LIMIT_SEC
  }

  /** Counts one execution of `durationMs` (at least 1 ms, so a scaled cost is never zero). */
  record(method: string, durationMs: number, nowMs = Date.now()): void {
    const cost = (Math.max(1, durationMs) / 1000) * this.scale
    this.live(method, nowMs).push({ at: nowMs, cost })
  }

  reset(): void {
    this.byMethod.clear()
  }

  snapshot(): Record<string, number> {
    const now = Date.now()
    return Object.fromEntries([...this.byMethod.keys()].map((m) => [m, this.operating(m, now)]).filter(([, v]) => (v as number) > 0))
  }
}
