import { describe, expect, it } from 'vitest'
import {
  EMPTY_ROUTE_SET,
  freezeRoute,
  hasErrors,
  nextRouteSet,
  parseRouteSet,
  selectRoute,
  serializeRouteSet,
  validateRouteSet,
  type Route,
  type RouteSet,
} from '../../src/domain/index.ts'
import { CEO, CFO, HEAD, LAWYER, ROUTES, SECURITY } from './fixtures.ts'

const route = (over: Partial<Route> = {}): Route => ({
  id: 'r',
  name: 'Маршрут',
  isDefault: false,
  conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
  steps: [{ title: 'Юрист', approvers: [{ kind: 'user', userId: LAWYER.id }], mode: 'any', slaHours: 24 }],
  ...over,
})
const set = (...routes: Route[]): RouteSet => ({ v: 1, version: 1, updatedAt: null, updatedBy: null, routes })
const codes = (s: RouteSet) => validateRouteSet(s).map((i) => i.code)

describe('validateRouteSet', () => {
  it('accepts the seeded car-dealer routes without issues', () => {
    expect(validateRouteSet(ROUTES)).toEqual([])
  })

  it('refuses an empty set and a set without a default route', () => {
    expect(codes(EMPTY_ROUTE_SET)).toEqual(['noRoutes'])
    expect(codes(set(route()))).toEqual(['noDefault'])
  })

  it('allows exactly one default route', () => {
    const issues = validateRouteSet(set(route({ id: 'a', isDefault: true }), route({ id: 'b', isDefault: true })))
    expect(issues).toEqual([{ code: 'multipleDefaults', severity: 'error', routeId: 'b' }])
  })

  it('refuses a route without steps and a step without approvers, title or SLA', () => {
    const issues = validateRouteSet(set(
      route({ id: 'd', isDefault: true, steps: [] }),
      route({ id: 'x', conditions: { amountFrom: 5, amountTo: null, contractTypes: [] }, steps: [{ title: ' ', approvers: [], mode: 'all', slaHours: 0 }] }),
    ))
    expect(issues.map((i) => [i.code, i.routeId, i.stepIndex])).toEqual([
      ['noSteps', 'd', undefined],
      ['emptyStepTitle', 'x', 0],
      ['stepWithoutApprovers', 'x', 0],
      ['invalidSla', 'x', 0],
    ])
    expect(hasErrors(issues)).toBe(true)
  })

  it('refuses duplicate route ids, duplicate approvers, bad user ids and inverted amount ranges', () => {
    const dup = { title: 'Юристы', approvers: [{ kind: 'user' as const, userId: 1 }, { kind: 'user' as const, userId: 1 }, { kind: 'user' as const, userId: -3 }], mode: 'all' as const, slaHours: 4 }
    expect(codes(set(
      route({ id: 'a', isDefault: true }),
      route({ id: 'a', conditions: { amountFrom: 10, amountTo: 10, contractTypes: [] }, steps: [dup] }),
    ))).toEqual(['duplicateRouteId', 'duplicateApprover', 'invalidUserId', 'invalidAmountRange'])
  })

  it('flags overlapping amount ranges as a warning, touching ranges are fine', () => {
    const def = route({ id: 'def', isDefault: true })
    const low = route({ id: 'low', conditions: { amountFrom: null, amountTo: 1_000_000, contractTypes: [] } })
    const high = route({ id: 'high', conditions: { amountFrom: 1_000_000, amountTo: null, contractTypes: [] } })
    const mid = route({ id: 'mid', conditions: { amountFrom: 500_000, amountTo: 2_000_000, contractTypes: [] } })
    expect(validateRouteSet(set(def, low, high))).toEqual([])
    const issues = validateRouteSet(set(def, low, high, mid))
    expect(issues).toEqual([
      { code: 'overlappingConditions', severity: 'warning', routeId: 'mid', otherRouteId: 'low' },
      { code: 'overlappingConditions', severity: 'warning', routeId: 'mid', otherRouteId: 'high' },
    ])
    expect(hasErrors(issues)).toBe(false)
  })

  it('does not flag overlapping amounts when the contract types are disjoint', () => {
    const lease = route({ id: 'lease', conditions: { amountFrom: 0, amountTo: null, contractTypes: ['lease'] } })
    const supply = route({ id: 'supply', conditions: { amountFrom: 0, amountTo: null, contractTypes: ['supply'] } })
    const any = route({ id: 'any', conditions: { amountFrom: 0, amountTo: null, contractTypes: [] } })
    expect(codes(set(route({ id: 'd', isDefault: true }), lease, supply))).toEqual([])
    expect(codes(set(route({ id: 'd', isDefault: true }), lease, any))).toEqual(['overlappingConditions'])
  })
})

