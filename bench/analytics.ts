/**
 * Bench section `analytics.*`: the Analytics tab's whole read on a scale-seeded portal (the scale
 * seed's contracts carry realistic histories), through the app's own loader, port and the real
 * SDK (B24OAuth in Node, the admin's token, rate limit off), then the report computed as the tab
 * does. Keys:
 *   - analytics.requests10k  batches the loader sent (each batch is one REST HTTP request);
 *   - analytics.http10k      HTTP requests the SDK actually made (a retried one counts twice);
 *   - analytics.ms10k        read + compute, median of the runs (the pages carry the compact
 *                            metrics field, domain/analytics/metrics.ts, not the logs);
 *   - analytics.logsMs10k    the same read taking every full log instead (one run: what the tab
 *                            cost before the metrics field, and what a portal of older data costs);
 *   - analytics.seed10kMs    how long the portal took to seed;
 * and analytics.requests100k / http100k / ms100k / contracts100k / seed100kMs with the 100 000
 * scale seed when `--analytics-100k` is given or BENCH_ANALYTICS_100K=1 (one run; seeding 100 000
 * histories takes minutes, so it is never part of the default run).
 *
 * Run alone: `npx tsx bench/analytics.ts [--runs N] [--analytics-100k]`.
 */
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../emulator/server.ts'
import { PEOPLE } from '../emulator/seed/people.ts'
import { computeReport, NO_FILTER } from '../src/domain/analytics/index.ts'
import { loadAnalytics } from '../src/services/analytics/loader.ts'
import { parseContractSpace } from '../src/services/approval/context.ts'
import { createNodePort } from '../test/support/node-port.ts'

// Self-contained (the shape of bench/stats.ts's Metrics): this file also runs alone.
type Summary = { median: number; min: number; max: number; runs: number }
type Metrics = Record<string, number | Summary | string>

function summary(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  const median = s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
  return { median: Math.round(median), min: Math.round(s[0] ?? NaN), max: Math.round(s[s.length - 1] ?? NaN), runs: s.length }
}

async function analyticsAt(contracts: number, label: string, runs: number, withLogs = false): Promise<Metrics> {
  const t0 = performance.now()
  const portal = await startEmulator({ port: 0, seed: 'demo', scaleContracts: contracts, rateLimit: false, dataFile: null })
  const seedMs = Math.round(performance.now() - t0)
  try {
    const space = parseContractSpace(portal.ctx.db.app.options.ca_install)
    if (!space) throw new Error('not installed')
    const ms: number[] = []
    let batches = 0
    let http = 0
    let read = 0
    for (let i = 0; i < runs; i++) {
      // A fresh port per run: the tab's first open in a new page, nothing cached.
      const port = createNodePort({ origin: portal.origin, userId: PEOPLE.admin, ctx: portal.ctx, attempts: 3 })
      const start = performance.now()
      const data = await loadAnalytics(port, space)
      const report = computeReport(data.facts, NO_FILTER, { now: data.loadedAt, departmentsOf: (id) => data.users.get(id)?.departmentIds ?? [] })
      ms.push(performance.now() - start)
      batches = Math.max(batches, data.requests)
      http = Math.max(http, port.requestCount())
      read = data.facts.length + data.unreadable
      if (report.counts.values.submitted === 0) throw new Error('analytics counted nothing')
    }
    const logs: Metrics = {}
    if (withLogs) {
      const port = createNodePort({ origin: portal.origin, userId: PEOPLE.admin, ctx: portal.ctx, attempts: 3 })
      const start = performance.now()
      const data = await loadAnalytics(port, space, { metrics: false })
      computeReport(data.facts, NO_FILTER, { now: data.loadedAt, departmentsOf: (id) => data.users.get(id)?.departmentIds ?? [] })
      logs[`analytics.logsMs${label}`] = Math.round(performance.now() - start)
    }
    return {
      ...logs,
      [`analytics.requests${label}`]: batches,
      [`analytics.http${label}`]: http,
      [`analytics.ms${label}`]: summary(ms),
      [`analytics.contracts${label}`]: read,
      [`analytics.seed${label}Ms`]: seedMs,
    }
  } finally {
    await portal.close()
  }
}

/** The section bench/run.ts runs (`analytics.*` keys). */
export const analyticsSection = {
  name: 'analytics',
  async run({ runs }: { runs: number }): Promise<Metrics> {
    const n = Math.min(runs, 3)
    const out = await analyticsAt(10_000, '10k', n, true)
    if (process.argv.includes('--analytics-100k') || process.env.BENCH_ANALYTICS_100K === '1') Object.assign(out, await analyticsAt(100_000, '100k', 1))
    return out
  },
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs')
  const runs = Math.max(1, Number(i >= 0 ? process.argv[i + 1] : 3) || 3)
  analyticsSection.run({ runs }).then((m) => console.log(JSON.stringify(m, null, 2)), (err) => {
    console.error(err)
    process.exit(1)
  })
}
