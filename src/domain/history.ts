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

/**
 * Re-chains the log as found: duplicate ids keep their first copy, events go back into (n, id)
 * order, and an `n` larger than its position (events were removed) is lowered to the position.
 * Events that break the rules stay and are ignored by the projection, as in any log.
 */
export function acceptHistory(log: ApprovalLog, by: { at: string; actor: Actor }): AcceptOutcome {
  const check = verifyLog(log)
  if (check.ok) return { ok: false, reason: 'historyIntact' }
  const seen = new Set<string>()
  const unique: EventContent[] = []
  for (const e of log.events) {
    if (seen.has(e.id)) continue
    seen.add(e.id)
    unique.push(contentOf(e))
  }
  const contents = unique.sort(compareEvents).map((c, i) => (c.n > i ? { ...c, n: i } : c))
  const rebuilt = buildLog(contents)
  const acceptance = { at: by.at, by: by.actor, problem: check.problem, index: check.index, previousHead: headHash(log.events) }
  return { ok: true, log: { ...rebuilt, accepted: [...(log.accepted ?? []), acceptance] } }
}

/** Whether the log carries an acceptance (the card keeps a warning visible). */
export function wasAccepted(log: ApprovalLog): boolean {
  return (log.accepted?.length ?? 0) > 0
}
