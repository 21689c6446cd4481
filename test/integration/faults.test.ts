/**
 * Issue 8, "effects exactly once under faults": real decisions through the app's use cases
 * (services/approval/actions.ts) and the real SDK, while the emulator's control endpoint injects
 * the faults a portal has — 20 % of calls answered 500, 503 storms, and replies lost after the
 * portal carried the call out (the SDK then sends the same request again). Whoever decides
 * behaves as the tab lets a person behave: on a reported failure the same action is tried again
 * with the same event id. Then the emulator's own state is checked: every decision recorded once,
 * no duplicate timeline entries, to-dos or re-sent notifications, to-dos that match the log after
 * every action, every notification the log calls for sent by the deciding client, and no saved
 * decision reported as failed. With CA_RELIABILITY_REPORT the counts go to
 * reports/reliability.json (`faults.*`, `concurrency.*`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act, type Intent } from '../../src/services/approval/actions.ts'
import { parseStored, type StoredLog } from '../../src/services/approval/stored-log.ts'
import { pendingEffects } from '../../src/services/approval/side-effects.ts'
import { effectsOfEvent, todoRef } from '../../src/domain/effects.ts'
import { markersIn } from '../../src/domain/attestation.ts'
import { project } from '../../src/domain/projection.ts'
import { ARCHIVISTS_OPTION, parseArchivists } from '../../src/domain/archive.ts'
import type { RouteSet } from '../../src/domain/route.ts'
import { createNodePort } from '../support/node-port.ts'
import { PEOPLE } from '../support/people.ts'
import { reportSection } from '../support/reliability-report.ts'
import {
  addApprovers, ADMIN, AUTHOR, CEO, committeeRoutes, createDraft, db, FAST, logMessagesOf, notificationsAbout, setRoutes, startPortal, todosOf,
  type Portal,
} from './approval/helpers.ts'

const LAWYER = PEOPLE.lawyer
const SECURITY = PEOPLE.security
const CFO = PEOPLE.cfo

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'faults', name: 'Три шага', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист', mode: 'any', slaHours: 24, approvers: [{ kind: 'user', userId: LAWYER }] },
      { title: 'СБ и финансы', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: SECURITY }, { kind: 'user', userId: CFO }] },
      { title: 'Директор', mode: 'any', slaHours: 48, approvers: [{ kind: 'user', userId: CEO }] },
    ],
  }],
}

/** One contract's life: a return and a second round, so to-dos close and reopen across rounds. */
const SCRIPT: readonly (readonly [number, Intent])[] = [
  [AUTHOR, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] }],
  [LAWYER, { type: 'return', round: 1, step: 0, comment: 'Исправьте сумму' }],
  [AUTHOR, { type: 'resubmit', routeSet: ROUTES, departmentHeadIds: [] }],
  [LAWYER, { type: 'approve', round: 2, step: 0 }],
  [SECURITY, { type: 'approve', round: 2, step: 1 }],
  [CFO, { type: 'approve', round: 2, step: 1, comment: 'Бюджет есть' }],
  [CEO, { type: 'approve', round: 2, step: 2 }],
]

/**
 * The reliability run (CA_RELIABILITY_REPORT) plays the numbers: 10 contracts per fault
 * mode (210 actions) and a committee of 50. `npm test` plays the same paths at a fifth of that,
 * so the suite stays a few seconds of its run.
 */
const FULL = Boolean(process.env.CA_RELIABILITY_REPORT)
/** Contracts per fault mode, run side by side (each one's actions in order). */
const CONTRACTS = FULL ? 10 : 2
/** Approvers of the parallel step deciding at the same moment. */
const COMMITTEE = FULL ? 50 : 10
/** Times a person tries one action before giving up (the tab keeps the event id). */
const USER_TRIES = 8

const counts = {
  actions: 0, lost: 0, duplicateEffects: 0, wrongTodos: 0, missingNotifications: 0, misreported: 0, userRetries: 0, lostReplies: 0,
}
const concurrency = { approvers: 0, recorded: 0 }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

