/**
 * reports/reliability.json (npm run test:reliability): each suite merges its own section into
 * the file, only when CA_RELIABILITY_REPORT is set (a plain `npm test` leaves no report behind).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'

export const RELIABILITY_REPORT = 'reports/reliability.json'

export function reportSection(section: string, values: Record<string, unknown>): void {
  if (!process.env.CA_RELIABILITY_REPORT) return
  mkdirSync('reports', { recursive: true })
  let report: Record<string, unknown> = {}
  try {
    report = JSON.parse(readFileSync(RELIABILITY_REPORT, 'utf8')) as Record<string, unknown>
  } catch {
    // first suite of the run
  }
  const before = (report[section] ?? {}) as Record<string, unknown>
  report[section] = { ...before, ...values }
  writeFileSync(RELIABILITY_REPORT, JSON.stringify(report, null, 2) + '\n')
}
