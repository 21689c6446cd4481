/**
 * The approver's CRM to-do carries the route's reminders as Bitrix24's own `pingOffsets`
 * (api-reference/crm/timeline/activities/todo/crm-activity-todo-add.md): minutes before the step's
 * deadline, no server needed. A route saved before reminders opens to-dos without them, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act } from '../../../src/services/approval/actions.ts'
import type { RouteSet } from '../../../src/domain/route.ts'
import { AUTHOR, committeeRoutes, createDraft, FAST, setRoutes, startPortal, todosOf, type Portal } from './helpers.ts'
import { PEOPLE } from '../../support/people.ts'

const LAWYER = PEOPLE.lawyer
const CFO = PEOPLE.cfo

describe('reminders of the approver\'s to-do', () => {
  let portal: Portal
  beforeAll(async () => {
    portal = await startPortal()
  })
  afterAll(async () => {
    await portal?.close()
  })

  async function submit(routes: RouteSet): Promise<number> {
    await setRoutes(portal, routes)
    const itemId = await createDraft(portal)
    const res = await act(portal.port(AUTHOR), portal.space, {
      itemId, actor: { id: AUTHOR, name: 'Мария Козлова' }, eventId: randomUUID(), at: new Date().toISOString(),
      intent: { type: 'submit', routeSet: routes, departmentHeadIds: [] },
    }, { tuning: FAST })
    expect(res.ok).toBe(true)
    return itemId
  }

  it('opens each approver\'s to-do with the route\'s pingOffsets, due at the step deadline', async () => {
    const base = committeeRoutes([LAWYER, CFO])
    const routes: RouteSet = { ...base, routes: base.routes.map((r) => ({ ...r, reminders: [1440, 60] })) }
    const itemId = await submit(routes)
    const open = todosOf(portal, itemId).filter((t) => t.completed === 'N')
    expect(open.map((t) => t.responsibleId).sort()).toEqual([LAWYER, CFO].sort())
    for (const t of open) expect(t.pingOffsets).toEqual([1440, 60])
  })

  it('a route without reminders (saved before them) opens to-dos with none', async () => {
    const itemId = await submit(committeeRoutes([LAWYER, CFO]))
    const open = todosOf(portal, itemId).filter((t) => t.completed === 'N')
    expect(open).toHaveLength(2)
    for (const t of open) expect(t.pingOffsets).toEqual([])
  })
})
