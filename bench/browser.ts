/**
 * The app in Chromium against the emulator: REST HTTP requests to the first full render of each
 * view, the JS/CSS the card tab loads first, and render timing measured in the page itself — from
 * the click in the portal's shell to the frame's first paint of what the view is for (the card
 * tab's timeline; the empty UI-kit page's Timeline) — warm on localhost and cold at 40 ms RTT /
 * 20 Mbps (Chromium's own network conditions over CDP).
 */
import { basename } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core'
import { startEmulator } from '../emulator/server.ts'
import { moveApp } from '../emulator/core/db.ts'
import { USER_COOKIE } from '../emulator/shell/session.ts'
import { PEOPLE } from '../emulator/seed/people.ts'
import { startStaticServer, type StaticServer } from '../scripts/static-server.ts'
import { parseInstallRecord } from '../src/services/install/installer.ts'
import { stageId } from '../src/domain/schema.ts'
import type { EmulatorContext } from '../emulator/core/types.ts'
import { EMPTY_READY } from './empty-page.ts'
import { ratio, summary, type Metrics } from './stats.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
const TIMEOUT = 90_000

/** What the card tab paints last for its first full render: the approval history. */
export const TIMELINE_READY = '[data-testid="approval-history-item"]'
export const TAB_CLICK = '[data-testid="app-tab"]'
const INBOX_READY = '[data-testid="workspace-inbox"] [data-testid="workspace-row"], [data-testid="workspace-inbox-empty"]'
const MENU_CLICK = '[data-testid="left-menu-app"]'
/** After readiness, what the first render still had in flight lands within this; counted too. */
const SETTLE_MS = 300

/** 40 ms RTT, 20 Mbps both ways. */
export const COLD_NETWORK = { offline: false, latency: 40, downloadThroughput: (20e6 / 8), uploadThroughput: (20e6 / 8) }

export interface Portal {
  origin: string
  ctx: EmulatorContext
  close(): Promise<void>
}

export interface BrowserStack {
  portal: Portal
  app: StaticServer
  empty: StaticServer
  browser: Browser
  close(): Promise<void>
}