describe('selectRoute', () => {
  it.each([
    [100_000, 'small'],
    [299_999.99, 'small'],
    [300_000, 'standard'],
    [999_999, 'standard'],
    [1_000_000, 'large'],
    [25_000_000, 'large'],
    [null, 'standard'],
  ])('amount %s → route %s', (amount, id) => {
    expect(selectRoute(ROUTES, { amount, contractType: null })?.id).toBe(id)
  })

  it('matches on contract type, first conditional route in admin order wins', () => {
    const def = route({ id: 'def', isDefault: true })
    const lease = route({ id: 'lease', conditions: { amountFrom: null, amountTo: null, contractTypes: ['lease'] } })
    const bigLease = route({ id: 'bigLease', conditions: { amountFrom: 1_000_000, amountTo: null, contractTypes: ['lease'] } })
    const s = set(def, bigLease, lease)
    expect(selectRoute(s, { amount: 2_000_000, contractType: 'lease' })?.id).toBe('bigLease')
    expect(selectRoute(s, { amount: 10, contractType: 'lease' })?.id).toBe('lease')
    expect(selectRoute(s, { amount: 10, contractType: 'supply' })?.id).toBe('def')
    expect(selectRoute(s, { amount: 10, contractType: null })?.id).toBe('def')
  })

  it('returns null when nothing matches and there is no default', () => {
    expect(selectRoute(set(route({ conditions: { amountFrom: 5, amountTo: null, contractTypes: [] } })), { amount: 1, contractType: null })).toBeNull()
  })
})

describe('freezeRoute', () => {
  it('resolves the department head to concrete ids and keeps the route version', () => {
    const small = ROUTES.routes.find((r) => r.id === 'small') as Route
    const frozen = freezeRoute(small, 7, [HEAD.id])
    expect(frozen).toMatchObject({
      ok: true,
      route: {
        routeId: 'small', name: small.name, version: 7,
        steps: [
          { title: 'Руководитель отдела', mode: 'any', slaHours: 24, approverIds: [HEAD.id] },
          { title: 'Юрист', mode: 'any', slaHours: 24, approverIds: [20, 21] },
        ],
      },
    })
  })

  it('reports the step that resolves to nobody', () => {
    const small = ROUTES.routes.find((r) => r.id === 'small') as Route
    expect(freezeRoute(small, 1, [])).toEqual({ ok: false, emptyStep: 0 })
  })

  it('the large-deal route puts the CFO before the CEO', () => {
    const large = ROUTES.routes.find((r) => r.id === 'large') as Route
    const frozen = freezeRoute(large, 1, [])
    expect(frozen.ok && frozen.route.steps.map((s) => s.approverIds)).toEqual([[20, 21], [SECURITY.id], [CFO.id], [CEO.id]])
  })
})

describe('route set storage', () => {
  it('round-trips through JSON and bumps the version on save', () => {
    const saved = nextRouteSet(ROUTES, ROUTES.routes, '2026-11-01T10:00:00.000Z', 1)
    expect(saved.version).toBe(ROUTES.version + 1)
    expect(saved.updatedBy).toBe(1)
    expect(parseRouteSet(serializeRouteSet(saved))).toEqual({ ok: true, set: saved })
  })

  it('reads an unset option as an empty set and rejects foreign data', () => {
    expect(parseRouteSet('')).toEqual({ ok: true, set: EMPTY_ROUTE_SET })
    expect(parseRouteSet('{oops')).toEqual({ ok: false, error: 'invalidJson' })
    expect(parseRouteSet({ v: 2, routes: [] })).toEqual({ ok: false, error: 'unsupportedVersion' })
    expect(parseRouteSet({ v: 1, version: 1, routes: [{ id: 'x' }] })).toEqual({ ok: false, error: 'invalidShape' })
  })
})
