/**
 * `npm run bench`: numbers, not pass/fail. Machines here are shared and noisy, so every timing is
 * a median over several runs and the report prints the spread; request counts and sizes are exact.
 *
 *   1. the build: gzip size of every JS/CSS asset, and of what the card tab loads first;
 *   2. the card tab and the workspace in Chromium: REST HTTP requests the app makes from the
 *      frame's load to its first full render, and time to render;
 *   3. the emulator at scale (100 000 contracts): list, filtered list and batch latencies.
 *
 * Options: --runs N (default 5), --json (machine-readable output).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { performance } from 'node:perf_hooks'
import type { Page, Request } from 'playwright-core'
import { PEOPLE, ROOT, appFrame, findUser, openPortal, startStack, type Stack } from '../test/e2e/fixtures.ts'
import { startEmulator } from '../emulator/server.ts'
import { parseInstallRecord } from '../src/services/install/installer.ts'
import { stageId } from '../src/domain/schema.ts'

const args = process.argv.slice(2)
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 5
const JSON_OUT = args.includes('--json')

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

const summary = (xs: number[]) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), runs: xs.length })

function bundleSizes(dist: string) {
  const assets = join(dist, 'assets')
  const files = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.css'))
  const rows = files.map((f) => {
    const buf = readFileSync(join(assets, f))
    return { file: f, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
  })
  const total = (ext: string) => rows.filter((r) => r.file.endsWith(ext)).reduce((a, r) => a + r.gzip, 0)
  return { rows: rows.sort((a, b) => b.gzip - a.gzip), jsGzip: total('.js'), cssGzip: total('.css') }
}

/** Opens a view in the shell and measures what the app frame does until `ready` is visible. */
async function measureView(stack: Stack, userId: number, open: (page: Page) => Promise<void>, click: string, ready: string) {
  const { context, page } = await openPortal(stack, userId)
  const rest: string[] = []
  const loaded: Request[] = []
  page.on('request', (r) => {
    const url = new URL(r.url())
    if (url.origin === stack.portal.origin && url.pathname.startsWith('/rest/') && r.method() !== 'OPTIONS') rest.push(url.pathname.replace(/^\/rest\//, ''))
    if (url.origin === stack.app.origin) loaded.push(r)
  })
  try {
    await open(page)
    const start = performance.now()
    await page.locator(click).first().click()
    await appFrame(page).locator(ready).first().waitFor({ timeout: 30_000 })
    const ms = performance.now() - start
    // Anything the first render still had in flight lands within a moment; count it too.
    await page.waitForTimeout(300)
    const bytes = (await Promise.all(loaded.map(async (r) => (await r.response())?.headers()['content-length'] ?? '0'))).reduce((a, n) => a + Number(n), 0)
    return { ms, rest: [...rest], appRequests: loaded.length, appBytes: bytes }
  } finally {
    await context.close()
  }
}

async function browserViews(stack: Stack) {
  const install = parseInstallRecord(stack.portal.ctx.db.app.options.ca_install)
  if (!install) throw new Error('demo portal is not installed')
  const etid = install.entityTypeId
  const onApproval = stageId(etid, install.categoryId, 'APPROVAL')
  const listed = (await stack.portal.ctx.callAs(PEOPLE.admin, 'crm.item.list', { entityTypeId: etid, filter: { stageId: onApproval }, select: ['id'] })).result as { items: { id: number }[] }
  const itemId = listed.items[0]?.id
  if (!itemId) throw new Error('demo portal has no contract on approval')
  const lawyer = findUser(stack.portal.ctx, PEOPLE.lawyer)

  type Run = Awaited<ReturnType<typeof measureView>>
  const tab: Run[] = []
  const workspace: Run[] = []
  for (let i = 0; i < RUNS; i++) {
    tab.push(await measureView(stack, lawyer.ID, (p) => p.goto(`${stack.portal.origin}/crm/type/${etid}/details/${itemId}/`).then(() => undefined), '[data-testid="app-tab"]', '[data-testid="approval-header"]'))
    workspace.push(await measureView(stack, lawyer.ID, (p) => p.goto(`${stack.portal.origin}/`).then(() => undefined), '[data-testid="left-menu-app"]', '[data-testid="workspace"]'))
  }
  const describe = (runs: Run[]) => ({
    restRequests: summary(runs.map((r) => r.rest.length)),
    restMethods: runs[0]?.rest ?? [],
    renderMs: summary(runs.map((r) => r.ms)),
  })
  return { contractTab: { itemId, ...describe(tab) }, workspace: describe(workspace) }
}

async function emulatorAtScale() {
  const t0 = performance.now()
  const portal = await startEmulator({ port: 0, seed: 'demo', scaleContracts: 100_000, rateLimit: false })
  const seedMs = performance.now() - t0
  try {
    const install = parseInstallRecord(portal.ctx.db.app.options.ca_install)
    if (!install) throw new Error('not installed')
    const post = async (method: string, body: unknown) => {
      const res = await fetch(`${portal.adminWebhookUrl}${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`)
      return res.json()
    }
    const time = async (fn: () => Promise<unknown>) => {
      const xs: number[] = []
      for (let i = 0; i < RUNS * 4; i++) {
        const s = performance.now()
        await fn()
        xs.push(performance.now() - s)
      }
      return summary(xs)
    }
    const etid = install.entityTypeId
    return {
      seed100kMs: Math.round(seedMs),
      listFirstPageMs: await time(() => post('crm.item.list', { entityTypeId: etid, start: -1, order: { id: 'ASC' } })),
      listFilteredPageMs: await time(() =>
        post('crm.item.list', { entityTypeId: etid, filter: { stageId: stageId(etid, install.categoryId, 'APPROVAL'), '>opportunity': 500_000 }, order: { id: 'DESC' }, start: -1 }),
      ),
      listCountedPageMs: await time(() => post('crm.item.list', { entityTypeId: etid, filter: { '%title': 'поставк' } })),
      batch50GetsMs: await time(() =>
        post('batch', { halt: 0, cmd: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`g${i}`, `crm.item.get?entityTypeId=${etid}&id=${i * 1000 + 1}`])) }),
      ),
    }
  } finally {
    await portal.close()
  }
}

