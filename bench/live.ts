/**
 * Bench section `live.*`: an office behind ONE IP (one leaky bucket, standard limits 2/s, burst
 * 50) with 30 and 100 open tabs of the app, 10 simulated minutes with a decision every few
 * seconds. Every tab is the app's own store (card tab, workspace, archive) over its own Node port
 * on the real SDK, receiving Push & Pull through the SDK's pull client (long polling over a Node
 * XMLHttpRequest); the deciding person runs the app's `act` (which sends the one notice).
 *
 * Time runs 10× faster than the office's: the bucket drains 20/s instead of 2/s (burst 50 as it
 * is) and every timer of the simulation and of the app's list re-reads is divided by 10, so what
 * the bucket sees per simulated second is what it would see per real second. REST latency and
 * push latency are real (not scaled).
 *
 * The office: a person has three tabs open, one of them on screen; every ~90 s a person looks at
 * another of their tabs. 70 % of tabs are contract cards (on the contracts being decided), 20 %
 * the workspace, 10 % the archive. Tabs open over the first two simulated minutes (their first
 * render and the pull config), the bucket drains, then the 10 measured minutes run.
 *
 * Keys: live.tabs30.rejected, live.tabs100.rejected (requests refused with 503, target 0),
 * live.restPerTabHour (REST requests of the open tabs per tab per hour, 100 tabs), live.pushMsMedian
 * and live.pushMsP95 (event.add sent → notice in a tab, real ms), and beside them the old
 * behaviour (every open card tab polling crm.item.list every 5 s): live.polling.tabs30.rejectedPct,
 * live.polling.tabs100.rejectedPct.
 *
 * Run alone: `npx tsx bench/live.ts`.
 */
import { fileURLToPath } from 'node:url'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { startEmulator, type Emulator } from '../emulator/server.ts'
import type { PortalUser } from '../emulator/core/types.ts'
import { pullHub } from '../emulator/pull/hub.ts'
import { act } from '../src/services/approval/actions.ts'
import { changeSignature } from '../src/services/approval/card.ts'
import { parseContractSpace, type ContractSpace } from '../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../src/domain/route.ts'
import { newEventId } from '../src/domain/eventId.ts'
import { useSessionStore } from '../src/stores/session.ts'
import { useContractCardStore } from '../src/stores/contractCard.ts'
import { useWorkspaceStore } from '../src/stores/workspace.ts'
import { useArchiveStore } from '../src/stores/archive.ts'
import { useLiveStore } from '../src/stores/live.ts'
import { LIST_TIMING } from '../src/domain/live.ts'
import { createNodePort, type NodePort } from '../test/support/node-port.ts'
import { installNodeXhr } from '../test/integration/live-xhr.ts'

type Summary = { median: number; min: number; max: number; runs: number }
type Metrics = Record<string, number | Summary | string>

/** Simulated seconds per real second. */
const SCALE = 10
const SIM_MINUTES = 10
/** A decision every this many simulated seconds. */
const DECISION_EVERY_S = 10
/** A person looks at another of their tabs about this often (simulated seconds). */
const SWITCH_EVERY_S = 90
const TABS_PER_PERSON = 3
const CONTRACTS = 12
const STEPS = 10
const WARMUP_S = 180
const POLL_EVERY_S = 5
const POLLING_MINUTES = 2

const sleepSim = (simMs: number): Promise<void> => new Promise((r) => setTimeout(r, simMs / SCALE))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T

function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] as number)
}

interface Office {
  emu: Emulator
  space: ContractSpace
  people: number[]
  approvers: number[]
  contracts: { id: number; step: number; busy?: boolean }[]
  close(): Promise<void>
}

function addPeople(emu: Emulator, count: number, from: number): number[] {
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const id = from + i
    const user: PortalUser = {
      ID: id, ACTIVE: true, NAME: `Сотрудник${id}`, LAST_NAME: 'Офисный', SECOND_NAME: '', EMAIL: `office${id}@example.test`,
      WORK_POSITION: 'Сотрудник', PERSONAL_PHOTO: null, UF_DEPARTMENT: [1], IS_ADMIN: false, crmRead: 'all', crmWrite: 'all',
      webhookSecret: `w${id}`, LANG: 'ru',
    }
    emu.ctx.db.users.push(user)
    ids.push(id)
  }
  return ids
}

