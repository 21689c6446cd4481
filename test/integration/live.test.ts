/**
 * Live status through the real SDK: the app's stores over Node ports whose pull client is the
 * SDK's own (B24PullClientManager, long polling through a Node XMLHttpRequest) against the
 * emulator's Push & Pull. The CFO's open card and the author's workspace follow the lawyer's
 * approval from ONE notice, with no check request in between; with the queue server down they
 * follow through the fallback's checks instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { act } from '../../src/services/approval/actions.ts'
import { useSessionStore } from '../../src/stores/session.ts'
import { useContractCardStore } from '../../src/stores/contractCard.ts'
import { useWorkspaceStore } from '../../src/stores/workspace.ts'
import { useLiveStore } from '../../src/stores/live.ts'
import { newEventId } from '../../src/domain/eventId.ts'
import type { RouteSet } from '../../src/domain/route.ts'
import { createNodePort, type NodePort } from '../support/node-port.ts'
import { PEOPLE } from '../support/people.ts'
import { AUTHOR, FAST, createDraft, setRoutes, startPortal, type Portal } from './approval/helpers.ts'
import { installNodeXhr } from './live-xhr.ts'

const LAWYER = PEOPLE.lawyer
const CFO = PEOPLE.cfo

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'live', name: 'Живой', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: LAWYER }] },
      { title: 'Финансовый директор', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: CFO }] },
      { title: 'Генеральный директор', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.ceo }] },
    ],
  }],
}

let portal: Portal
let undoXhr: () => void
const ports: NodePort[] = []

function pullPort(userId: number): NodePort {
  const p = createNodePort({ origin: portal.emu.origin, userId, ctx: portal.emu.ctx, attempts: 1, pull: true })
  ports.push(p)
  return p
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function stats(): Promise<Record<string, number>> {
  const res = await fetch(`${portal.emu.origin}/_emulator/control`, { headers: { 'X-Emulator-Token': portal.emu.controlToken } })
  return ((await res.json()) as { stats: { calls: Record<string, number> } }).stats.calls
}

async function control(body: Record<string, unknown>): Promise<void> {
  await fetch(`${portal.emu.origin}/_emulator/control`, {
    method: 'POST', headers: { 'X-Emulator-Token': portal.emu.controlToken, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  })
}

/** One "tab": its own Pinia, session on its own port. */
async function tab(port: NodePort): Promise<Pinia> {
  const pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore(pinia).start(async () => port)
  return pinia
}

beforeAll(async () => {
  undoXhr = installNodeXhr()
  portal = await startPortal()
  await setRoutes(portal, ROUTES)
}, 120_000)

afterAll(async () => {
  for (const p of ports) if (p.live) (await p.live(0)).stop()
  await portal?.close()
  undoXhr()
})

describe('live status through Push & Pull', () => {
  it('the CFO\'s card and the author\'s list follow the lawyer\'s approval from one notice, with no check in between', async () => {
    const itemId = await createDraft(portal, 'Договор для живого статуса')
    const author = pullPort(AUTHOR)
    const submitted = await act(author, portal.space, {
      itemId, actor: { id: AUTHOR, name: 'Автор' }, eventId: newEventId(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] },
    }, { tuning: FAST })
    expect(submitted.ok).toBe(true)

    const cfoPinia = await tab(pullPort(CFO))
    const card = useContractCardStore(cfoPinia)
    await card.load(portal.space.entityTypeId, itemId)
    card.startLive()
    const authorPinia = await tab(pullPort(AUTHOR))
    const workspace = useWorkspaceStore(authorPinia)
    workspace.startLive()
    await waitFor(() => workspace.state === 'done' && workspace.mine.rows.some((r) => r.id === itemId), 10_000, 'author list')
    await waitFor(() => useLiveStore(cfoPinia).online && useLiveStore(authorPinia).online, 20_000, 'pull online')
    expect(card.projection.currentStep).toBe(0)

    const before = await stats()
    const lawyer = pullPort(LAWYER)
    const res = await act(lawyer, portal.space, {
      itemId, actor: { id: LAWYER, name: 'Юрист' }, eventId: newEventId(), at: new Date().toISOString(),
      intent: { type: 'approve', round: 1, step: 0 },
    }, { tuning: FAST })
    expect(res.ok).toBe(true)
    const row = () => workspace.mine.rows.find((r) => r.id === itemId)
    await waitFor(() => card.projection.currentStep === 1 && (row()?.approverIds ?? []).includes(CFO), 5000, 'both follow')
    const after = await stats()
    const delta = (m: string): number => (after[m] ?? 0) - (before[m] ?? 0)
    // One notice, and no change-signature check or list check from the watching tabs.
    expect(delta('pull.application.event.add')).toBe(1)
    expect(delta('crm.item.list')).toBe(0)
    expect(card.abilities).toBeDefined()
  }, 60_000)

  it('with the queue server down, the lists follow through the fallback checks', async () => {
    const itemId = await createDraft(portal, 'Договор без Pull')
    const author = pullPort(AUTHOR)
    await act(author, portal.space, {
      itemId, actor: { id: AUTHOR, name: 'Автор' }, eventId: newEventId(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] },
    }, { tuning: FAST })
    await control({ pull: { server: 'down' } })
    try {
      const authorPinia = await tab(pullPort(AUTHOR))
      const live = useLiveStore(authorPinia)
      live.simulate({ onScreen: true, focused: true }, 500)
      const workspace = useWorkspaceStore(authorPinia)
      workspace.startLive()
      await waitFor(() => workspace.state === 'done' && workspace.mine.rows.some((r) => r.id === itemId), 10_000, 'author list')
      // The fallback's first check (its mark of the latest change) goes out without Pull.
      const listed = (await stats())['crm.item.list'] ?? 0
      let checks = listed
      for (let i = 0; i < 100 && checks <= listed; i++) {
        await new Promise((r) => setTimeout(r, 100))
        checks = (await stats())['crm.item.list'] ?? 0
      }
      expect(checks).toBeGreaterThan(listed)
      expect(live.online).toBe(false)

      await act(pullPort(LAWYER), portal.space, {
        itemId, actor: { id: LAWYER, name: 'Юрист' }, eventId: newEventId(), at: new Date().toISOString(),
        intent: { type: 'approve', round: 1, step: 0 },
      }, { tuning: FAST })
      const row = () => workspace.mine.rows.find((r) => r.id === itemId)
      await waitFor(() => (row()?.approverIds ?? []).includes(CFO), 15_000, 'fallback follows')
      workspace.stopLive()
    } finally {
      await control({ pull: { server: 'up' } })
    }
  }, 60_000)
})
