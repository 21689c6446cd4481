/**
 * Accepting history that failed verification. The machine refuses to build on a broken chain,
 * which would otherwise leave the contract stuck forever; an admin who has looked at the damage
 * (the card shows where the chain broke) may accept the log as it now stands. The acceptance is
 * recorded in `log.accepted` with who, when, what was wrong and the old head hash, so the card
 * keeps showing that history was once edited outside the app.
 */

import { compareEvents, contentOf, headHash, type Actor, type ApprovalLog, type EventContent } from './log'
import { buildLog, verifyLog } from './merge'

export type AcceptOutcome = { ok: true; log: ApprovalLog } | { ok: false; reason: 'historyIntact' }

/** Who restores history, when, and why. */
export interface Restorer {
  readonly at: string
  readonly actor: Actor
  readonly reason?: string
}

function orderedContents(events: readonly EventContent[]): EventContent[] {
  const seen = new Set<string>()
  const unique: EventContent[] = []
  for (const e of events) {
    if (seen.has(e.id)) continue
    seen.add(e.id)
    unique.push(contentOf(e))
  }
  return unique.sort(compareEvents).map((c, i) => (c.n > i ? { ...c, n: i } : c))
}

/**
 * The history rebuilt from event contents the portal vouches for (the confirmed timeline
 * entries): the log as it stands is replaced, whatever it was (edited, emptied, unreadable).
 * The rebuild is recorded like an acceptance, so the card keeps saying it happened.
 */
export function rebuildHistory(confirmed: readonly EventContent[], previous: ApprovalLog, by: Restorer): ApprovalLog {
  const rebuilt = buildLog(orderedContents(confirmed))
  const check = verifyLog(previous)
  const acceptance = {
    at: by.at, by: by.actor, problem: check.ok ? 'unconfirmed' : check.problem, index: check.ok ? -1 : check.index,
    previousHead: headHash(previous.events), action: 'rebuilt' as const, ...(by.reason ? { reason: by.reason } : {}),
  }
  return { ...rebuilt, accepted: [...(previous.accepted ?? []), acceptance] }
}

/**
 * An administrator accepts the history as it stands, with a reason: a broken chain is re-chained
 * (acceptHistory); an intact one only gets the record. Unconfirmed events stay in the log and
 * keep taking no effect: an acceptance never vouches for someone else's decision.
 */
export function acceptWithReason(log: ApprovalLog, by: Restorer & { problem?: string }): ApprovalLog {
  const accepted = acceptHistory(log, by)
  const base = accepted.ok ? accepted.log : log
  const list = [...(base.accepted ?? [])]
  const last = accepted.ok ? list.pop() : undefined
  const record = last ?? { at: by.at, by: by.actor, problem: by.problem ?? 'unconfirmed', index: -1, previousHead: headHash(log.events) }
  return { ...base, accepted: [...list, { ...record, action: 'accepted' as const, ...(by.reason ? { reason: by.reason } : {}) }] }
}

/**
 * Re-chains the log as found: duplicate ids keep their first copy, events go back into (n, id)
 * order, and an `n` larger than its position (events were removed) is lowered to the position.
 * Events that break the rules stay and are ignored by the projection, as in any log.
 */
export function acceptHistory(log: ApprovalLog, by: { at: string; actor: Actor }): AcceptOutcome {
  const check = verifyLog(log)
  if (check.ok) return { ok: false, reason: 'historyIntact' }
  const rebuilt = buildLog(orderedContents(log.events))
  const acceptance = { at: by.at, by: by.actor, problem: check.problem, index: check.index, previousHead: headHash(log.events) }
  return { ok: true, log: { ...rebuilt, accepted: [...(log.accepted ?? []), acceptance] } }
}

/** Whether the log carries an acceptance (the card keeps a warning visible). */
export function wasAccepted(log: ApprovalLog): boolean {
  return (log.accepted?.length ?? 0) > 0
}
