/**
 * The routes a car-dealer holding starts with: what the installer offers and the emulator seeds.
 * Small contracts need the department head and a lawyer; the default adds security and the CEO;
 * from 1 000 000 ₽ the CFO signs off before the CEO.
 */

import type { ApproverRef, Route, RouteSet } from './route'

export interface SeedRouteUsers {
  /** Any one lawyer may approve. */
  readonly lawyers: readonly number[]
  /** Any one security officer may approve. */
  readonly security: readonly number[]
  readonly cfo: number
  readonly ceo: number
}

/** Amount (₽) from which the CFO is on the route. */
export const LARGE_DEAL_FROM = 1_000_000
/** Amount (₽) below which a contract skips security and the CEO. */
export const SMALL_DEAL_BELOW = 300_000

const users = (ids: readonly number[]): ApproverRef[] => ids.map((userId) => ({ kind: 'user', userId }))

export function seedRoutes(u: SeedRouteUsers, at: string | null = null, by: number | null = null): RouteSet {
  const head = { title: 'Руководитель отдела', approvers: [{ kind: 'departmentHead' } as const], mode: 'any' as const, slaHours: 24 }
  const lawyer = { title: 'Юрист', approvers: users(u.lawyers), mode: 'any' as const, slaHours: 24 }
  const security = { title: 'Служба безопасности', approvers: users(u.security), mode: 'any' as const, slaHours: 24 }
  const cfo = { title: 'Финансовый директор', approvers: users([u.cfo]), mode: 'all' as const, slaHours: 48 }
  const ceo = { title: 'Генеральный директор', approvers: users([u.ceo]), mode: 'all' as const, slaHours: 48 }
  const routes: Route[] = [
    {
      id: 'small',
      name: 'Малые договоры (до 300 000 ₽)',
      isDefault: false,
      conditions: { amountFrom: null, amountTo: SMALL_DEAL_BELOW, contractTypes: [] },
      steps: [head, lawyer],
    },
    {
      id: 'large',
      name: 'Крупные сделки (от 1 000 000 ₽)',
      isDefault: false,
      conditions: { amountFrom: LARGE_DEAL_FROM, amountTo: null, contractTypes: [] },
      steps: [lawyer, security, cfo, ceo],
    },
    {
      id: 'standard',
      name: 'Стандартный маршрут',
      isDefault: true,
      conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
      steps: [lawyer, security, ceo],
    },
  ]
  return { v: 1, version: 1, updatedAt: at, updatedBy: by, routes }
}
