// Issue 10 point 7: who is told when a step is overdue (the step's escalation people, else the
// route's, else the approvers' heads — as every route saved before the rule) and the reminders
// an approver's to-do carries before the deadline (Bitrix24's own `pingOffsets`).
import { describe, expect, it } from 'vitest'
import { EMPTY_LOG, project, type Route, type RouteSet } from '../../src/domain/index.ts'
import {
  escalationRecipients, freezeRoute, isPublishedRoute, namedEscalation, parseRouteSet, publishedHashes, routeHash, serializeRouteSet,
  sourceOf, validateRoute, type FrozenRoute,
} from '../../src/domain/route.ts'
import { addRoute, setEscalation, setReminders } from '../../src/domain/routeDraft.ts'
import { sideEffects, type TodoEffect } from '../../src/domain/effects.ts'
import { act, AUTHOR, CEO, HEAD, LAWYER, ROUTES, SECURITY, submitCmd } from './fixtures.ts'

const ESCALATION_MANAGER = 70
const STEP_ESCALATION = 80

function route(extra: Partial<Route> = {}, stepExtra: Partial<Route['steps'][number]> = {}): Route {
  return {
    id: 'main', name: 'Все договоры', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист', approvers: [{ kind: 'user', userId: LAWYER.id }], mode: 'any', slaHours: 24, ...stepExtra },
      { title: 'Генеральный директор', approvers: [{ kind: 'user', userId: CEO.id }], mode: 'all', slaHours: 24 },
    ],
    ...extra,
  }
}

function frozen(r: Route): FrozenRoute {
  const f = freezeRoute(r, 1, [HEAD.id], AUTHOR.id)
  if (!f.ok) throw new Error('empty step')
  return f.route
}

const heads = new Map<number, number[]>([[LAWYER.id, [HEAD.id]], [SECURITY.id, [HEAD.id, 61]], [CEO.id, []]])
const headsOf = (id: number) => heads.get(id) ?? []

describe('escalation recipients', () => {
  it('a route that names nobody (saved before the rule) tells the waiting approvers\' heads, as before', () => {
    const f = frozen(route())
    expect(namedEscalation(f, 0)).toEqual([])
    expect(escalationRecipients(f, 0, [LAWYER.id], headsOf)).toEqual([HEAD.id])
    // Two approvers with the same head: told once; an approver who is another's head is not told.
    expect(escalationRecipients(f, 0, [LAWYER.id, SECURITY.id], headsOf)).toEqual([HEAD.id, 61])
    expect(escalationRecipients(f, 0, [LAWYER.id, HEAD.id], headsOf)).toEqual([])
    expect(escalationRecipients(null, 0, [LAWYER.id], headsOf)).toEqual([HEAD.id])
  })

  it('the route\'s escalation person replaces the heads on every step', () => {
    const f = frozen(route({ escalateTo: [ESCALATION_MANAGER] }))
    expect(escalationRecipients(f, 0, [LAWYER.id], headsOf)).toEqual([ESCALATION_MANAGER])
    expect(escalationRecipients(f, 1, [CEO.id], headsOf)).toEqual([ESCALATION_MANAGER])
  })

  it('a step\'s own escalation person wins over the route\'s', () => {
    const f = frozen(route({ escalateTo: [ESCALATION_MANAGER] }, { escalateTo: [STEP_ESCALATION, STEP_ESCALATION] }))
    expect(escalationRecipients(f, 0, [LAWYER.id], headsOf)).toEqual([STEP_ESCALATION])
    expect(escalationRecipients(f, 1, [CEO.id], headsOf)).toEqual([ESCALATION_MANAGER])
  })

  it('never tells the late approver about themselves: named people who are waiting fall back to the heads', () => {
    const f = frozen(route({}, { escalateTo: [LAWYER.id] }))
    expect(escalationRecipients(f, 0, [LAWYER.id], headsOf)).toEqual([HEAD.id])
  })

  it('the escalation person travels with the frozen route and counts in its published hash', () => {
    const named = route({ escalateTo: [ESCALATION_MANAGER] }, { escalateTo: [STEP_ESCALATION] })
    const f = frozen(named)
    expect(f.escalateTo).toEqual([ESCALATION_MANAGER])
    expect(f.steps[0]?.escalateTo).toEqual([STEP_ESCALATION])
    expect(routeHash(sourceOf(f) as Route)).toBe(routeHash(named))
    // A route that names nobody keeps the hash it had before the field existed.
    expect(routeHash(route())).toBe(routeHash(setEscalation([route({ escalateTo: [1] })], 'main', null, [])[0] as Route))
    // Naming oneself in a frozen copy of a published route makes it unpublished.
    const set: RouteSet = { v: 1, version: 1, updatedAt: null, updatedBy: null, routes: [named] }
    const forged: FrozenRoute = { ...f, escalateTo: [AUTHOR.id] }
    expect(isPublishedRoute(f, publishedHashes(set))).toBe(true)
    expect(isPublishedRoute(forged, publishedHashes(set))).toBe(false)
  })

  it('validates the named people and keeps old stored routes valid', () => {
    expect(validateRoute(route({ escalateTo: [0] })).map((i) => i.code)).toEqual(['invalidUserId'])
    expect(validateRoute(route({}, { escalateTo: [1.5] })).map((i) => [i.code, i.stepIndex])).toEqual([['invalidUserId', 0]])
    const old = JSON.stringify({ v: 1, version: 4, updatedAt: null, updatedBy: null, routes: [route()] })
    const parsed = parseRouteSet(old)
    expect(parsed.ok && parsed.set.routes[0]).toEqual(route())
    const now = serializeRouteSet({ v: 1, version: 5, updatedAt: null, updatedBy: null, routes: [route({ escalateTo: [7], reminders: [1440, 60] }, { escalateTo: [8] })] })
    const back = parseRouteSet(now)
    expect(back.ok && back.set.routes[0]?.escalateTo).toEqual([7])
    expect(back.ok && back.set.routes[0]?.steps[0]?.escalateTo).toEqual([8])
    expect(parseRouteSet(JSON.stringify({ v: 1, version: 1, routes: [route({ reminders: [-5] })] })).ok).toBe(false)
    expect(parseRouteSet(JSON.stringify({ v: 1, version: 1, routes: [route({ escalateTo: ['x'] as unknown as number[] })] })).ok).toBe(false)
  })

  it('the route editor names and clears them', () => {
    let d = addRoute([], 'main', 'Все')
    d = setEscalation(d, 'main', null, [ESCALATION_MANAGER, ESCALATION_MANAGER])
    expect(d[0]?.escalateTo).toEqual([ESCALATION_MANAGER])
    d = setEscalation(d, 'main', null, [])
    expect(d[0] && 'escalateTo' in d[0]).toBe(false)
  })
})

