/**
 * Issue 8 through the real SDK against the emulator: colleagues with edit rights craft REST calls
 * by hand (forgery), and the stored history is edited in every way we could think of (tamper).
 * The card (loadCard → trustOfCard → project) must never show a forged decision as taken, and
 * must warn about, or neutralise, every edit. With CA_RELIABILITY_REPORT set, the counts go to
 * reports/reliability.json (npm run test:reliability).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act, type Intent } from '../../src/services/approval/actions.ts'
import { loadCard } from '../../src/services/approval/card.ts'
import { readContract } from '../../src/services/approval/record.ts'
import { projectionFields } from '../../src/services/approval/writer.ts'
import { entryData } from '../../src/services/approval/attest.ts'
import { restoreHistory } from '../../src/services/approval/restore.ts'
import { trustOfCard } from '../../src/stores/contractCard/trust.ts'
import { attestationMarker } from '../../src/domain/attestation.ts'
import { buildLog } from '../../src/domain/merge.ts'
import { verifyLog } from '../../src/domain/merge.ts'
import { project, type Projection } from '../../src/domain/projection.ts'
import { chainEvent, contentOf, headHash, type ApprovalEvent, type ApprovalLog, type EventContent } from '../../src/domain/log.ts'
import { freezeRoute, type RouteSet } from '../../src/domain/route.ts'
import { snapshotOf } from '../../src/services/approval/record.ts'
import type { StoredLog } from '../../src/services/approval/stored-log.ts'
import { ADMIN, AUTHOR, CEO, FAST, createDraft, setRoutes, startPortal, type Portal } from './approval/helpers.ts'
import { PEOPLE } from '../support/people.ts'
import { reportSection } from '../support/reliability-report.ts'

const LAWYER = PEOPLE.lawyer
const SECURITY = PEOPLE.security
const COLLEAGUE = PEOPLE.salesHead
const ARCHIVIST = PEOPLE.archivist

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'three', name: 'Три шага', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист', mode: 'any', slaHours: 24, approvers: [{ kind: 'user', userId: LAWYER }] },
      { title: 'СБ', mode: 'any', slaHours: 24, approvers: [{ kind: 'user', userId: SECURITY }] },
      { title: 'Директор', mode: 'all', slaHours: 48, approvers: [{ kind: 'user', userId: CEO }] },
    ],
  }],
}

const counts = { tamperTried: 0, tamperUndetected: 0, forgeryTried: 0, forgeryAdvanced: 0 }

interface View {
  readonly projection: Projection
  readonly warned: boolean
  readonly log: ApprovalLog
}

describe('trust: attested decisions against a hostile colleague', () => {
  let portal: Portal
  const name = (id: number) => `user ${id}`

  const run = (itemId: number, userId: number, intent: Intent) =>
    act(portal.port(userId), portal.space, { itemId, actor: { id: userId, name: name(userId) }, eventId: randomUUID(), at: new Date().toISOString(), intent }, { tuning: FAST })

  /** A contract submitted by the author and approved by the lawyer: on step 2 (security). */
  async function contract(): Promise<number> {
    const itemId = await createDraft(portal)
    expect((await run(itemId, AUTHOR, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] })).ok).toBe(true)
    expect((await run(itemId, LAWYER, { type: 'approve', round: 1, step: 0 })).ok).toBe(true)
    return itemId
  }

  /** What the card shows CEO, and whether it warns. */
  async function view(itemId: number, viewer = CEO): Promise<View> {
    const card = await loadCard(portal.port(viewer), portal.space.entityTypeId, itemId)
    const record = card.record
    if (!record) throw new Error('no record')
    const trust = trustOfCard(card)
    const log = record.stored.log
    const projection = project(log, trust.trust)
    const warned = !verifyLog(log).ok || record.logError !== null || trust.unconfirmed.length > 0 || trust.missing > 0 ||
      projection.ignored.some((i) => i.reason === 'routeNotPublished' || i.reason === 'authorCannotDecide')
    return { projection, warned, log }
  }

  /** How far the contract got: stage, then step, then approvals that took effect. */
  const RANK: Record<string, number> = { NEW: 0, WITHDRAWN: 0, RETURNED: 1, APPROVAL: 1, ORIGINALS: 2, SUCCESS: 3, FAIL: 0 }
  const progress = (p: Projection) => (RANK[p.stageCode] ?? 0) * 10_000 + ((p.currentStep ?? -1) + 1) * 100 + p.decisions.filter((d) => d.decision === 'approved').length
  const stateOf = (p: Projection) => JSON.stringify([p.stageCode, p.round, p.currentStep, p.currentApprovers, p.decisions.map((d) => [d.actor.id, d.step, d.decision])])

  async function stored(itemId: number, as: number): Promise<StoredLog> {
    return readContract(await portal.port(as).getItem(portal.space.entityTypeId, itemId), portal.space).stored
  }

  /** A hand-made crm.item.update as `as`: the log and, by default, the stage it implies. */
  async function writeLog(itemId: number, as: number, log: ApprovalLog, extra: Record<string, unknown> = {}): Promise<void> {
    const base = await stored(itemId, as)
    const fields = projectionFields(portal.space, { ...base, log })
    await portal.port(as).call('crm.item.update', { entityTypeId: portal.space.entityTypeId, id: itemId, fields: { ...fields, ...extra } })
  }

  async function writeRaw(itemId: number, as: number, fields: Record<string, unknown>): Promise<void> {
    await portal.port(as).call('crm.item.update', { entityTypeId: portal.space.entityTypeId, id: itemId, fields })
  }

  /** The forger leaves an entry of her own that carries an event's marker and content. */
  async function fakeEntry(itemId: number, as: number, event: EventContent): Promise<void> {
    await portal.port(as).call('crm.timeline.logmessage.add', {
      fields: { entityTypeId: portal.space.entityTypeId, entityId: itemId, title: 'Согласование', text: `ok\n${attestationMarker(event)}\n${entryData(event)}` },
    })
  }

  const appended = (log: ApprovalLog, content: Omit<EventContent, 'n'>): ApprovalLog => {
    const full = { ...content, n: log.events.length } as EventContent
    return { ...log, events: [...log.events, chainEvent(headHash(log.events), full)] }
  }
  const rebuilt = (log: ApprovalLog, map: (contents: EventContent[]) => EventContent[]): ApprovalLog => buildLog(map(log.events.map(contentOf)))
  const approval = (actor: number, step: number, log: ApprovalLog): Omit<EventContent, 'n'> => ({
    id: randomUUID(), type: 'approved', at: new Date().toISOString(), actor: { id: actor, name: name(actor) }, round: log.events.at(-1)?.round ?? 1, step,
  }) as Omit<EventContent, 'n'>

  beforeAll(async () => {
    portal = await startPortal()
    await setRoutes(portal, ROUTES)
  }, 120_000)

  afterAll(async () => {
    await portal?.close()
    reportSection('tamper', { tried: counts.tamperTried, undetected: counts.tamperUndetected })
    reportSection('forgery', { tried: counts.forgeryTried, advanced: counts.forgeryAdvanced })
  })

  it('an honest history is confirmed event by event, and the card reads the entries in its one request', async () => {
    const itemId = await contract()
    const port = portal.port(CEO)
    const before = port.requestCount()
    const v = await view(itemId)
    expect(port.requestCount() - before).toBe(1)
    expect(v.warned).toBe(false)
    expect(v.projection.currentStep).toBe(1)
    // One entry per event, by the event's own actor, even after a retry of the same action.
    const entries = portal.emu.ctx.db.crm.logMessages.filter((m) => m.entityId === itemId)
    expect(entries.map((m) => m.authorId)).toEqual([AUTHOR, LAWYER])
  })

  it('a retry with the same event id adds no second entry', async () => {
    const itemId = await createDraft(portal)
    const req = { itemId, actor: { id: AUTHOR, name: name(AUTHOR) }, eventId: randomUUID(), at: new Date().toISOString(), intent: { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] } as Intent }
    // The entry is written, then the write "crashes": the orphan entry is found by the retry.
    const first = await act(portal.port(AUTHOR), portal.space, req, { tuning: FAST })
    expect(first.ok).toBe(true)
    await writeRaw(itemId, AUTHOR, { [portal.space.fields.approvalLog]: '' })
    const again = await act(portal.port(AUTHOR), portal.space, req, { tuning: FAST })
    expect(again.ok).toBe(true)
    expect(portal.emu.ctx.db.crm.logMessages.filter((m) => m.entityId === itemId)).toHaveLength(1)
  })

  describe('forgery: colleagues with edit rights crafting REST calls', () => {
    /** Runs a forgery; `advanced` when the card shows more progress than the honest state or originals can be received. */
    async function forgery(forge: (itemId: number, honest: View) => Promise<void>): Promise<{ advanced: boolean; view: View }> {
      const itemId = await contract()
      const honest = await view(itemId)
      await forge(itemId, honest)
      const after = await view(itemId)
      const receipt = await run(itemId, ARCHIVIST, { type: 'receiveOriginal', receivedAt: '2026-12-01', storageLocation: 'Шкаф 1' })
      const advanced = progress(after.projection) > progress(honest.projection) || receipt.ok
      counts.forgeryTried++
      if (advanced) counts.forgeryAdvanced++
      return { advanced, view: after }
    }

    it('the author appends approvals in security\'s and the CEO\'s names with a recomputed chain and the stage "awaiting originals"', async () => {
      const r = await forgery(async (itemId, honest) => {
        let log = appended(honest.log, approval(SECURITY, 1, honest.log))
        log = appended(log, approval(CEO, 2, log))
        await writeLog(itemId, AUTHOR, log)
        // She even leaves entries carrying the markers: hers, not theirs.
        for (const e of log.events.slice(-2)) await fakeEntry(itemId, AUTHOR, e)
      })
      expect(r.advanced).toBe(false)
      expect(r.view.warned).toBe(true)
    })

    it('the author writes a whole new history on a route whose only approver is herself', async () => {
      const r = await forgery(async (itemId, honest) => {
        const self = { ...ROUTES.routes[0]!, id: 'self', steps: [{ title: 'Я', mode: 'any' as const, slaHours: 1, approvers: [{ kind: 'user' as const, userId: AUTHOR }] }] }
        const frozen = freezeRoute(self, 1, [])
        if (!frozen.ok) throw new Error('freeze')
        const record = readContract(await portal.port(AUTHOR).getItem(portal.space.entityTypeId, itemId), portal.space)
        const sub = { id: randomUUID(), n: 0, type: 'submitted', at: new Date().toISOString(), actor: { id: AUTHOR, name: name(AUTHOR) }, round: 1, step: null, snapshot: snapshotOf(record), route: frozen.route } as EventContent
        let log = buildLog([sub])
        log = appended(log, approval(AUTHOR, 0, log))
        await writeLog(itemId, AUTHOR, log)
        for (const e of log.events) await fakeEntry(itemId, AUTHOR, e)
        void honest
      })
      expect(r.advanced).toBe(false)
      expect(r.view.warned).toBe(true)
    })

    it('a colleague with write rights, not an approver, appends the security approval and vouches for it himself', async () => {
      const r = await forgery(async (itemId, honest) => {
        const log = appended(honest.log, approval(SECURITY, 1, honest.log))
        await writeLog(itemId, COLLEAGUE, log)
        await fakeEntry(itemId, COLLEAGUE, log.events.at(-1)!)
      })
      expect(r.advanced).toBe(false)
    })

    it('a colleague sets the stage to archived with a fake storage place, leaving the log alone', async () => {
      const f = portal.space.fields
      const r = await forgery(async (itemId) => {
        const stage = `DT${portal.space.entityTypeId}_${portal.space.categoryId}:SUCCESS`
        await writeRaw(itemId, COLLEAGUE, { stageId: stage, [f.storageLocation]: 'Нигде', [f.originalsReceived]: 'Y' })
      })
      expect(r.advanced).toBe(false)
    })

    it('the author swaps the approvers of her published route for herself and a friend, re-vouching her submission', async () => {
      const r = await forgery(async (itemId, honest) => {
        const [sub] = honest.log.events.map(contentOf) as [EventContent & { route: { steps: { approverIds: number[] }[] } }]
        const route = { ...sub.route, steps: sub.route.steps.map((s) => ({ ...s, approverIds: [COLLEAGUE] })) }
        const forged = { ...sub, id: randomUUID(), route } as unknown as EventContent
        let log = buildLog([forged])
        log = appended(log, approval(COLLEAGUE, 0, log))
        log = appended(log, approval(COLLEAGUE, 1, log))
        log = appended(log, approval(COLLEAGUE, 2, log))
        await writeLog(itemId, AUTHOR, log)
        await fakeEntry(itemId, AUTHOR, forged)
        for (const e of log.events.slice(1)) await fakeEntry(itemId, COLLEAGUE, e)
      })
      expect(r.advanced).toBe(false)
    })

    it('the lawyer\'s seat is handed to the author in the lawyer\'s name; the author then approves', async () => {
      const r = await forgery(async (itemId, honest) => {
        const del = { id: randomUUID(), type: 'delegated', at: new Date().toISOString(), actor: { id: SECURITY, name: name(SECURITY) }, round: 1, step: 1, delegateTo: { id: AUTHOR, name: name(AUTHOR) } } as Omit<EventContent, 'n'>
        let log = appended(honest.log, del)
        log = appended(log, approval(AUTHOR, 1, log))
        await writeLog(itemId, AUTHOR, log)
        for (const e of log.events.slice(-2)) await fakeEntry(itemId, AUTHOR, e)
      })
      expect(r.advanced).toBe(false)
    })
  })

  describe('tamper: every kind of edit is detected or takes no effect', () => {
    const f = () => portal.space.fields
    const cases: [string, (itemId: number, honest: View) => Promise<void>][] = [
      ['newest event edited, hash left', async (id, h) => writeLog(id, AUTHOR, { ...h.log, events: h.log.events.map((e, i) => (i === h.log.events.length - 1 ? { ...e, comment: 'правка' } : e)) as ApprovalEvent[] })],
      ['newest event edited, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.map((e, i) => (i === c.length - 1 ? { ...e, comment: 'правка' } : e))))],
      ['approval moved to the CEO, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.map((e, i) => (i === c.length - 1 ? { ...e, actor: { id: CEO, name: name(CEO) } } : e))))],
      ['newest event deleted', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.slice(0, -1)))],
      ['field emptied', async (id) => writeRaw(id, AUTHOR, { [f().approvalLog]: '' })],
      ['field replaced with garbage', async (id) => writeRaw(id, AUTHOR, { [f().approvalLog]: '{"v":1,"events":[{"id":' })],
      ['events reordered', async (id, h) => writeLog(id, AUTHOR, { ...h.log, events: [...h.log.events].reverse() })],
      ['an event duplicated', async (id, h) => writeLog(id, AUTHOR, { ...h.log, events: [...h.log.events, h.log.events.at(-1)!] })],
      ['stored route swapped', async (id, h) => writeLog(id, AUTHOR, { ...h.log, route: h.log.route && { ...h.log.route, steps: h.log.route.steps.slice(1) } })],
      ['submission amount edited, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.map((e) => (e.type === 'submitted' ? { ...e, snapshot: { ...e.snapshot, amount: 1 } } : e))))],
      ['approval time edited, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.map((e) => (e.type === 'approved' ? { ...e, at: '2020-01-01T00:00:00.000Z' } : e))))],
      ['approval step edited, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.map((e) => (e.type === 'approved' ? { ...e, step: 2 } : e))))],
      ['approval turned into a return, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.map((e) => (e.type === 'approved' ? { ...e, type: 'returned', comment: 'нет' } as EventContent : e))))],
      ['event inserted in the middle, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => [c[0]!, { ...approval(LAWYER, 0, h.log), n: 1 } as EventContent, ...c.slice(1).map((e) => ({ ...e, n: e.n + 1 }))]))],
      ['submission removed, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.slice(1).map((e) => ({ ...e, n: 0 }))))],
      ['round of an event edited, chain recomputed', async (id, h) => writeLog(id, AUTHOR, rebuilt(h.log, (c) => c.map((e) => (e.type === 'approved' ? { ...e, round: 2 } : e))))],
      ['another contract\'s history copied in', async (id) => {
        const other = await contract()
        const theirs = await stored(other, AUTHOR)
        await writeLog(id, AUTHOR, rebuilt(theirs.log, (c) => c.map((e) => (e.type === 'approved' ? { ...e, comment: 'чужое' } : e))))
      }],
      ['stage edited, log intact', async (id) => writeRaw(id, COLLEAGUE, { stageId: `DT${portal.space.entityTypeId}_${portal.space.categoryId}:SUCCESS` })],
    ]

    for (const [title, tamper] of cases) {
      it(title, async () => {
        const itemId = await contract()
        const honest = await view(itemId)
        await tamper(itemId, honest)
        const after = await view(itemId)
        const neutralised = stateOf(after.projection) === stateOf(honest.projection)
        counts.tamperTried++
        if (!after.warned && !neutralised) counts.tamperUndetected++
        expect(after.warned || neutralised).toBe(true)
      })
    }
  })

  describe('a way back', () => {
    it('an administrator rebuilds an emptied history from the confirmed entries, and the contract moves on', async () => {
      const itemId = await contract()
      await writeRaw(itemId, AUTHOR, { [portal.space.fields.approvalLog]: '' })
      expect((await view(itemId)).warned).toBe(true)
      await restoreHistory(portal.port(ADMIN), portal.space, { itemId, mode: 'rebuild', at: new Date().toISOString(), actor: { id: ADMIN, name: 'admin' }, reason: '' })
      const v = await view(itemId)
      expect(v.warned).toBe(false)
      expect(v.projection.currentApprovers).toEqual([SECURITY])
      expect(v.log.accepted?.at(-1)).toMatchObject({ action: 'rebuilt', by: { id: ADMIN } })
      expect((await run(itemId, SECURITY, { type: 'approve', round: 1, step: 1 })).ok).toBe(true)
    })

    it('rebuilding drops forged events; accepting keeps them recorded, with the reason, and without effect', async () => {
      const itemId = await contract()
      const honest = await view(itemId)
      await writeLog(itemId, AUTHOR, appended(honest.log, approval(SECURITY, 1, honest.log)))
      await restoreHistory(portal.port(ADMIN), portal.space, { itemId, mode: 'accept', at: new Date().toISOString(), actor: { id: ADMIN, name: 'admin' }, reason: 'проверено' })
      const accepted = await view(itemId)
      expect(accepted.log.events).toHaveLength(3)
      expect(accepted.log.accepted?.at(-1)).toMatchObject({ action: 'accepted', reason: 'проверено' })
      expect(accepted.projection.currentApprovers).toEqual([SECURITY])
      await restoreHistory(portal.port(ADMIN), portal.space, { itemId, mode: 'rebuild', at: new Date().toISOString(), actor: { id: ADMIN, name: 'admin' }, reason: '' })
      const clean = await view(itemId)
      expect(clean.log.events).toHaveLength(2)
      expect(clean.warned).toBe(false)
    })

    it('only an administrator restores', async () => {
      const itemId = await contract()
      await expect(restoreHistory(portal.port(AUTHOR), portal.space, { itemId, mode: 'rebuild', at: new Date().toISOString(), actor: { id: AUTHOR, name: 'a' }, reason: '' }))
        .rejects.toMatchObject({ code: 'ADMIN_ONLY' })
    })
  })
})
