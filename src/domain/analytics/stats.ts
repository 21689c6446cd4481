/** Small statistics over hours: median, nearest-rank percentile, and the week a time falls in. */

/**
 * The median (the mean of the two middle values for an even count); null for no values.
 *
 * @example median([5, 1, 3, 2]) // 2.5
 */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/**
 * Nearest-rank percentile: the smallest value with at least `q` of the values at or below it
 * (always one of the values, never interpolated); null for no values.
 *
 * @example percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) // 9
 */
export function percentile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(q * s.length))
  return s[rank - 1] as number
}

/**
 * The Monday (UTC, `YYYY-MM-DD`) of the ISO week a time falls in.
 *
 * @example weekOf('2026-11-05T10:00:00Z') // '2026-11-02'
 */
export function weekOf(iso: string): string {
  const d = new Date(Date.parse(iso))
  const day = (d.getUTCDay() + 6) % 7
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString().slice(0, 10)
}

/** Every Monday from the week of `first` to the week of `last`, both included. */
export function weeksBetween(first: string, last: string): string[] {
  const out: string[] = []
  const end = Date.parse(weekOf(last))
  for (let t = Date.parse(weekOf(first)); t <= end; t += 7 * 86_400_000) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}

/** Rounded to one decimal: what tables and CSV show. */
export function round1(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10) / 10
}
