/**
 * Delegation through the real SDK against the emulator: the approver hands their seat to a
 * colleague, who can then decide while the delegator can no longer; the portal sees exactly one
 * timeline message, one notification to the delegate, the delegator's to-do closed and one
 * opened for the delegate with the step deadline, however many times the click arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act, type Intent } from '../../../src/services/approval/actions.ts'
import { contractIO } from '../../../src/services/approval/writer.ts'
import { project } from '../../../src/domain/projection.ts'
import { todoRef } from '../../../src/domain/effects.ts'
import { delegationsOf, seatKey } from '../../../src/domain/delegation.ts'
import { AUTHOR, CEO, committeeRoutes, createDraft, FAST, logMessagesOf, notificationsAbout, setRoutes, startPortal, todosOf, type Portal } from './helpers.ts'
import { PEOPLE } from '../../support/people.ts'
import { appLinkPath } from '../../../src/domain/schema.ts'

const LAWYER = PEOPLE.lawyer
const CFO = PEOPLE.cfo
// Someone off the route with CRM rights to read the contract.
const DEPUTY = PEOPLE.salesHead

describe('delegation against the emulator', () => {
  let portal: Portal
  let itemId: number
  const routes = committeeRoutes([LAWYER, CFO])
  const actor = (id: number) => ({ id, name: `User ${id}` })
  const run = (userId: number, intent: Intent, eventId = randomUUID(), at = new Date().toISOString()) =>
    act(portal.port(userId), portal.space, { itemId, actor: actor(userId), eventId, at, intent }, { tuning: FAST })
  const read = () => contractIO(portal.port(AUTHOR), portal.space, itemId).read()

  beforeAll(async () => {
    portal = await startPortal()
    await setRoutes(portal, routes)
    itemId = await createDraft(portal)
    const submitted = await run(AUTHOR, { type: 'submit', routeSet: routes, departmentHeadIds: [] })
    expect(submitted.ok).toBe(true)
  })
  afterAll(async () => {
    await portal?.close()
  })

  it('refuses a delegation to oneself, to someone already on the step, and by someone not on it', async () => {
    const self = await run(LAWYER, { type: 'delegate', to: actor(LAWYER), round: 1, step: 0 })
    expect(self.ok ? null : self.reason).toBe('invalidDelegate')
    const onStep = await run(LAWYER, { type: 'delegate', to: actor(CFO), round: 1, step: 0 })
    expect(onStep.ok ? null : onStep.reason).toBe('invalidDelegate')
    const stranger = await run(CEO, { type: 'delegate', to: actor(DEPUTY), round: 1, step: 0 })
    expect(stranger.ok ? null : stranger.reason).toBe('notCurrentApprover')
    expect((await read()).stored.log.events.map((e) => e.type)).toEqual(['submitted'])
  })

  it('a double click delegates once, with each side effect exactly once', async () => {
    const messagesBefore = logMessagesOf(portal, itemId).length
    const id = randomUUID()
    const at = new Date().toISOString()
    const intent: Intent = { type: 'delegate', to: actor(DEPUTY), round: 1, step: 0, comment: 'В отпуске до 10-го' }
    const [a, b] = await Promise.all([run(LAWYER, intent, id, at), run(LAWYER, intent, id, at)])
    expect(a.ok && b.ok).toBe(true)
    const retry = await run(LAWYER, intent, id, at)
    expect(retry.ok && retry.duplicate).toBe(true)

    const record = await read()
    expect(record.stored.log.events.filter((e) => e.type === 'delegated')).toHaveLength(1)
    const p = project(record.stored.log)
    expect(p.currentApprovers).toEqual([DEPUTY, CFO])
    expect(record.item[portal.space.fields.approvers]).toEqual([DEPUTY, CFO])
    expect(delegationsOf(record.stored.log.events, p).get(seatKey(0, DEPUTY))).toEqual(actor(LAWYER))

    const messages = logMessagesOf(portal, itemId).slice(messagesBefore)
    expect(messages).toHaveLength(1)
    expect(messages[0]?.text).toContain(`User ${LAWYER} передал(а) согласование User ${DEPUTY}`)
    expect(messages[0]?.text).toContain('В отпуске до 10-го')

    const toDeputy = notificationsAbout(portal, itemId).filter((n) => n.userId === DEPUTY)
    expect(toDeputy).toHaveLength(1)
    expect(toDeputy[0]?.message).toContain('Вам передали согласование договора')
    expect(toDeputy[0]?.message).toContain(`${portal.emu.origin}${appLinkPath(portal.space.appCode ?? '', itemId)}`)

    const todos = todosOf(portal, itemId)
    const lawyers = todos.filter((t) => t.description.includes(`[ca:${todoRef(1, 0, LAWYER)}]`))
    expect(lawyers.map((t) => t.completed)).toEqual(['Y'])
    const deputies = todos.filter((t) => t.description.includes(`[ca:${todoRef(1, 0, DEPUTY)}]`))
    expect(deputies).toHaveLength(1)
    expect(deputies[0]?.completed).toBe('N')
    expect(deputies[0]?.responsibleId).toBe(DEPUTY)
    // The portal keeps the deadline to the second.
    expect(Math.floor(Date.parse(String(deputies[0]?.deadline)) / 1000)).toBe(Math.floor(Date.parse(String(p.deadline)) / 1000))
  })

  it('the delegate decides; the delegator no longer can', async () => {
    const late = await run(LAWYER, { type: 'approve', round: 1, step: 0 })
    expect(late.ok ? null : late.reason).toBe('notCurrentApprover')
    const approved = await run(DEPUTY, { type: 'approve', round: 1, step: 0 })
    expect(approved.ok).toBe(true)
    const p = project((await read()).stored.log)
    expect(p.steps[0]?.approvals.map((x) => x.actor.id)).toEqual([DEPUTY])
    expect(p.currentApprovers).toEqual([CFO])
    expect(todosOf(portal, itemId).filter((t) => t.responsibleId === DEPUTY).map((t) => t.completed)).toEqual(['Y'])
  })
})