const envPort = (name: string): number => {
  const raw = process.env[name]
  const n = raw === undefined ? 0 : Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${name} must be a port number, got ${raw}`)
  return n
}

/** The demo portal on PORTAL_PORT, dist/ on APP_PORT (0 = any free port), the empty page beside them. */
export async function startBrowserStack(dist: string, emptyDist: string): Promise<BrowserStack> {
  const app = await startStaticServer({ root: dist, port: envPort('APP_PORT') })
  const empty = await startStaticServer({ root: emptyDist, port: 0 })
  const portal = await startEmulator({ port: envPort('PORTAL_PORT'), seed: 'demo', handlerUrl: `${app.origin}/`, rateLimit: false, devMode: true })
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
  return {
    portal, app, empty, browser,
    async close() {
      await browser.close()
      await Promise.allSettled([portal.close(), app.close(), empty.close()])
    },
  }
}

/**
 * In every frame: the shell page notes when a view was clicked; the app's frame notes when each
 * readiness selector first appears and the frame has painted it (a task after the next frame).
 * Clock: performance.timeOrigin + now() in both, the same wall-clock base. Plain JS source on
 * purpose: the TypeScript loader would wrap named functions in helpers the page does not have.
 */
const BENCH_PROBE = `(sel) => {
  const now = () => performance.timeOrigin + performance.now()
  if (window === window.top) {
    document.addEventListener('click', (e) => {
      const t = e.target
      if (t instanceof Element && sel.clicks.some((s) => t.closest(s))) window.__benchClickAt = now()
    }, true)
    return
  }
  const seen = {}
  window.__benchReady = seen
  const pending = new Set(sel.ready)
  const observer = new MutationObserver(() => {
    for (const s of [...pending]) {
      if (!document.querySelector(s)) continue
      pending.delete(s)
      requestAnimationFrame(() => setTimeout(() => { seen[s] = now() }, 0))
    }
    if (pending.size === 0) observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true })
}`

export async function newContext(stack: BrowserStack, userId: number, ready: string[]): Promise<BrowserContext> {
  const context = await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' })
  context.setDefaultTimeout(TIMEOUT)
  context.setDefaultNavigationTimeout(TIMEOUT)
  await context.addCookies([{ name: USER_COOKIE, value: String(userId), url: stack.portal.origin }])
  await context.addInitScript({ content: `(${BENCH_PROBE})(${JSON.stringify({ clicks: [TAB_CLICK, MENU_CLICK], ready })})` })
  return context
}

async function appFrameOf(page: Page) {
  const handle = await page.locator('iframe[data-testid="app-frame"]').elementHandle({ timeout: TIMEOUT })
  const frame = await handle?.contentFrame()
  if (!frame) throw new Error('no app frame')
  return frame
}

export interface ViewRun {
  /** Click → readiness painted, in the page's own clock. */
  ms: number
  rest: string[]
  /** Requests issued after the first full render was painted (within the settle time). */
  after: string[]
  /**
   * Basenames of the JS/CSS the app's origin served that the frame asked for before its first
   * full render was painted (Resource Timing in the frame, against the paint time). What loads
   * after it — dialogs fetched while idle, the pull client — is in `assetsAfter`.
   */
  assets: string[]
  assetsAfter: string[]
}

/** Opens `url` in the shell, clicks `click`, waits until the frame painted `ready`. */
export async function openView(stack: BrowserStack, page: Page, appOrigin: string, url: string, click: string, ready: string): Promise<ViewRun> {
  const rest: string[] = []
  const assets: { url: string; file: string }[] = []
  let counting = false
  const onRequest = (r: Request) => {
    if (!counting) return
    const u = new URL(r.url())
    if (u.origin === stack.portal.origin && u.pathname.startsWith('/rest/') && r.method() !== 'OPTIONS') rest.push(u.pathname.replace(/^\/rest\//, ''))
    if (u.origin === appOrigin && /\.(js|css)$/.test(u.pathname)) assets.push({ url: r.url(), file: basename(u.pathname) })
  }
  page.on('request', onRequest)
  try {
    await page.goto(url)
    counting = true
    await page.locator(click).first().click()
    const frame = await appFrameOf(page)
    await frame.locator(ready).first().waitFor({ state: 'attached', timeout: TIMEOUT })
    const paintedAt = await frame.waitForFunction((s) => (window as unknown as { __benchReady?: Record<string, number> }).__benchReady?.[s], ready, { timeout: TIMEOUT })
    // The first full render is painted: what the app asks for from now on (the pull client's
    // connection, refreshes) is not part of it, and is reported apart.
    const before = rest.length
    const clickAt = await page.evaluate(() => (window as unknown as { __benchClickAt?: number }).__benchClickAt ?? Number.NaN)
    const ms = Number(await paintedAt.jsonValue()) - clickAt
    await page.waitForTimeout(SETTLE_MS)
    const beforePaint = new Set(await frame.evaluate((s) => {
      const at = (window as unknown as { __benchReady: Record<string, number> }).__benchReady[s] ?? Number.POSITIVE_INFINITY
      return performance.getEntriesByType('resource').filter((e) => performance.timeOrigin + e.startTime <= at).map((e) => e.name)
    }, ready))
    const first = assets.filter((a) => beforePaint.has(a.url))
    const later = assets.filter((a) => !beforePaint.has(a.url))
    return {
      ms, rest: rest.slice(0, before), after: rest.slice(before),
      assets: first.map((a) => a.file), assetsAfter: later.map((a) => a.file),
    }
  } finally {
    page.off('request', onRequest)
  }
}

export interface DemoTargets {
  etid: number
  itemId: number
  approverId: number
  authorId: number
}

/** A contract on approval in the demo seed, one of its current approvers and its author. */
export async function demoTargets(portal: Portal): Promise<DemoTargets> {
  const install = parseInstallRecord(portal.ctx.db.app.options.ca_install)
  if (!install) throw new Error('demo portal is not installed')
  const etid = install.entityTypeId
  const listed = (await portal.ctx.callAs(PEOPLE.admin, 'crm.item.list', { entityTypeId: etid, filter: { stageId: stageId(etid, install.categoryId, 'APPROVAL') }, select: ['*'] })).result as { items: Record<string, unknown>[] }
  for (const item of listed.items) {
    const approvers = Object.entries(item).find(([k]) => /CaApprovers$/i.test(k))?.[1]
    const approverId = Array.isArray(approvers) ? Number(approvers[0]) : Number.NaN
    const authorId = Number(item.createdBy ?? item.assignedById)
    if (approverId > 0 && authorId > 0 && approverId !== authorId) return { etid, itemId: Number(item.id), approverId, authorId }
  }
  throw new Error('demo portal has no contract on approval with an approver')
}

export const cardUrl = (stack: BrowserStack, t: DemoTargets) => `${stack.portal.origin}/crm/type/${t.etid}/details/${t.itemId}/`

/** Points the portal's app handler at the app or at the empty page. */
function useHandler(stack: BrowserStack, server: StaticServer): void {
  moveApp(stack.portal.ctx.db.app, `${server.origin}/`)
}

export interface RenderResult {
  metrics: Metrics
  /** Asset basenames the card tab loaded to its first full render. */
  cardTabAssets: string[]
  /** What it loaded after that paint (within the settle time): dialogs, write protocol, pull client. */
  cardTabAssetsAfter: string[]
}

/**
 * Card tab vs the empty page, interleaved run by run so both see the same machine load.
 * Warm: one context per side, a warm-up open first (HTTP cache filled), then `runs` opens.
 * Cold: a fresh context (empty cache) per open, 40 ms RTT / 20 Mbps.
 */
export async function renderTimings(stack: BrowserStack, t: DemoTargets, runs: number): Promise<RenderResult> {
  const ready = [TIMELINE_READY, EMPTY_READY]
  const sides = [
    { name: 'app', server: stack.app, ready: TIMELINE_READY },
    { name: 'empty', server: stack.empty, ready: EMPTY_READY },
  ] as const
  const warm: Record<string, number[]> = { app: [], empty: [] }
  const cold: Record<string, number[]> = { app: [], empty: [] }
  const requests: number[] = []
  let cardTabAssets: string[] = []
  let cardTabAssetsAfter: string[] = []

  // A run that times out on a machine this busy is counted and skipped, not fatal.
  let failed = 0
  let lastFailure = ''
  const attempt = async (fn: () => Promise<ViewRun>): Promise<ViewRun | null> => {
    try {
      return await fn()
    } catch (err) {
      failed++
      lastFailure = String(err instanceof Error ? err.message.split('\n')[0] : err)
      return null
    }
  }
  const pages: Record<string, { context: BrowserContext; page: Page }> = {}
  try {
    for (const side of sides) {
      const context = await newContext(stack, t.approverId, ready)
      const page = await context.newPage()
      pages[side.name] = { context, page }
      useHandler(stack, side.server)
      // The warm-up also gives the cold-cache asset list of the card tab.
      const first = await openView(stack, page, side.server.origin, cardUrl(stack, t), TAB_CLICK, side.ready)
      if (side.name === 'app') {
        cardTabAssets = first.assets
        cardTabAssetsAfter = first.assetsAfter
      }
    }
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 ? [...sides].reverse() : sides) {
        useHandler(stack, side.server)
        const run = await attempt(() => openView(stack, pages[side.name]!.page, side.server.origin, cardUrl(stack, t), TAB_CLICK, side.ready))
        if (!run) continue
        warm[side.name]!.push(run.ms)
        if (side.name === 'app') requests.push(run.rest.length)
      }
    }
  } finally {
    for (const p of Object.values(pages)) await p.context.close()
    useHandler(stack, stack.app)
  }

  for (let i = 0; i < runs; i++) {
    for (const side of i % 2 ? [...sides].reverse() : sides) {
      const context = await newContext(stack, t.approverId, ready)
      try {
        const page = await context.newPage()
        const cdp = await context.newCDPSession(page)
        await cdp.send('Network.enable')
        await cdp.send('Network.emulateNetworkConditions', COLD_NETWORK)
        useHandler(stack, side.server)
        const run = await attempt(() => openView(stack, page, side.server.origin, cardUrl(stack, t), TAB_CLICK, side.ready))
        if (run) cold[side.name]!.push(run.ms)
      } finally {
        await context.close()
        useHandler(stack, stack.app)
      }
    }
  }

  const w = { app: summary(warm.app!), empty: summary(warm.empty!) }
  const c = { app: summary(cold.app!), empty: summary(cold.empty!) }
  return {
    cardTabAssets,
    cardTabAssetsAfter,
    metrics: {
      'render.cardTabMs': w.app,
      'render.emptyMs': w.empty,
      'render.ratioToEmpty': ratio(w.app.median, w.empty.median),
      'render.cardTabCold40Ms': c.app,
      'render.emptyCold40Ms': c.empty,
      'render.ratioToEmptyCold40ms': ratio(c.app.median, c.empty.median),
      'requests.cardTab.approverWarmRuns': summary(requests),
      'render.failedRuns': failed,
      ...(lastFailure ? { 'render.lastFailure': lastFailure } : {}),
    },
  }
}

/** REST HTTP requests to the first full render of each view, and which methods they were. */
export async function requestCounts(stack: BrowserStack, t: DemoTargets): Promise<Metrics> {
  const out: Metrics = {}
  const once = async (userId: number, fn: (page: Page) => Promise<void>) => {
    const context = await newContext(stack, userId, [TIMELINE_READY, INBOX_READY, ARCHIVE_ROW])
    try {
      await fn(await context.newPage())
    } finally {
      await context.close()
    }
  }
  const put = (key: string, run: ViewRun) => {
    out[key] = run.rest.length
    out[`${key}.methods`] = run.rest.join(', ')
    if (run.after.length) out[`${key}.afterRender`] = run.after.join(', ')
  }
  await once(t.approverId, async (page) => put('requests.cardTab.approver', await openView(stack, page, stack.app.origin, cardUrl(stack, t), TAB_CLICK, TIMELINE_READY)))
  await once(t.authorId, async (page) => put('requests.cardTab.author', await openView(stack, page, stack.app.origin, cardUrl(stack, t), TAB_CLICK, TIMELINE_READY)))
  await once(t.approverId, async (page) => put('requests.inbox', await openView(stack, page, stack.app.origin, `${stack.portal.origin}/`, MENU_CLICK, INBOX_READY)))
  // The archivist's first visit lands her on the archive after the inbox's batch has named her;
  // the workspace remembers it (a user option the frame brings), so from then on her first
  // screen is the archive's one batch.
  await once(PEOPLE.archivist, async (page) => put('requests.archiveFirstVisit', await openArchive(stack, page)))
  await once(PEOPLE.archivist, async (page) => put('requests.archive', await openArchive(stack, page)))
  return out
}

async function restDuring(stack: BrowserStack, page: Page, fn: () => Promise<void>, paintedAt?: () => Promise<number>): Promise<{ rest: string[]; after: string[] }> {
  const rest: { path: string; at: number }[] = []
  const onRequest = (r: Request) => {
    const u = new URL(r.url())
    if (u.origin === stack.portal.origin && u.pathname.startsWith('/rest/') && r.method() !== 'OPTIONS') rest.push({ path: u.pathname.replace(/^\/rest\//, ''), at: Date.now() })
  }
  page.on('request', onRequest)
  let cut = Number.POSITIVE_INFINITY
  let before = 0
  try {
    await fn()
    before = rest.length
    // With the frame's paint time (its wall clock), a request sent after the view was painted is
    // not part of the first render, though Playwright may see the view a moment later.
    if (paintedAt) cut = await paintedAt()
    await page.waitForTimeout(SETTLE_MS)
  } finally {
    page.off('request', onRequest)
  }
  const first = rest.slice(0, before).filter((r) => r.at <= cut)
  return { rest: first.map((r) => r.path), after: rest.filter((r) => !first.includes(r)).map((r) => r.path) }
}

const ARCHIVE_ROW = '[data-testid="archive-browser"] [data-testid="archive-row"]'

/**
 * Workspace → «Оригиналы и архив»: the requests to the archive list shown. The archivist lands on
 * the tab by herself (issue 11), so this runs from the left-menu click: the workspace's batch
 * (which names the user) and the archive tab's batch. A user who is not an archivist clicks the tab.
 */
async function openArchive(stack: BrowserStack, page: Page): Promise<ViewRun> {
  await page.goto(`${stack.portal.origin}/`)
  await page.waitForTimeout(SETTLE_MS)
  const start = performance.now()
  const { rest, after } = await restDuring(stack, page, async () => {
    await page.locator(MENU_CLICK).click()
    const frame = await appFrameOf(page)
    await frame.locator('[data-testid="greeting"]').waitFor({ timeout: TIMEOUT })
    const tab = frame.getByRole('tab', { name: 'Оригиналы и архив' })
    if ((await frame.locator('[data-testid="archive-tab"]').count()) === 0) await tab.click()
    await frame.locator(ARCHIVE_ROW).first().waitFor({ timeout: TIMEOUT })
  }, async () => {
    const frame = await appFrameOf(page)
    const painted = await frame.waitForFunction((sel) => (window as unknown as { __benchReady?: Record<string, number> }).__benchReady?.[sel], ARCHIVE_ROW, { timeout: TIMEOUT })
    return Number(await painted.jsonValue())
  })
  return { ms: performance.now() - start, rest, after, assets: [], assetsAfter: [] }
}

/**
 * On a 100 000-contract portal: the archive tab, then a search by text (Enter, no pause):
 * requests from the search to the filtered list shown.
 */
export async function archiveFilteredAtScale(browser: Browser, portal: Portal, app: StaticServer, text: string): Promise<Metrics> {
  const stack: BrowserStack = { portal, app, empty: app, browser, close: async () => undefined }
  const context = await newContext(stack, PEOPLE.archivist, [ARCHIVE_ROW])
  try {
    const page = await context.newPage()
    const first = await openArchive(stack, page)
    const frame = await appFrameOf(page)
    const search = frame.locator('[data-testid="archive-search"] input, input[data-testid="archive-search"]').first()
    const start = performance.now()
    // The live fallback's cheap checks (services/live/notices.ts latestChange: crm.item.list of
    // id + updatedTime) run on their own clock and when the frame scrolls into view, and a re-read
    // they ask for is the tab's first batch (with user.current); none is the search's, so they
    // are counted apart.
    const checks: string[] = []
    const onRequest = (r: Request) => {
      const u = new URL(r.url())
      if (u.origin !== portal.origin) return
      const body = r.postData() ?? ''
      if (u.pathname.startsWith('/rest/crm.item.list') && body.includes('updatedTime')) checks.push(u.pathname)
      // A re-read the live check asked for is the tab's whole first batch again (it names the user).
      else if (u.pathname.startsWith('/rest/batch') && body.includes('user.current')) checks.push(u.pathname)
    }
    page.on('request', onRequest)
    const { rest } = await restDuring(stack, page, async () => {
      await search.fill(text)
      await search.press('Enter')
      // Shown: the search is over (not busy) and the count is the search's («Найдено: …»). No
      // fixed wait: background work (the query remembered afterwards, live checks) stays outside.
      await frame.locator('[data-testid="archive-browser"][aria-busy="false"] [data-testid="archive-count"]', { hasText: 'Найдено' }).waitFor({ timeout: TIMEOUT })
    })
    page.off('request', onRequest)
    const own = [...rest]
    for (const c of checks) {
      const i = own.indexOf(c.replace(/^\/rest\//, ''))
      if (i >= 0) own.splice(i, 1)
    }
    return {
      'requests.archive100k': first.rest.length,
      'requests.archive100k.methods': first.rest.join(', '),
      'requests.archiveFiltered': own.length,
      'requests.archiveFiltered.methods': own.join(', '),
      'requests.archiveFiltered.liveChecks': rest.length - own.length,
      'render.archiveFiltered100kMs': Math.round(performance.now() - start),
    }
  } finally {
    await context.close()
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
}

export { startStaticServer }
