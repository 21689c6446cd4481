/**
 * The tab's first load on a portal with more people than one page of user.get: in a frame the
 * app options arrived with APP_OPTIONS, so the ONE batch names exactly the people it shows; the
 * people the log names as actors need no request at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act, type Intent } from '../../../src/services/approval/actions.ts'
import { knownFromFrame, loadCard } from '../../../src/services/approval/card.ts'
import { project } from '../../../src/domain/projection.ts'
import { authorIdOf } from '../../../src/domain/abilities.ts'
import { missingUserIds, withLogActors } from '../../../src/stores/contractCard/people.ts'
import type { NodePort } from '../../support/node-port.ts'
import { addApprovers, AUTHOR, CEO, committeeRoutes, createDraft, FAST, setRoutes, startPortal, type Portal } from './helpers.ts'
import { PEOPLE } from '../../support/people.ts'

const LAWYER = PEOPLE.lawyer

describe('first load of the card tab', () => {
  let portal: Portal
  let itemId: number
  let early: number
  let late: number

  /** The port as the frame builds it: APP_OPTIONS is what the shell sends in getInitData. */
  const framed = (userId: number): NodePort => ({ ...portal.port(userId), initialAppOptions: { ...portal.emu.ctx.db.app.options } })
  const run = (userId: number, name: string, intent: Intent) =>
    act(portal.port(userId), portal.space, { itemId, actor: { id: userId, name }, eventId: randomUUID(), at: new Date().toISOString(), intent }, { tuning: FAST })

  beforeAll(async () => {
    portal = await startPortal()
    // Past the first page (50) of active users, whatever the seed's own staff.
    const added = addApprovers(portal, 60)
    early = added.at(-2)!
    late = added.at(-1)!
    await setRoutes(portal, committeeRoutes([early, late]))
    itemId = await createDraft(portal)
    const routes = committeeRoutes([early, late])
    expect((await run(AUTHOR, 'Мария Козлова', { type: 'submit', routeSet: routes, departmentHeadIds: [] })).ok).toBe(true)
    expect((await run(early, 'Имя тогда', { type: 'approve', round: 1, step: 0 })).ok).toBe(true)
  })
  afterAll(async () => {
    await portal?.close()
  })

  it('a frame names exactly the current approvers, the route\'s people and the author, in ONE request', async () => {
    const port = framed(CEO)
    expect(knownFromFrame(port, portal.space.entityTypeId)?.space).toEqual(portal.space)
    const before = port.requestCount()
    const card = await loadCard(port, portal.space.entityTypeId, itemId)
    expect(port.requestCount() - before).toBe(1)
    expect([...card.users.keys()].sort((a, b) => a - b)).toEqual([AUTHOR, CEO, early, late].sort((a, b) => a - b))
    expect(card.users.get(late)?.fullName).toMatch(/Тестовый$/)

    // Without a frame the first load has only the first page of active users to go on.
    const node = portal.port(CEO)
    expect(node.initialAppOptions).toBeNull()
    const nodeBefore = node.requestCount()
    const blind = await loadCard(node, portal.space.entityTypeId, itemId)
    expect(node.requestCount() - nodeBefore).toBe(1)
    expect(blind.record?.id).toBe(itemId)
    expect(blind.users.has(late)).toBe(false)
  })

  it('ignores a frame snapshot without the install record and still loads in one request', async () => {
    const port: NodePort = { ...portal.port(LAWYER), initialAppOptions: {} }
    expect(knownFromFrame(port, portal.space.entityTypeId)).toBeNull()
    const other: NodePort = { ...framed(LAWYER) }
    expect(knownFromFrame(other, portal.space.entityTypeId + 1)).toBeNull()
    const before = port.requestCount()
    const card = await loadCard(port, portal.space.entityTypeId, itemId)
    expect(port.requestCount() - before).toBe(1)
    expect(card.space).toEqual(portal.space)
  })

  it('names actors missing from the batch as the log recorded them, needing no further request', async () => {
    // The routes change after the contract froze its own: the batch no longer reads `early`.
    await setRoutes(portal, committeeRoutes([LAWYER]))
    const port = framed(CEO)
    const before = port.requestCount()
    const card = await loadCard(port, portal.space.entityTypeId, itemId)
    expect(port.requestCount() - before).toBe(1)
    expect(card.users.has(early)).toBe(false)
    const log = card.record!.stored.log
    const users = withLogActors(card.users, log.events)
    expect(users.get(early)?.fullName).toBe('Имя тогда')
    // Read people win over the names the log stored.
    expect(users.get(AUTHOR)?.fullName).toBe(card.users.get(AUTHOR)?.fullName)
    expect(missingUserIds(project(log), authorIdOf(project(log), card.record), users)).toEqual([])
    // People on the frozen route who never acted and were not read are still asked for.
    expect(missingUserIds(project(log), authorIdOf(project(log), card.record), withLogActors(new Map(), log.events)).sort((a, b) => a - b)).toEqual([CEO, late].sort((a, b) => a - b))
  })
})
