/**
 * Who may do what: admin-only methods and per-user CRM rights on items. Levels follow the CRM
 * role levels (b24restdocs `api-reference/crm/universal/index.md` — calls run with the caller's
 * rights): 'all', 'department' (own + items assigned to people of the caller's departments),
 * 'own' (assigned to or created by the caller), 'none'.
 */
import type { Department, PortalUser, CrmRight } from '../core/types.ts'
import type { Call } from '../core/context.ts'
import { adminOnly, RestError } from '../core/errors.ts'

/** What a rights check needs to know about the portal besides the caller. */
export interface RightsData {
  users: PortalUser[]
  departments: Department[]
}

export function requireAdmin(call: Call): void {
  if (call.auth === 'internal' && call.user.IS_ADMIN) return
  if (!call.user.IS_ADMIN) throw adminOnly()
}

/** im.notify.* accept only app (OAuth) or webhook auth, which every REST caller here has. */
export function requireAppOrWebhook(call: Call): void {
  if (call.auth !== 'oauth' && call.auth !== 'webhook' && call.auth !== 'internal') throw new RestError('ACCESS_DENIED', 'Application context required', 403)
}

function own(user: PortalUser, item: Record<string, unknown>): boolean {
  return Number(item.assignedById) === user.ID || Number(item.createdBy) === user.ID
}

function sameDepartment(user: PortalUser, item: Record<string, unknown>, data: RightsData | undefined): boolean {
  if (!data) return false
  const assigned = data.users.find((u) => u.ID === Number(item.assignedById))
  if (!assigned) return false
  return assigned.UF_DEPARTMENT.some((d) => user.UF_DEPARTMENT.includes(d))
}

function allows(right: CrmRight, user: PortalUser, item: Record<string, unknown>, data: RightsData | undefined): boolean {
  if (user.IS_ADMIN || right === 'all') return true
  if (right === 'none') return false
  if (own(user, item)) return true
  return right === 'department' && sameDepartment(user, item, data)
}

export function canRead(user: PortalUser, item: Record<string, unknown>, data?: RightsData): boolean {
  return allows(user.crmRead, user, item, data)
}

export function canWrite(user: PortalUser, item: Record<string, unknown>, data?: RightsData): boolean {
  return allows(user.crmWrite, user, item, data)
}

/** Whether the user may create items at all (an 'own' writer creates their own). */
export function canCreate(user: PortalUser): boolean {
  return user.IS_ADMIN || user.crmWrite !== 'none'
}