describe('effects exactly once under faults', () => {
  let portal: Portal

  async function control(body: Record<string, unknown>): Promise<{ stats: { lostReplies: number } }> {
    const res = await fetch(`${portal.emu.origin}/_emulator/control`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Emulator-Token': portal.emu.controlToken }, body: JSON.stringify(body),
    })
    expect(res.status).toBe(200)
    return (await res.json()) as { stats: { lostReplies: number } }
  }

  /** The log as the portal holds it, read in-process (no HTTP, no faults). */
  async function storedLog(itemId: number): Promise<StoredLog> {
    const res = await portal.emu.ctx.callAs(ADMIN, 'crm.item.get', { entityTypeId: portal.space.entityTypeId, id: itemId })
    const parsed = parseStored((res.result as { item: Record<string, unknown> }).item[portal.space.fields.approvalLog])
    if (!parsed.ok) throw new Error(`the stored log of ${itemId} does not parse: ${parsed.error}`)
    return parsed.stored
  }
  const storedIds = async (itemId: number) => new Set((await storedLog(itemId)).log.events.map((e) => e.id))

  /** The archivists named in Settings: called (a to-do and a notification) once the paper is due. */
  const archivists = () => parseArchivists(portal.emu.ctx.db.app.options[ARCHIVISTS_OPTION]).userIds.filter((id) => id > 0)

  /**
   * Open to-dos against what the log says: the seats waiting now, and each archivist's
   * "bring in the originals" while the contract awaits them. A mismatch counts once per check.
   */
  async function checkTodos(itemId: number): Promise<void> {
    const p = project((await storedLog(itemId)).log)
    const seats = p.currentStep === null ? [] : p.currentApprovers.map((u) => todoRef(p.round, p.currentStep as number, u))
    const expected = [...seats, ...(p.stageCode === 'ORIGINALS' ? archivists().map((u) => `orig-u${u}`) : [])]
    const open = todosOf(portal, itemId).filter((t) => t.completed === 'N').map((t) => /\[ca:([^\]]+)\]/.exec(t.description)?.[1] ?? '?')
    if (JSON.stringify([...open].sort()) !== JSON.stringify([...expected].sort())) counts.wrongTodos++
  }

  /** The id each notification had when its person could first see it: a later id is a re-send. */
  const firstSeen = new Map<string, number>()
  function noteNotifications(itemId: number): void {
    for (const n of notificationsAbout(portal, itemId)) {
      const key = `${n.userId}|${n.tag}`
      if (!firstSeen.has(key)) firstSeen.set(key, n.id)
    }
  }

  /** One person's action as the tab runs it: tried again with the same event id while it fails. */
  async function decide(itemId: number, who: number, intent: Intent): Promise<void> {
    const eventId = randomUUID()
    const at = new Date().toISOString()
    counts.actions++
    let reportedSaved = false
    for (let attempt = 0; attempt < USER_TRIES && !reportedSaved; attempt++) {
      if (attempt > 0) counts.userRetries++
      try {
        const res = await act(portal.port(who), portal.space, { itemId, actor: { id: who, name: `user ${who}` }, eventId, at, intent }, { tuning: FAST })
        if (!res.ok) throw new Error(`refused: ${res.reason} ${who} ${JSON.stringify(intent).slice(0, 80)} attempt ${attempt} ${JSON.stringify((await storedLog(itemId)).log.events.map((e) => [e.type, e.actor.id, e.round, e.step]))}`)
        reportedSaved = true
      } catch (e) {
        if (String(e).includes('refused')) throw e
        // A failure reported for a decision the portal in fact holds.
        if ((await storedIds(itemId)).has(eventId)) counts.misreported++
        await sleep(200 * (attempt + 1))
      }
    }
    const saved = (await storedIds(itemId)).has(eventId)
    if (saved !== reportedSaved || !saved) counts.lost++
    await checkTodos(itemId)
    noteNotifications(itemId)
  }

  /** What the portal holds once a contract's script is over. */
  async function audit(itemId: number): Promise<void> {
    const stored = await storedLog(itemId)
    const log = stored.log
    // Timeline: one entry per event (its attestation), never two.
    const byEvent = new Map<string, number>()
    for (const m of logMessagesOf(portal, itemId)) {
      for (const mark of markersIn(m.text)) byEvent.set(mark.eventId, (byEvent.get(mark.eventId) ?? 0) + 1)
    }
    for (const n of byEvent.values()) counts.duplicateEffects += n - 1
    for (const e of log.events) if (!byEvent.has(e.id)) counts.lost++
    // To-dos: one per seat.
    const perRef = new Map<string, number>()
    for (const t of todosOf(portal, itemId)) {
      const ref = /\[ca:([^\]]+)\]/.exec(t.description)?.[1] ?? `?${t.id}`
      perRef.set(ref, (perRef.get(ref) ?? 0) + 1)
    }
    for (const n of perRef.values()) counts.duplicateEffects += n - 1
    // Notifications: each one the log calls for, once, never sent again after it was seen.
    const notes = notificationsAbout(portal, itemId)
    // The archivists' call when the paper is due (its tag is not in the log's effects).
    if (project(log).stageCode === 'ORIGINALS') {
      for (const uid of archivists()) {
        const sent = notes.filter((n) => n.tag === `CA|${itemId}|orig|${uid}` && n.userId === uid)
        if (sent.length === 0) counts.missingNotifications++
        counts.duplicateEffects += Math.max(0, sent.length - 1)
      }
    }
    for (const e of log.events) {
      for (const fx of effectsOfEvent(log, e.id)) {
        if (fx.kind !== 'notify') continue
        const tag = `CA|${itemId}|${fx.key}`
        const sent = notes.filter((n) => n.tag === tag && n.userId === fx.userId)
        if (sent.length === 0) counts.missingNotifications++
        counts.duplicateEffects += Math.max(0, sent.length - 1)
        if (sent.length === 1 && firstSeen.get(`${fx.userId}|${tag}`) !== sent[0]?.id) counts.duplicateEffects++
      }
    }
  }

  beforeAll(async () => {
    portal = await startPortal()
    await setRoutes(portal, ROUTES)
  })

  afterAll(async () => {
    if (portal) counts.lostReplies = (await control({})).stats.lostReplies
    await portal?.close()
    reportSection('faults', {
      actions: counts.actions, lost: counts.lost, duplicateEffects: counts.duplicateEffects, wrongTodos: counts.wrongTodos,
      missingNotifications: counts.missingNotifications, misreported: counts.misreported, userRetries: counts.userRetries,
      lostReplies: counts.lostReplies,
    })
    if (concurrency.approvers) reportSection('concurrency', concurrency)
  })

  it('the emulator can lose a reply after it acted: the write is saved, the caller sees the connection drop', async () => {
    const itemId = await createDraft(portal, 'Ответ потерян')
    const once = createNodePort({ origin: portal.emu.origin, userId: AUTHOR, ctx: portal.emu.ctx, attempts: 1 })
    const before = (await control({})).stats.lostReplies
    await control({ lostReplyRate: 1 })
    try {
      await expect(once.call('crm.item.update', { entityTypeId: portal.space.entityTypeId, id: itemId, fields: { title: 'После потери ответа' } }))
        .rejects.toMatchObject({ kind: 'network' })
    } finally {
      await control({ reset: 'faults' })
    }
    expect((await control({})).stats.lostReplies).toBe(before + 1)
    expect((await once.getItem(portal.space.entityTypeId, itemId)).title).toBe('После потери ответа')
    // And the SDK's own retry of such a request runs it twice: what the app has to live with.
    const retrying = createNodePort({ origin: portal.emu.origin, userId: AUTHOR, ctx: portal.emu.ctx, attempts: 2 })
    const messages = () => logMessagesOf(portal, itemId).length
    const had = messages()
    await control({ lostReplyRate: 1 })
    const call = retrying.call('crm.timeline.logmessage.add', { fields: { entityTypeId: portal.space.entityTypeId, entityId: itemId, title: 't', text: 'x' } })
    await expect(call).rejects.toMatchObject({ kind: 'network' })
    await control({ reset: 'faults' })
    expect(messages()).toBe(had + 2)
  })

  const MODES: readonly { name: string; faults: Record<string, unknown>; storms?: boolean }[] = [
    { name: '20 % of calls answered 500', faults: { errorRate: 0.2 } },
    { name: '20 % of replies lost after the portal acted', faults: { lostReplyRate: 0.2 } },
    { name: '503 storms', faults: {}, storms: true },
  ]

  for (const mode of MODES) {
    it(`${CONTRACTS} contracts, ${SCRIPT.length} decisions each, under ${mode.name}`, async () => {
      const items: number[] = []
      for (let i = 0; i < CONTRACTS; i++) items.push(await createDraft(portal, `Договор под сбоями ${mode.name} №${i + 1}`))
      const actionsBefore = counts.actions
      await control({ reset: 'faults' })
      await control(mode.faults)
      let storming = mode.storms === true
      // A 503 storm of 1.5 s every 4 s while the contracts run.
      const storms = (async () => {
        while (storming) {
          await control({ limitStormMs: 1500 })
          await sleep(4000)
        }
      })()
      try {
        await Promise.all(items.map(async (itemId) => {
          for (const [who, intent] of SCRIPT) await decide(itemId, who, intent)
        }))
      } finally {
        storming = false
        await storms
        await control({ reset: 'faults' })
      }
      for (const itemId of items) {
        await audit(itemId)
        const stored = await storedLog(itemId)
        expect(project(stored.log).stageCode).toBe('ORIGINALS')
        // Nothing left for a later load of the tab to redo.
        expect(pendingEffects({ stored } as Parameters<typeof pendingEffects>[0]).map((x) => x.effect.key)).toEqual([])
      }
      expect(counts.actions - actionsBefore).toBe(CONTRACTS * SCRIPT.length)
      expect(counts).toMatchObject({ lost: 0, duplicateEffects: 0, wrongTodos: 0, missingNotifications: 0, misreported: 0 })
    }, 600_000)
  }

  it(`${COMMITTEE} approvers of one parallel \`all\` step decide at the same moment: every decision recorded once`, async () => {
    const approvers = addApprovers(portal, COMMITTEE)
    const routes = committeeRoutes(approvers)
    await setRoutes(portal, routes)
    const itemId = await createDraft(portal, 'Комитет из пятидесяти')
    const submitted = await act(portal.port(AUTHOR), portal.space, {
      itemId, actor: { id: AUTHOR, name: 'author' }, eventId: randomUUID(), at: new Date().toISOString(), intent: { type: 'submit', routeSet: routes, departmentHeadIds: [] },
    }, { tuning: FAST })
    expect(submitted.ok).toBe(true)
    concurrency.approvers = approvers.length
    const ids = new Map(approvers.map((id) => [id, randomUUID()]))
    const results = await Promise.all(approvers.map((id) => act(portal.port(id), portal.space, {
      itemId, actor: { id, name: `Согласующий ${id}` }, eventId: ids.get(id) as string, at: new Date().toISOString(), intent: { type: 'approve', round: 1, step: 0 },
    }, { tuning: FAST })))
    const log = (await storedLog(itemId)).log
    const approvals = log.events.filter((e) => e.type === 'approved')
    // Recorded once each, with the id its person's action carried.
    concurrency.recorded = approvers.filter((id) => approvals.filter((e) => e.actor.id === id && e.id === ids.get(id)).length === 1).length
    expect(results.every((r) => r.ok)).toBe(true)
    expect(approvals).toHaveLength(approvers.length)
    expect(concurrency.recorded).toBe(approvers.length)
    const p = project(log)
    expect(p.steps[0]?.status).toBe('approved')
    expect(p.currentApprovers).toEqual([CEO])
    // Effects once: one to-do per seat, all closed but the CEO's; one timeline entry per event.
    const todos = todosOf(portal, itemId)
    expect(todos.filter((t) => approvers.includes(t.responsibleId))).toHaveLength(approvers.length)
    expect(todos.filter((t) => t.completed === 'N').map((t) => t.responsibleId)).toEqual([CEO])
    expect(logMessagesOf(portal, itemId)).toHaveLength(1 + approvers.length)
    expect(db(portal).notifications.filter((n) => n.tag?.startsWith(`CA|${itemId}|`) && n.userId === CEO)).toHaveLength(1)
  }, 600_000)
})