/** The portal with its contracts on a long route, submitted; rate limit still off. */
async function office(persons: number): Promise<Office> {
  const emu = await startEmulator({ port: 0, seed: 'demo', rateLimit: { drainPerSec: 2 * SCALE, burst: 50 }, dataFile: null })
  emu.ctx.rateLimit.enabled = false
  const space = parseContractSpace(emu.ctx.db.app.options[APP_OPTION_KEYS.install])
  if (!space) throw new Error('demo portal not installed')
  const people = addPeople(emu, persons, 500)
  const approvers = addPeople(emu, STEPS, 900)
  const routes: RouteSet = {
    v: 1, version: 1, updatedAt: null, updatedBy: null,
    routes: [{
      id: 'office', name: 'Офис', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
      steps: approvers.map((userId, i) => ({ title: `Шаг ${i + 1}`, mode: 'all' as const, slaHours: 24, approvers: [{ kind: 'user' as const, userId }] })),
    }],
  }
  await emu.ctx.callAs(1, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(routes) } })
  const contracts: Office['contracts'] = []
  for (let i = 0; i < CONTRACTS; i++) {
    const author = people[i % people.length] as number
    const created = await emu.ctx.callAs(author, 'crm.item.add', {
      entityTypeId: space.entityTypeId, fields: { title: `Договор офиса ${i + 1}`, assignedById: author, opportunity: 100000, currencyId: 'RUB' },
    })
    const id = Number((created.result as { item: { id: number } }).item.id)
    const port = createNodePort({ origin: emu.origin, userId: author, ctx: emu.ctx, attempts: 1 })
    const res = await act(port, space, {
      itemId: id, actor: { id: author, name: 'Автор' }, eventId: newEventId(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: routes, departmentHeadIds: [] },
    }, { tuning: { settleMs: 30, maxAttempts: 20 }, announce: false })
    if (!res.ok) throw new Error('could not submit')
    contracts.push({ id, step: 0 })
  }
  return { emu, space, people, approvers, contracts, close: () => emu.close() }
}

type Kind = 'card' | 'workspace' | 'archive'

interface Tab {
  kind: Kind
  person: number
  port: NodePort
  pinia: Pinia
  stop(): void
}

function kindOf(i: number): Kind {
  const r = i % 10
  return r < 7 ? 'card' : r < 9 ? 'workspace' : 'archive'
}

async function openTab(o: Office, kind: Kind, person: number, contractId: number, onScreen: boolean, onNotice: () => void): Promise<Tab> {
  const port = createNodePort({ origin: o.emu.origin, userId: person, ctx: o.emu.ctx, attempts: 1, pull: true })
  const pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore(pinia).start(async () => port)
  const live = useLiveStore(pinia)
  live.simulate({ onScreen, focused: onScreen }, undefined, { soonMs: LIST_TIMING.soonMs / SCALE, jitterMs: LIST_TIMING.jitterMs / SCALE, unseenGapMs: LIST_TIMING.unseenGapMs / SCALE })
  live.onNotice(onNotice)
  let stop: () => void
  if (kind === 'card') {
    const card = useContractCardStore(pinia)
    await card.load(o.space.entityTypeId, contractId)
    card.startLive(undefined, undefined, 300 / SCALE)
    stop = () => card.stopLive()
  } else if (kind === 'workspace') {
    const ws = useWorkspaceStore(pinia)
    ws.startLive()
    await ws.load()
    stop = () => ws.stopLive()
  } else {
    const ar = useArchiveStore(pinia)
    ar.startLive()
    await ar.load()
    stop = () => ar.stopLive()
  }
  return { kind, person, port, pinia, stop }
}

const calls = (o: Office): number => Object.values(o.emu.ctx.stats.calls).reduce((a, b) => a + b, 0)

async function decide(o: Office, actors: Map<number, NodePort>, sentAt: Map<string, number>): Promise<boolean> {
  const open = o.contracts.filter((c) => c.step < STEPS && !c.busy)
  if (!open.length) return false
  const c = pick(open)
  const approver = o.approvers[c.step] as number
  let port = actors.get(approver)
  if (!port) {
    const p = createNodePort({ origin: o.emu.origin, userId: approver, ctx: o.emu.ctx, attempts: 1, pull: true })
    const call = p.call
    port = {
      ...p,
      call: ((method: string, params?: Record<string, unknown>) => {
        if (method === 'pull.application.event.add') {
          const n = (params?.PARAMS as { id?: number; n?: number } | undefined)
          sentAt.set(`${n?.id}:${n?.n}`, Date.now())
        }
        return call(method, params)
      }) as NodePort['call'],
    }
    actors.set(approver, port)
  }
  const step = c.step
  c.busy = true
  try {
    const res = await act(port, o.space, {
      itemId: c.id, actor: { id: approver, name: 'Согласующий' }, eventId: newEventId(), at: new Date().toISOString(),
      intent: { type: 'approve', round: 1, step },
    }, { tuning: { settleMs: 300 / SCALE, maxAttempts: 20 } })
    if (res.ok) c.step++
    return res.ok
  } catch {
    // A refused request shows in the rejected count.
    return false
  } finally {
    c.busy = false
  }
}

