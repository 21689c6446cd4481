/**
 * Whom the card names, and what it knows of them. The first batch brings the current approvers,
 * the route's people and the author; everyone else the log names as an actor is shown with the
 * name the log stored with the event (as of then), so history never costs an extra request.
 */
import type { PortalUserInfo } from '../../platform/port.ts'
import type { ApprovalEvent } from '../../domain/log.ts'
import type { Projection } from '../../domain/projection.ts'

/** A user known only by the name an event recorded: no photo, position or departments. */
function fromEvent(actor: ApprovalEvent['actor']): PortalUserInfo {
  return { id: actor.id, name: actor.name, lastName: '', fullName: actor.name, position: '', photo: null, departmentIds: [] }
}

/**
 * `known` plus, for actors it lacks, what the log says (the latest event's name wins). People read
 * from the portal always take precedence over these stand-ins.
 */
export function withLogActors(
  known: ReadonlyMap<number, PortalUserInfo>,
  events: readonly ApprovalEvent[],
): Map<number, PortalUserInfo> {
  const out = new Map(known)
  const standIns = new Map<number, PortalUserInfo>()
  for (const e of events) {
    if (e.actor.id > 0 && e.actor.name.trim() !== '') standIns.set(e.actor.id, fromEvent(e.actor))
    // A delegate is named by the delegation before they ever act.
    const to = e.type === 'delegated' ? e.delegateTo : null
    if (to && to.id > 0 && to.name.trim() !== '' && !standIns.has(to.id)) standIns.set(to.id, fromEvent(to))
  }
  for (const [id, u] of standIns) if (!out.has(id)) out.set(id, u)
  return out
}

/** People the route or the author role names that nothing read so far can name. */
export function missingUserIds(p: Projection, authorId: number | null, known: ReadonlyMap<number, PortalUserInfo>): number[] {
  const ids = new Set<number>()
  for (const s of p.steps) for (const id of s.approverIds) ids.add(id)
  if (authorId) ids.add(authorId)
  return [...ids].filter((id) => !known.has(id))
}
