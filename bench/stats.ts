/** Medians with their spread: the machines are shared and noisy, so one number never stands alone. */
export interface Summary {
  median: number
  min: number
  max: number
  runs: number
}

/** A result key's value: an exact number (requests, bytes, ratios) or a timing summary. */
export type Metric = number | Summary | string

export type Metrics = Record<string, Metric>

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

const round = (n: number, digits = 0) => {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

export function summary(xs: number[], digits = 0): Summary {
  if (xs.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 }
  return { median: round(median(xs), digits), min: round(Math.min(...xs), digits), max: round(Math.max(...xs), digits), runs: xs.length }
}

/** Ratio of two medians, two decimals. */
export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b, 2) : Number.NaN
}

export function isSummary(m: Metric): m is Summary {
  return typeof m === 'object' && m !== null && 'median' in m
}

/** Times fn `runs` times (sequentially) and summarises. */
export async function time(runs: number, fn: () => Promise<unknown>, digits = 1): Promise<Summary> {
  const xs: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = performance.now()
    await fn()
    xs.push(performance.now() - s)
  }
  return summary(xs, digits)
}