describe('reminders before the deadline', () => {
  it('a new route reminds a day and an hour before; the editor keeps them sorted, unique, whole minutes', () => {
    const d = addRoute([], 'r', 'Все')
    expect(d[0]?.reminders).toEqual([1440, 60])
    expect(setReminders(d, 'r', [0, 60, 60, 2880, -1, 1.5])[0]?.reminders).toEqual([2880, 60, 0])
    expect(setReminders(d, 'r', [])[0]?.reminders).toEqual([])
  })

  it('the approver\'s to-do carries the route\'s reminders as pingOffsets', () => {
    const withReminders: RouteSet = { ...ROUTES, routes: ROUTES.routes.map((r) => ({ ...r, reminders: [1440, 60] })) }
    const log = act(EMPTY_LOG, AUTHOR, submitCmd(500_000, { routeSet: withReminders }), 0)
    expect(project(log).route?.reminders).toEqual([1440, 60])
    const opens = sideEffects(EMPTY_LOG, log).filter((e): e is TodoEffect => e.kind === 'todoOpen')
    expect(opens.length).toBeGreaterThan(0)
    for (const o of opens) expect(o.pingOffsets).toEqual([1440, 60])
  })

  it('reminders travel with the frozen route without changing its published hash', () => {
    const r = route({ reminders: [1440, 60] })
    const f = frozen(r)
    expect(f.reminders).toEqual([1440, 60])
    expect(routeHash(r)).toBe(routeHash(route()))
    const set: RouteSet = { v: 1, version: 1, updatedAt: null, updatedBy: null, routes: [r] }
    expect(isPublishedRoute(f, publishedHashes(set))).toBe(true)
  })

  it('a route saved before reminders opens to-dos without them, as before', () => {
    const log = act(EMPTY_LOG, AUTHOR, submitCmd(500_000), 0)
    const opens = sideEffects(EMPTY_LOG, log).filter((e): e is TodoEffect => e.kind === 'todoOpen')
    for (const o of opens) expect('pingOffsets' in o).toBe(false)
  })
})
