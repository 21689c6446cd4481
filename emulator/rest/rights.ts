/** Who may do what: admin-only methods and per-user CRM rights on items ('all' / 'own' / 'none'). */
import type { PortalUser, CrmRight } from '../core/types.ts'
import type { Call } from '../core/context.ts'
import { adminOnly, RestError } from '../core/errors.ts'

export function requireAdmin(call: Call): void {
  if (call.auth === 'internal' && call.user.IS_ADMIN) return
  if (!call.user.IS_ADMIN) throw adminOnly()
}

/** im.notify.* accept only app (OAuth) or webhook auth, which every REST caller here has. */
export function requireAppOrWebhook(call: Call): void {
  if (call.auth !== 'oauth' && call.auth !== 'webhook' && call.auth !== 'internal') throw new RestError('ACCESS_DENIED', 'Application context required', 403)
}

function allows(right: CrmRight, user: PortalUser, item: Record<string, unknown>): boolean {
  if (user.IS_ADMIN || right === 'all') return true
  if (right === 'none') return false
  return Number(item.assignedById) === user.ID || Number(item.createdBy) === user.ID
}

export function canRead(user: PortalUser, item: Record<string, unknown>): boolean {
  return allows(user.crmRead, user, item)
}

export function canWrite(user: PortalUser, item: Record<string, unknown>): boolean {
  return allows(user.crmWrite, user, item)
}

/** Whether the user may create items at all (an 'own' writer creates their own). */
export function canCreate(user: PortalUser): boolean {
  return user.IS_ADMIN || user.crmWrite !== 'none'
}
