/**
 * Who sits on the current round's steps in someone else's place: the route shows "instead of
 * <delegator>" beside a delegate. Only delegations that took effect count (the projection lists
 * the ignored ones), and a seat handed on twice names the last person who handed it.
 */
import type { Actor, ApprovalEvent } from './log.ts'
import type { Projection } from './projection.ts'

/** `${step}:${delegateId}` → the person they replace. */
export type Delegations = ReadonlyMap<string, Actor>

export const seatKey = (step: number, userId: number): string => `${step}:${userId}`

export function delegationsOf(events: readonly ApprovalEvent[], p: Projection): Delegations {
  const ignored = new Set(p.ignored.map((i) => i.eventId))
  const out = new Map<string, Actor>()
  for (const e of events) {
    if (e.type !== 'delegated' || e.round !== p.round || e.step === null || !e.delegateTo || ignored.has(e.id)) continue
    out.set(seatKey(e.step, e.delegateTo.id), e.actor)
  }
  // A standing deputy (deputies.ts) sits «вместо» the person away, recorded by the event that
  // opened the turn; the seat counts only if the projection gave it to them.
  for (const e of events) {
    if ((e.type !== 'submitted' && e.type !== 'resubmitted' && e.type !== 'approved') || e.round !== p.round || ignored.has(e.id)) continue
    for (const seat of Array.isArray(e.deputies) ? e.deputies : []) {
      const key = seatKey(seat.step, seat.to.id)
      if (!out.has(key)) out.set(key, seat.from)
    }
  }
  // Someone who delegated away and was handed the seat back sits in their own right again.
  for (const s of p.steps) {
    for (const key of [...out.keys()]) {
      const [step, user] = key.split(':').map(Number)
      if (step === s.index && !s.approverIds.includes(user ?? 0)) out.delete(key)
    }
  }
  return out
}
