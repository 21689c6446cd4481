import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act, recoverEffects, type Intent } from '../../../src/services/approval/actions.ts'
import { changeSignature, loadCard } from '../../../src/services/approval/card.ts'
import { contractIO } from '../../../src/services/approval/writer.ts'
import { pendingEffects } from '../../../src/services/approval/side-effects.ts'
import { earlierDecisionsOf, project } from '../../../src/domain/projection.ts'
import { AUTHOR, CEO, committeeRoutes, createDraft, FAST, logMessagesOf, notificationsAbout, setRoutes, startPortal, todosOf, type Portal } from './helpers.ts'
import { PEOPLE } from '../../support/people.ts'
import { appLinkPath } from '../../../src/domain/schema.ts'

const LAWYER = PEOPLE.lawyer
const CFO = PEOPLE.cfo

describe('approval flow against the emulator', () => {
  let portal: Portal
  let itemId: number
  const routes = committeeRoutes([LAWYER, CFO])
  const name = (id: number) => `User ${id}`
  const run = (userId: number, intent: Intent, eventId = randomUUID(), at = new Date().toISOString()) =>
    act(portal.port(userId), portal.space, { itemId, actor: { id: userId, name: name(userId) }, eventId, at, intent }, { tuning: FAST })

  beforeAll(async () => {
    portal = await startPortal()
    await setRoutes(portal, routes)
    itemId = await createDraft(portal)
  })
  afterAll(async () => {
    await portal?.close()
  })

  it('renders the tab from ONE HTTP request after the frame handshake', async () => {
    const port = portal.port(LAWYER)
    const before = port.requestCount()
    const card = await loadCard(port, portal.space.entityTypeId, itemId)
    expect(port.requestCount() - before).toBe(1)
    expect(card.space).toEqual(portal.space)
    expect(card.routeSet.routes.map((r) => r.id)).toEqual(['committee'])
    expect(card.me.id).toBe(LAWYER)
    expect(card.record?.id).toBe(itemId)
    expect(card.users.get(CFO)?.fullName).toBe('Сергей Морозов')
    expect(card.users.get(AUTHOR)?.fullName).toBe('Мария Козлова')

    // A reload knows the field names: it asks for exactly the current approvers and the route's people.
    const again = await loadCard(port, portal.space.entityTypeId, itemId, { space: card.space, routeSet: card.routeSet })
    expect(port.requestCount() - before).toBe(2)
    expect([...again.users.keys()].sort((a, b) => a - b)).toEqual([AUTHOR, LAWYER, CFO, CEO].sort((a, b) => a - b))
  })

  it('a double click records one event; a second decision by the same person is refused', async () => {
    const submitted = await run(AUTHOR, { type: 'submit', routeSet: routes, departmentHeadIds: [] })
    expect(submitted.ok).toBe(true)
    const id = randomUUID()
    const at = new Date().toISOString()
    const [a, b] = await Promise.all([
      run(LAWYER, { type: 'approve', round: 1, step: 0 }, id, at),
      run(LAWYER, { type: 'approve', round: 1, step: 0 }, id, at),
    ])
    expect(a.ok && b.ok).toBe(true)
    // A retry of the same action after it finished appends nothing and sends nothing.
    const retry = await run(LAWYER, { type: 'approve', round: 1, step: 0 }, id, at)
    expect(retry.ok && retry.duplicate).toBe(true)
    const again = await run(LAWYER, { type: 'approve', round: 1, step: 0 })
    expect(again.ok ? null : again.reason).toBe('alreadyDecided')
    const record = await contractIO(portal.port(AUTHOR), portal.space, itemId).read()
    expect(record.stored.log.events.filter((e) => e.type === 'approved')).toHaveLength(1)
    expect(logMessagesOf(portal, itemId)).toHaveLength(2)
  })

  it('a return needs a comment, reaches the author, and the resubmission shows it with earlier marks', async () => {
    const noComment = await run(CFO, { type: 'return', round: 1, step: 0, comment: '  ' })
    expect(noComment.ok ? null : noComment.reason).toBe('commentRequired')
    const returned = await run(CFO, { type: 'return', round: 1, step: 0, comment: 'Уточните график платежей' })
    expect(returned.ok).toBe(true)
    const toAuthor = notificationsAbout(portal, itemId).filter((n) => n.userId === AUTHOR)
    expect(toAuthor).toHaveLength(1)
    expect(toAuthor[0]?.message).toContain('Уточните график платежей')
    expect(toAuthor[0]?.message).toContain(`${portal.emu.origin}${appLinkPath(portal.space.appCode ?? '', itemId)}`)
    expect(todosOf(portal, itemId).filter((t) => t.completed === 'N')).toEqual([])

    const stranger = await run(LAWYER, { type: 'resubmit', routeSet: routes, departmentHeadIds: [] })
    expect(stranger.ok ? null : stranger.reason).toBe('notAuthor')
    const resubmitted = await run(AUTHOR, { type: 'resubmit', routeSet: routes, departmentHeadIds: [] })
    expect(resubmitted.ok).toBe(true)
    const card = await loadCard(portal.port(CFO), portal.space.entityTypeId, itemId)
    const p = project(card.record!.stored.log)
    expect(p.round).toBe(2)
    expect(p.returnComments.map((d) => d.comment)).toEqual(['Уточните график платежей'])
    expect(earlierDecisionsOf(p, LAWYER).map((d) => d.decision)).toEqual(['approved'])
    expect(todosOf(portal, itemId).filter((t) => t.completed === 'N').map((t) => t.responsibleId).sort()).toEqual([LAWYER, CFO])
  })

  it('reaches "approved, awaiting originals" and tells the author', async () => {
    for (const who of [LAWYER, CFO]) expect((await run(who, { type: 'approve', round: 2, step: 0 })).ok).toBe(true)
    const last = await run(CEO, { type: 'approve', round: 2, step: 1 })
    expect(last.ok && last.projection.stageCode).toBe('ORIGINALS')
    const record = await contractIO(portal.port(AUTHOR), portal.space, itemId).read()
    expect(record.stageCode).toBe('ORIGINALS')
    expect(record.item[portal.space.fields.approvers]).toEqual([])
    expect(notificationsAbout(portal, itemId).filter((n) => n.userId === AUTHOR && n.message.includes('согласован'))).toHaveLength(1)
    // The approvers' to-dos are closed; the archivist's "receive the original" one is open (issue 11).
    expect(todosOf(portal, itemId).filter((t) => t.completed === 'N').map((t) => t.responsibleId)).toEqual([PEOPLE.archivist])
    expect(notificationsAbout(portal, itemId).filter((n) => n.userId === PEOPLE.archivist && n.tag === `CA|${itemId}|orig|${PEOPLE.archivist}`)).toHaveLength(1)
  })

  it('the live signature changes when someone acts, and not otherwise', async () => {
    const draft = await createDraft(portal, 'Живой договор')
    const port = portal.port(LAWYER)
    const s1 = await changeSignature(port, portal.space, draft)
    expect(await changeSignature(port, portal.space, draft)).toBe(s1)
    const submitted = await act(portal.port(AUTHOR), portal.space, {
      itemId: draft, actor: { id: AUTHOR, name: 'Мария' }, eventId: randomUUID(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: routes, departmentHeadIds: [] },
    }, { tuning: FAST })
    expect(submitted.ok).toBe(true)
    expect(await changeSignature(port, portal.space, draft)).not.toBe(s1)
  })

  it('a side effect found missing on load is redone once, and only once', async () => {
    const draft = await createDraft(portal, 'Договор с потерянным уведомлением')
    const author = portal.port(AUTHOR)
    const submitted = await act(author, portal.space, {
      itemId: draft, actor: { id: AUTHOR, name: 'Мария' }, eventId: randomUUID(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: routes, departmentHeadIds: [] },
    }, { tuning: FAST })
    expect(submitted.ok).toBe(true)
    // Simulate a writer that died after the state write: drop its to-dos, notices and done marks.
    const f = portal.space.fields
    const item = portal.emu.ctx.db.crm.items[String(portal.space.entityTypeId)]![String(draft)]!
    const raw = JSON.parse(String(item[f.approvalLog]))
    item[f.approvalLog] = JSON.stringify({ ...raw, fx: {} })
    portal.emu.ctx.db.crm.activities = portal.emu.ctx.db.crm.activities.filter((a) => a.ownerId !== draft)
    portal.emu.ctx.db.notifications = portal.emu.ctx.db.notifications.filter((n) => !n.tag?.startsWith(`CA|${draft}|`))

    const card = await loadCard(portal.port(LAWYER), portal.space.entityTypeId, draft)
    expect(pendingEffects(card.record!).length).toBeGreaterThan(0)
    const later = Date.now() + 10 * 60_000
    const first = await recoverEffects(portal.port(LAWYER), portal.space, card.record!, { tuning: FAST, now: () => later })
    expect(first?.effects.failed).toEqual([])
    expect(todosOf(portal, draft).map((t) => t.responsibleId).sort()).toEqual([LAWYER, CFO])
    expect(notificationsAbout(portal, draft)).toHaveLength(2)
    // Recovery does not look for log messages in the portal: with the done mark gone it re-sent
    // the submission's message. What matters here is that a second load sends nothing more.
    const messages = logMessagesOf(portal, draft).length
    const again = await loadCard(portal.port(CFO), portal.space.entityTypeId, draft)
    expect(pendingEffects(again.record!)).toEqual([])
    expect(await recoverEffects(portal.port(CFO), portal.space, again.record!, { tuning: FAST, now: () => later })).toBeNull()
    expect(todosOf(portal, draft)).toHaveLength(2)
    expect(logMessagesOf(portal, draft)).toHaveLength(messages)
  })

  it('a notification that fails is not marked done, the decision still stands, and a later load sends it', async () => {
    const draft = await createDraft(portal, 'Договор с отказом уведомлений')
    // The deciding client tries a failed effect again (issue "Trust"): fail for longer than it tries.
    portal.emu.ctx.faults.failMethods['im.notify.system.add'] = 1000
    const submitted = await act(portal.port(AUTHOR), portal.space, {
      itemId: draft, actor: { id: AUTHOR, name: 'Мария' }, eventId: randomUUID(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: routes, departmentHeadIds: [] },
    }, { tuning: FAST })
    expect(submitted.ok).toBe(true)
    // Both approvers of the first step (the route's committee) go without their notification.
    expect(submitted.ok && submitted.effects?.failed.map((f) => f.error.kind)).toEqual(['unknown', 'unknown'])
    expect(notificationsAbout(portal, draft)).toHaveLength(0)
    const card = await loadCard(portal.port(CFO), portal.space.entityTypeId, draft)
    expect(card.record?.stageCode).toBe('APPROVAL')
    expect(pendingEffects(card.record!).map((x) => x.effect.kind)).toEqual(['notify', 'notify'])
    portal.emu.ctx.faults.failMethods['im.notify.system.add'] = 0
    await recoverEffects(portal.port(CFO), portal.space, card.record!, { tuning: FAST, now: () => Date.now() + 10 * 60_000 })
    expect(notificationsAbout(portal, draft)).toHaveLength(2)
  })
})
