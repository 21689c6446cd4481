/**
 * `npm run bench`: numbers, not pass/fail. Machines here are shared and noisy, so every timing is
 * a median over several runs with min/max; request counts and sizes are exact. Writes
 * bench/results.json and prints the same keys as a table.
 *
 *   - requests.*  REST HTTP requests to each view's first full render (browser, demo portal;
 *                 `requests.archiveFiltered` on a 100 000-contract portal);
 *   - bundle.*    gzip sizes: what the card tab loads to its first render, the whole build;
 *   - render.*    click → timeline painted, in the page's own clock, the card tab against an empty
 *                 UI-kit page built here from the same Vite config: warm on localhost and cold at
 *                 40 ms RTT / 20 Mbps (Chromium's network conditions over CDP);
 *   - emulator.*  list/batch latencies at 10 000 and 100 000 contracts.
 *   - live.*, analytics.*, …: the other sections (SECTIONS below) — each a function returning keys.
 *
 * Options: --runs N (default 7), --json (print JSON instead of the table).
 * Environment: PORTAL_PORT, APP_PORT (0 or unset = any free port), CHROMIUM_PATH.
 */
import { writeFileSync } from 'node:fs'
import { cpus, totalmem, platform, release, loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ensureAppBuilt } from '../test/e2e/fixtures.ts'
import { assetRows, gzipOf, totalGzip } from './bundle.ts'
import { archiveFilteredAtScale, demoTargets, launchChromium, renderTimings, requestCounts, startBrowserStack, startStaticServer } from './browser.ts'
import { buildEmptyPage, ROOT } from './empty-page.ts'
import { emulatorLatencies, startScalePortal } from './emulator-scale.ts'
import { isSummary, type Metric, type Metrics } from './stats.ts'
import { analyticsSection } from './analytics.ts'
import { liveSection } from './live.ts'
import { archiveSection } from './archive.ts'
import { docdiffSection } from './docdiff.ts'

const args = process.argv.slice(2)
const runsArg = args.indexOf('--runs')
const RUNS = Math.max(1, Number(runsArg >= 0 ? args[runsArg + 1] : 7) || 7)
const JSON_OUT = args.includes('--json')
const RESULTS = join(ROOT, 'bench', 'results.json')
const T0 = performance.now()
/** Progress on stderr, so a slow machine shows where the time goes. */
const step = (msg: string) => console.error(`[bench ${Math.round((performance.now() - T0) / 1000)} s] ${msg}`)

/** A bench section: runs on its own and returns its keys (`live.*`, `analytics.*`, …). */
export interface Section {
  name: string
  run: (ctx: { runs: number }) => Promise<Metrics>
}

/**
 * Sections other work adds (live notices, analytics, archive, document comparison): append
 * `{ name, run }` here; their keys are merged into results.json and the table.
 */
// analytics.*: the Analytics tab's read at 10 000 contracts (bench/analytics.ts).
// live.*: the office simulation of live status, Push & Pull against the old polling (bench/live.ts).
// archive.*: the archive's CSV export of 10 000 contracts under the standard rate limit (bench/archive.ts).
// docdiff.*: the document comparison between rounds on 10-, 60- and 300-page contracts (bench/docdiff.ts).
const SECTIONS: Section[] = [analyticsSection, liveSection, archiveSection, docdiffSection]

function machineInfo(chromium: string) {
  const cpu = cpus()
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    chromium,
    os: `${platform()} ${release()}`,
    loadAvg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  }
}

async function bundleAndBrowser(results: Metrics): Promise<string> {
  step('building the app (if stale) and the empty page')
  const dist = ensureAppBuilt()
  const emptyDist = await buildEmptyPage()
  const rows = assetRows(dist)
  const emptyRows = assetRows(emptyDist)
  results['bundle.totalJsGz'] = totalGzip(rows, '.js')
  results['bundle.totalCssGz'] = totalGzip(rows, '.css')
  results['bundle.emptyJsGz'] = totalGzip(emptyRows, '.js')
  results['bundle.emptyCssGz'] = totalGzip(emptyRows, '.css')

  const stack = await startBrowserStack(dist, emptyDist)
  try {
    const targets = await demoTargets(stack.portal)
    step('requests per view')
    Object.assign(results, await requestCounts(stack, targets))
    step(`render timings: ${RUNS} warm + ${RUNS} cold runs, card tab and empty page`)
    const render = await renderTimings(stack, targets, RUNS)
    const tab = gzipOf(rows, render.cardTabAssets)
    results['bundle.cardTabJsGz'] = tab.js
    results['bundle.cardTabCssGz'] = tab.css
    results['bundle.cardTabFiles'] = tab.files.join(', ')
    Object.assign(results, render.metrics)
    return stack.browser.version()
  } finally {
    await stack.close()
  }
}

async function atScale(results: Metrics): Promise<void> {
  // 100 000: the archive search in the browser, then the emulator's own latencies.
  step('seeding 100 000 contracts')
  const app = await startStaticServer({ root: join(ROOT, 'dist'), port: 0 })
  const big = await startScalePortal(100_000, `${app.origin}/`)
  results['emulator.100k.seedMs'] = big.seedMs
  try {
    step('archive search in the browser at 100 000')
    const browser = await launchChromium()
    try {
      Object.assign(results, await archiveFilteredAtScale(browser, big.portal, app, 'поставк'))
    } finally {
      await browser.close()
    }
    step('emulator latencies at 100 000')
    Object.assign(results, await emulatorLatencies(big.portal, '100k', RUNS))
  } finally {
    await big.portal.close()
    await app.close()
  }
  step('emulator latencies at 10 000')
  const small = await startScalePortal(10_000)
  results['emulator.10k.seedMs'] = small.seedMs
  try {
    Object.assign(results, await emulatorLatencies(small.portal, '10k', RUNS))
  } finally {
    await small.portal.close()
  }
}

function cell(m: Metric): [string, string, string, string] {
  if (isSummary(m)) return [String(m.median), String(m.min), String(m.max), String(m.runs)]
  return [String(m), '', '', '']
}

export function formatTable(results: Metrics): string {
  const rows = Object.entries(results).map(([k, m]) => [k, ...cell(m)])
  const head = ['key', 'value / median', 'min', 'max', 'runs']
  const width = head.map((h, i) => Math.min(72, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))))
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ')
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

async function main() {
  const started = performance.now()
  const results: Metrics = {}
  const chromium = await bundleAndBrowser(results)
  await atScale(results)
  for (const section of SECTIONS) {
    step(section.name)
    try {
      Object.assign(results, await section.run({ runs: RUNS }))
    } catch (err) {
      results[`${section.name}.error`] = String(err instanceof Error ? err.message : err)
    }
  }
  const report = {
    generatedAt: new Date().toISOString(),
    machine: machineInfo(chromium),
    runs: RUNS,
    durationS: Math.round((performance.now() - started) / 1000),
    results,
  }
  writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
  if (JSON_OUT) {
    console.log(JSON.stringify(report, null, 2))
    return
  }
  const m = report.machine
  console.log(`machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, node ${m.node}, chromium ${m.chromium}, ${m.os}, load ${m.loadAvg1m}`)
  console.log(`runs: ${RUNS} (timings: median, min, max in ms), ${report.durationS} s; written to bench/results.json\n`)
  console.log(formatTable(results))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