interface PullRun { byMethod: string; rejected: number; requests: number; warmupRejected: number; tabRequests: number; push: number[]; decisions: number; decided: number; lagMs: number[] }

async function simulatePull(tabsWanted: number): Promise<PullRun> {
  const persons = Math.ceil(tabsWanted / TABS_PER_PERSON)
  const o = await office(persons)
  const tabs: Tab[] = []
  const push: number[] = []
  const sentAt = new Map<string, number>()
  const actors = new Map<number, NodePort>()
  try {
    o.emu.ctx.rateLimit.enabled = true
    o.emu.ctx.buckets.reset()
    const limitedAt0 = o.emu.ctx.stats.limited
    // Tabs open over the warm-up: first render, then the pull client (config + long poll).
    const opening: Promise<void>[] = []
    for (let i = 0; i < tabsWanted; i++) {
      const person = o.people[i % persons] as number
      const onScreen = i < persons
      const kind = kindOf(i)
      const contract = pick(o.contracts).id
      opening.push((async () => {
        await sleepSim((WARMUP_S * 1000 * i) / tabsWanted)
        tabs.push(await openTab(o, kind, person, contract, onScreen, () => undefined))
      })())
    }
    await Promise.all(opening)
    // Every tab's pull client connected; the bucket drains before the measured minutes.
    for (let i = 0; i < 200 && pullHub(o.emu.ctx).waiting() < tabsWanted; i++) await sleepSim(1000)
    await sleepSim(30_000)
    const warmupLimited = o.emu.ctx.stats.limited - limitedAt0

    for (const t of tabs) {
      useLiveStore(t.pinia).onNotice((n) => {
        const at = sentAt.get(`${n.itemId}:${n.n}`)
        if (at !== undefined) push.push(Date.now() - at)
      })
    }
    const limited0 = o.emu.ctx.stats.limited
    const calls0 = calls(o)
    const byMethod0 = { ...o.emu.ctx.stats.calls }
    const tabReq0 = tabs.reduce((a, t) => a + t.port.requestCount(), 0)
    const simEnd = SIM_MINUTES * 60_000
    const started = Date.now()
    const simNow = (): number => (Date.now() - started) * SCALE
    const switching = (async () => {
      const byPerson = new Map<number, Tab[]>()
      for (const t of tabs) byPerson.set(t.person, [...(byPerson.get(t.person) ?? []), t])
      while (simNow() < simEnd) {
        await sleepSim((SWITCH_EVERY_S * 1000) / persons)
        const mine = byPerson.get(pick(o.people)) ?? []
        if (mine.length < 2) continue
        const shown = mine.find((t) => useLiveStore(t.pinia).isOnScreen())
        const next = pick(mine.filter((t) => t !== shown))
        if (shown) useLiveStore(shown.pinia).simulate({ onScreen: false, focused: false })
        useLiveStore(next.pinia).simulate({ onScreen: true, focused: true })
      }
    })()
    let decisions = 0
    let decided = 0
    const lagMs: number[] = []
    const deciding = (async () => {
      const pending: Promise<void>[] = []
      while (simNow() < simEnd) {
        decisions++
        pending.push(decide(o, actors, sentAt).then((ok) => {
          if (ok) decided++
        }))
        const t = Date.now()
        await sleepSim(DECISION_EVERY_S * 1000)
        lagMs.push(Date.now() - t - (DECISION_EVERY_S * 1000) / SCALE)
      }
      await Promise.all(pending)
    })()
    await Promise.all([switching, deciding])
    await sleepSim(5000)
    const tabRequests = tabs.reduce((a, t) => a + t.port.requestCount(), 0) - tabReq0
    const byMethod = Object.entries(o.emu.ctx.stats.calls).map(([m, n]) => [m, n - (byMethod0[m] ?? 0)] as const)
      .filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ')
    return {
      byMethod,
      rejected: o.emu.ctx.stats.limited - limited0,
      requests: calls(o) - calls0,
      warmupRejected: warmupLimited,
      tabRequests,
      push,
      decisions,
      decided,
      lagMs,
    }
  } finally {
    for (const t of tabs) t.stop()
    for (const t of tabs) if (t.port.live) (await t.port.live(t.person)).stop()
    await o.close()
  }
}

