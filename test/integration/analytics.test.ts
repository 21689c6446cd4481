/**
 * The analytics loader and store against the demo portal, through the app's own port over the
 * real SDK: the numbers equal what the seed's stories (emulator/seed/stories.ts) give by hand,
 * a user with `own` CRM rights counts only what they may read, and a portal of a few thousand
 * contracts is read 2 500 to a request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { startSeededEmulator } from '../support/seeded-emulator.ts'
import { parseContractSpace } from '../../src/services/approval/context.ts'
import { loadAnalytics } from '../../src/services/analytics/loader.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import type { BitrixPort } from '../../src/platform/port.ts'
import { useAnalyticsStore } from '../../src/stores/analytics.ts'
import { useSessionStore } from '../../src/stores/session.ts'
import { createNodePort } from '../support/node-port.ts'
import { startPortal, type Portal } from './approval/helpers.ts'

let portal: Portal

beforeAll(async () => {
  portal = await startPortal()
})
afterAll(() => portal?.close())

async function storeAs(userId: number) {
  setActivePinia(createPinia())
  const port = { ...portal.port(userId), initialAppOptions: { ...portal.emu.ctx.db.app.options } }
  const session = useSessionStore()
  await session.start(async () => port as BitrixPort)
  // The workspace names the user in its first batch; the tab's visibility depends on it.
  await session.loadUser()
  return useAnalyticsStore()
}

describe('the demo portal as the admin', () => {
  it('counts what the stories did: 34 submitted = 15 approved + 5 returned + 3 withdrawn + 11 in flight', async () => {
    const port = portal.port(PEOPLE.admin)
    const before = port.requestCount()
    const data = await loadAnalytics(port, portal.space)
    // One batch of list pages (43 contracts) and one naming people, departments and companies.
    expect(port.requestCount() - before).toBe(2)
    expect(data.requests).toBe(2)
    const store = await storeAs(PEOPLE.admin)
    await store.load()
    const r = store.report
    expect(r?.counts.values).toEqual({ submitted: 34, approved: 15, returned: 5, withdrawn: 3, inFlight: 11 })
    // Returns by step: lawyer (720 000 ₽ and the withdrawn 370 000 ₽), CFO (3 100 000 ₽ and
    // СЕВ-П-2026/0777), the head (95 000 ₽), security (480 000 ₽), the CEO (1 600 000 ₽).
    const returns = Object.fromEntries((r?.steps ?? []).filter((s) => s.returns > 0).map((s) => [s.title, s.returns]))
    expect(returns).toEqual({ 'Юрист': 2, 'Финансовый директор': 2, 'Руководитель отдела': 1, 'Служба безопасности': 1, 'Генеральный директор': 1 })
    // Rounds: the resubmitted contract is the only one with two.
    expect(r?.rounds.map((x) => [x.rounds, x.count])).toEqual([[1, 33], [2, 1]])
    // Waiting longest now: the CEO (60 h), the lawyer (30 h), security (28 h) — the three overdue.
    expect(r?.waiting).toHaveLength(11)
    // (The shared seed may be a little older than this test: hours only grow.)
    expect(r?.waiting.slice(0, 3).map((w) => [w.stepTitle, w.overdue])).toEqual([
      ['Генеральный директор', true], ['Юрист', true], ['Служба безопасности', true],
    ])
    expect(r?.waiting[0]?.hours).toBeGreaterThanOrEqual(60)
    expect(r?.waiting.filter((w) => w.overdue)).toHaveLength(3)
    // Names for the filter: counterparties and the authors' departments.
    expect(store.choices?.companies.every((c) => !c.name.startsWith('#'))).toBe(true)
    expect(store.choices?.departments.length).toBeGreaterThan(0)
  })

  it('filters in the browser without a request', async () => {
    const store = await storeAs(PEOPLE.admin)
    await store.load()
    const port = useSessionStore().requirePort() as ReturnType<Portal['port']>
    const before = port.requestCount()
    store.setFilter({ routeId: 'large' })
    expect(store.report?.counts.values.submitted).toBeGreaterThan(0)
    expect(store.report?.counts.values.submitted).toBeLessThan(34)
    await store.load()
    expect(port.requestCount()).toBe(before)
  })
})

describe('CRM rights', () => {
  it('a manager with own rights counts only the contracts they may read', async () => {
    const store = await storeAs(PEOPLE.salesManager2)
    await store.load()
    // Their stories: 4 on approval, 1 returned, 4 approved, 1 withdrawn.
    expect(store.report?.counts.values).toEqual({ submitted: 10, approved: 4, returned: 1, withdrawn: 1, inFlight: 4 })
  })
})

describe('viewers', () => {
  it('an admin names a viewer; the list is stored as an app option', async () => {
    const store = await storeAs(PEOPLE.admin)
    await store.loadViewers()
    expect(store.visible).toBe(true)
    expect(await store.saveViewers([PEOPLE.cfo])).toBe(true)
    expect(parseContractSpace(portal.emu.ctx.db.app.options[APP_OPTION_KEYS.install])).not.toBeNull()
    expect(JSON.parse(String(portal.emu.ctx.db.app.options[APP_OPTION_KEYS.analyticsViewers]))).toEqual({ v: 1, userIds: [PEOPLE.cfo] })
    const cfo = await storeAs(PEOPLE.cfo)
    await cfo.loadViewers()
    expect(cfo.visible).toBe(true)
    const lawyer = await storeAs(PEOPLE.lawyer)
    await lawyer.loadViewers()
    expect(lawyer.visible).toBe(false)
    expect(await lawyer.saveViewers([PEOPLE.lawyer])).toBe(false)
    expect(lawyer.viewersError?.kind).toBeDefined()
  })
})

describe('paging at scale', () => {
  it('reads 3 043 contracts in 2 list requests (2 500 a batch) and names them in one more', async () => {
    const emu = await startSeededEmulator({ port: 0, seed: 'demo', scaleContracts: 3000, rateLimit: false })
    try {
      const space = parseContractSpace(emu.ctx.db.app.options[APP_OPTION_KEYS.install])
      if (!space) throw new Error('not installed')
      const port = createNodePort({ origin: emu.origin, userId: PEOPLE.admin, ctx: emu.ctx, attempts: 3 })
      const progress: number[] = []
      const t0 = performance.now()
      const data = await loadAnalytics(port, space, { onProgress: (p) => progress.push(p.read) })
      expect(data.facts.length + data.unreadable).toBe(3043)
      expect(progress).toEqual([2500, 3043])
      // Batches the loader sent. (Node's client may reuse a socket the server just closed as idle
      // while the first 2 500 logs were being read, and the SDK then sends that batch again.)
      expect(data.requests).toBe(3)
      expect(port.requestCount()).toBeLessThanOrEqual(4)
      // The scale seed's histories: every outcome, returns, delegations, a parallel committee.
      const outcomes = new Set(data.facts.map((f) => f.outcome))
      expect([...outcomes].sort()).toEqual(['approved', 'draft', 'inFlight', 'returned', 'withdrawn'])
      expect(data.facts.some((f) => f.seats.some((s) => s.outcome === 'delegated'))).toBe(true)
      expect(data.facts.some((f) => f.seats.filter((s) => s.stepTitle === 'Комитет по сделкам' && s.outcome === 'approved').length === 3)).toBe(true)
      expect(data.facts.filter((f) => f.returns.length > 0).length).toBeGreaterThan(300)
      console.log(`analytics: 3 043 contracts read in ${Math.round(performance.now() - t0)} ms`)
    } finally {
      await emu.close()
    }
  }, 120_000)
})
