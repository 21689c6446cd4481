import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act } from '../../../src/services/approval/actions.ts'
import { contractIO } from '../../../src/services/approval/writer.ts'
import { pendingEffects } from '../../../src/services/approval/side-effects.ts'
import { project } from '../../../src/domain/projection.ts'
import { stageId } from '../../../src/domain/schema.ts'
import {
  addApprovers, AUTHOR, CEO, committeeRoutes, createDraft, FAST, logMessagesOf, notificationsAbout, setRoutes, startPortal, todosOf,
  type Portal,
} from './helpers.ts'

// Bitrix24 has no conditional update: N approvers of one `all` step who click at the same moment
// overwrite each other's writes. The writer's merge loop must keep every decision, complete the
// step exactly once, and send each side effect exactly once, through the real SDK and REST.
describe.each([2, 20])('%i approvers of one `all` step deciding at once', (count) => {
  let portal: Portal
  let approvers: number[]
  let itemId: number

  beforeAll(async () => {
    portal = await startPortal()
    approvers = addApprovers(portal, count)
    await setRoutes(portal, committeeRoutes(approvers))
    itemId = await createDraft(portal)
  })
  afterAll(async () => {
    await portal?.close()
  })

  it('submits: one write puts log, stage, approvers, round and deadline on the item', async () => {
    const res = await act(portal.port(AUTHOR), portal.space, {
      itemId, actor: { id: AUTHOR, name: 'Мария Козлова' }, eventId: randomUUID(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: committeeRoutes(approvers), departmentHeadIds: [] },
    }, { tuning: FAST })
    expect(res.ok).toBe(true)
    const item = (await contractIO(portal.port(AUTHOR), portal.space, itemId).read()).item
    const f = portal.space.fields
    expect(item.stageId).toBe(stageId(portal.space.entityTypeId, portal.space.categoryId, 'APPROVAL'))
    expect([...(item[f.approvers] as number[])].map(Number).sort((a, b) => a - b)).toEqual(approvers)
    expect(Number(item[f.round])).toBe(1)
    expect(item[f.deadline]).toBeTruthy()
    const open = todosOf(portal, itemId).filter((t) => t.completed === 'N')
    expect(open.map((t) => t.responsibleId).sort((a, b) => a - b)).toEqual(approvers)
    expect(notificationsAbout(portal, itemId).filter((n) => n.message.length > 0)).toHaveLength(count)
    expect(logMessagesOf(portal, itemId)).toHaveLength(1)
  })

  it('records every decision, completes the step once, and sends each effect once', async () => {
    const results = await Promise.all(approvers.map((id) => act(portal.port(id), portal.space, {
      itemId, actor: { id, name: `Согласующий ${id}` }, eventId: randomUUID(), at: new Date().toISOString(),
      intent: { type: 'approve', round: 1, step: 0 },
    }, { tuning: FAST })))
    expect(results.every((r) => r.ok)).toBe(true)

    const record = await contractIO(portal.port(CEO), portal.space, itemId).read()
    const p = project(record.stored.log)
    const approvals = record.stored.log.events.filter((e) => e.type === 'approved')
    expect(approvals.map((e) => e.actor.id).sort((a, b) => a - b)).toEqual(approvers)
    expect(p.ignored).toEqual([])
    expect(p.steps[0]?.status).toBe('approved')
    expect(p.steps[0]?.approvals.filter((a) => !a.late)).toHaveLength(count)
    expect(p.currentStep).toBe(1)
    expect(p.currentApprovers).toEqual([CEO])
    expect((record.item[portal.space.fields.approvers] as unknown[]).map(Number)).toEqual([CEO])

    // Timeline: the submission plus one message per decision.
    expect(logMessagesOf(portal, itemId)).toHaveLength(1 + count)
    // To-dos: every committee member's closed, exactly one open for the CEO.
    const todos = todosOf(portal, itemId)
    expect(todos.filter((t) => approvers.includes(t.responsibleId))).toHaveLength(count)
    expect(todos.filter((t) => approvers.includes(t.responsibleId) && t.completed === 'N')).toEqual([])
    expect(todos.filter((t) => t.responsibleId === CEO)).toHaveLength(1)
    expect(todos.find((t) => t.responsibleId === CEO)?.completed).toBe('N')
    // Notifications: the committee's "your turn" once each, the CEO's once.
    const notes = notificationsAbout(portal, itemId)
    expect(notes.filter((n) => n.userId === CEO)).toHaveLength(1)
    expect(notes).toHaveLength(count + 1)
    // Nothing left for a later load to redo.
    expect(pendingEffects(record).map((x) => x.effect.key.replace(/^[^:]+/, x.event.actor.name))).toEqual([])
  }, 120_000)
})