/** The old behaviour: every open card tab polls changeSignature every 5 s, decisions as above. */
async function simulatePolling(tabsWanted: number): Promise<number> {
  const o = await office(Math.ceil(tabsWanted / TABS_PER_PERSON))
  const actors = new Map<number, NodePort>()
  const ports = Array.from({ length: tabsWanted }, (_, i) =>
    createNodePort({ origin: o.emu.origin, userId: o.people[i % o.people.length] as number, ctx: o.emu.ctx, attempts: 1 }))
  try {
    o.emu.ctx.rateLimit.enabled = true
    o.emu.ctx.buckets.reset()
    const limited0 = o.emu.ctx.stats.limited
    const calls0 = calls(o)
    const started = Date.now()
    const end = POLLING_MINUTES * 60_000
    const simNow = (): number => (Date.now() - started) * SCALE
    const polling = ports.map(async (port, i) => {
      const itemId = o.contracts[i % o.contracts.length]?.id as number
      await sleepSim(Math.random() * POLL_EVERY_S * 1000)
      while (simNow() < end) {
        await changeSignature(port, o.space, itemId).catch(() => null)
        await sleepSim(POLL_EVERY_S * 1000)
      }
    })
    const deciding = (async () => {
      while (simNow() < end) {
        await decide(o, actors, new Map())
        await sleepSim(DECISION_EVERY_S * 1000)
      }
    })()
    await Promise.all([...polling, deciding])
    const total = calls(o) - calls0
    return total ? Math.round(((o.emu.ctx.stats.limited - limited0) / total) * 1000) / 10 : 0
  } finally {
    await o.close()
  }
}

export async function liveBench(): Promise<Metrics> {
  const undo = installNodeXhr()
  try {
    const out: Metrics = {}
    const only = process.argv.includes('--tabs') ? Number(process.argv[process.argv.indexOf('--tabs') + 1]) : null
    const t30 = await simulatePull(only ?? 30)
    const t100 = only ? t30 : await simulatePull(100)
    out['live.tabs30.rejected'] = t30.rejected
    out['live.tabs100.rejected'] = t100.rejected
    out['live.tabs30.requests'] = t30.requests
    out['live.tabs100.requests'] = t100.requests
    out['live.tabs100.warmupRejected'] = t100.warmupRejected
    // Per open tab per hour: the tabs' own requests over the 10 simulated minutes.
    out['live.restPerTabHour'] = Math.round(((t100.tabRequests / 100) * (60 / SIM_MINUTES)) * 10) / 10
    out['live.tabs30.restPerTabHour'] = Math.round(((t30.tabRequests / 30) * (60 / SIM_MINUTES)) * 10) / 10
    const push = [...t30.push, ...t100.push]
    out['live.pushMsMedian'] = percentile(push, 0.5)
    out['live.pushMsP95'] = percentile(push, 0.95)
    out['live.pushDeliveries'] = push.length
    out['live.tabs30.decisions'] = `${t30.decided}/${t30.decisions}`
    out['live.tabs100.decisions'] = `${t100.decided}/${t100.decisions}`
    out['live.tabs30.pushMsMedian'] = percentile(t30.push, 0.5)
    out['live.tabs100.pushMsMedian'] = percentile(t100.push, 0.5)
    out['live.tabs100.timerLagMsP95'] = percentile(t100.lagMs, 0.95)
    out['live.tabs100.methods'] = t100.byMethod
    if (only) return out
    out['live.polling.tabs30.rejectedPct'] = await simulatePolling(30)
    out['live.polling.tabs100.rejectedPct'] = await simulatePolling(100)
    out['live.params'] = `scale ${SCALE}×, ${SIM_MINUTES} min, decision every ${DECISION_EVERY_S} s, ${TABS_PER_PERSON} tabs/person (1 on screen), switch every ${SWITCH_EVERY_S} s, bucket 2/s·50`
    return out
  } finally {
    undo()
  }
}

export const liveSection = { name: 'live', run: () => liveBench() }

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  liveBench().then((m) => {
    console.log(JSON.stringify(m, null, 2))
    process.exit(0)
  }, (e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