async function main() {
  const stack = await startStack()
  let views
  try {
    views = await browserViews(stack)
  } finally {
    await stack.close()
  }
  const report = { runs: RUNS, bundle: bundleSizes(join(ROOT, 'dist')), views, emulator: await emulatorAtScale() }
  if (JSON_OUT) {
    console.log(JSON.stringify(report, null, 2))
    return
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  console.log(`bundle (gzip): JS ${kb(report.bundle.jsGzip)}, CSS ${kb(report.bundle.cssGzip)}`)
  for (const r of report.bundle.rows.slice(0, 8)) console.log(`  ${r.file.padEnd(40)} ${kb(r.gzip).padStart(9)} gz  (${kb(r.bytes)} raw)`)
  const v = report.views
  console.log(`contract tab (item ${v.contractTab.itemId}): REST HTTP requests to first full render: median ${v.contractTab.restRequests.median} [${v.contractTab.restMethods.join(', ')}]`)
  console.log(`  render after click: median ${v.contractTab.renderMs.median} ms (min ${v.contractTab.renderMs.min}, max ${v.contractTab.renderMs.max}, ${RUNS} runs)`)
  console.log(`workspace: REST HTTP requests: median ${v.workspace.restRequests.median} [${v.workspace.restMethods.join(', ')}]`)
  console.log(`  render after click: median ${v.workspace.renderMs.median} ms (min ${v.workspace.renderMs.min}, max ${v.workspace.renderMs.max})`)
  const e = report.emulator
  console.log(`emulator, 100 000 contracts: seeded in ${e.seed100kMs} ms`)
  for (const [k, s] of Object.entries(e).filter(([k]) => k !== 'seed100kMs') as [string, ReturnType<typeof summary>][]) {
    console.log(`  ${k.padEnd(20)} median ${s.median} ms (min ${s.min}, max ${s.max}, ${s.runs} runs)`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
