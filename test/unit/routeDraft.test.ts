// The Settings tab's draft edits, without a portal: each returns a new list, touches only the
// route it names, and never mutates the stored edition the draft started from.
import { describe, expect, it } from 'vitest'
import type { Route } from '../../src/domain/route.ts'
import {
  addApprovers, addRoute, addStep, DEFAULT_SLA_HOURS, setReapproval, setRequired, setWatch, findRoute, moveBy, moveRoute, moveStep, removeApprover,
  removeRoute, removeStep, renameRoute, setConditions, setDefault, updateStep,
} from '../../src/domain/routeDraft.ts'
import { ROUTES } from './fixtures.ts'

const frozen = <T>(x: T): T => {
  if (x && typeof x === 'object') {
    Object.freeze(x)
    for (const v of Object.values(x)) frozen(v)
  }
  return x
}
/** The seeded routes, deep-frozen: an edit that mutates throws. */
const draft = (): readonly Route[] => frozen(structuredClone(ROUTES.routes))
const ids = (routes: readonly Route[]) => routes.map((r) => r.id)

describe('moveBy', () => {
  it('moves one place either way and leaves the list alone at its ends or out of range', () => {
    expect(moveBy(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveBy(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    const list = frozen(['a', 'b'])
    expect(moveBy(list, 0, -1)).toBe(list)
    expect(moveBy(list, 1, 1)).toBe(list)
    expect(moveBy(list, -1, 1)).toBe(list)
    expect(moveBy(list, 5, -1)).toBe(list)
  })
})

describe('route draft edits', () => {
  it('adds routes (the first one default), renames, removes and reorders them', () => {
    const empty = addRoute([], 'r1', 'Все договоры')
    // A new route requires the usual fields of a submission (document, number, amount, counterparty)
    // and reminds approvers a day and an hour before a deadline.
    expect(empty).toEqual([{
      id: 'r1', name: 'Все договоры', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] }, steps: [],
      required: ['document', 'number', 'amount', 'companyId'], reminders: [1440, 60],
    }])
    const d = draft()
    const more = addRoute(d, 'r2')
    expect(more.at(-1)).toMatchObject({ id: 'r2', name: '', isDefault: false })
    expect(findRoute(renameRoute(more, 'r2', 'Аренда'), 'r2')?.name).toBe('Аренда')
    expect(ids(removeRoute(more, 'r2'))).toEqual(ids(d))
    const [first, second] = ids(d)
    expect(ids(moveRoute(d, second!, -1)).slice(0, 2)).toEqual([second, first])
    expect(moveRoute(d, first!, -1)).toEqual(d)
    expect(moveRoute(d, 'nope', 1)).toEqual(d)
  })

  it('keeps one default route and merges condition patches', () => {
    const d = draft()
    const other = d.find((r) => !r.isDefault)!
    const next = setDefault(d, other.id, true)
    expect(next.filter((r) => r.isDefault).map((r) => r.id)).toEqual([other.id])
    expect(setDefault(next, other.id, false).some((r) => r.isDefault)).toBe(false)
    const patched = setConditions(d, other.id, { amountFrom: 5 })
    expect(findRoute(patched, other.id)?.conditions).toEqual({ ...other.conditions, amountFrom: 5 })
  })

  it('edits steps: add with a day to decide, update, move, remove', () => {
    const d = draft()
    const r = d[0]!
    const added = addStep(d, r.id, 'Бухгалтерия')
    expect(findRoute(added, r.id)?.steps.at(-1)).toEqual({ title: 'Бухгалтерия', approvers: [], mode: 'any', slaHours: DEFAULT_SLA_HOURS })
    expect(findRoute(updateStep(d, r.id, 0, { slaHours: 5, mode: 'all' }), r.id)?.steps[0]).toMatchObject({ slaHours: 5, mode: 'all' })
    const titles = (routes: readonly Route[]) => findRoute(routes, r.id)?.steps.map((s) => s.title)
    const before = titles(d)!
    expect(titles(moveStep(d, r.id, 1, -1))).toEqual([before[1], before[0], ...before.slice(2)])
    // Already first: the route is the very same object.
    expect(moveStep(d, r.id, 0, -1)[0]).toBe(r)
    expect(titles(removeStep(d, r.id, 0))).toEqual(before.slice(1))
  })

  it('adds approvers once each and removes them by who they are', () => {
    const d = addStep(draft(), ROUTES.routes[0]!.id)
    const id = d[0]!.id
    const last = d[0]!.steps.length - 1
    const withPeople = addApprovers(d, id, last, [{ kind: 'user', userId: 7 }, { kind: 'departmentHead' }, { kind: 'user', userId: 7 }, { kind: 'departmentHead' }])
    expect(findRoute(withPeople, id)?.steps[last]?.approvers).toEqual([{ kind: 'user', userId: 7 }, { kind: 'departmentHead' }])
    const without = removeApprover(withPeople, id, last, { kind: 'user', userId: 7 })
    expect(findRoute(without, id)?.steps[last]?.approvers).toEqual([{ kind: 'departmentHead' }])
  })

  it('replaces only the route it edits', () => {
    const d = draft()
    const next = renameRoute(d, d[0]!.id, 'Другое имя')
    expect(next[0]).not.toBe(d[0])
    next.slice(1).forEach((r, i) => expect(r).toBe(d[i + 1]))
  })
})

describe('re-approval and submission rules', () => {
  it('sets the rule, the required fields and what a step checks; «everyone again» and «everything» keep no key', () => {
    const d = addStep(addRoute([], 'r1', 'Все'), 'r1', 'Юрист')
    const changed = setReapproval(d, 'r1', 'changed')
    expect(changed[0]?.reapproval).toBe('changed')
    expect('reapproval' in (setReapproval(changed, 'r1', 'all')[0] ?? {})).toBe(false)
    expect(setRequired(d, 'r1', ['number'])[0]?.required).toEqual(['number'])
    const watched = setWatch(d, 'r1', 0, ['amount', 'document'])
    expect(watched[0]?.steps[0]?.watch).toEqual(['amount', 'document'])
    expect('watch' in (setWatch(watched, 'r1', 0, null)[0]?.steps[0] ?? {})).toBe(false)
  })
})
