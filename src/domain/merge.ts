/**
 * Concurrency without conditional updates (docs/ARCHITECTURE.md, "The approval log and the write protocol"): a writer writes its log,
 * re-reads, and if its event is missing merges what it read with what it wrote and writes again.
 * Events form a grow-only set, so the merge is a union by id in the (n, id) order, with the hash
 * chain recomputed over the result. Each input must verify first: a merge never launders
 * tampered history into a fresh chain.
 */

import { canonicalJson, compareEvents, contentOf, EMPTY_LOG, LOG_VERSION, rechain, verifyChain, type ApprovalEvent, type ApprovalLog, type ChainCheck, type EventContent, type HistoryAcceptance } from './log'
import { project } from './projection'

export type LogCheck = ChainCheck | { ok: false; problem: 'routeMismatch'; index: -1; eventId: '' }

/** The chain, plus the stored current route against the one the events say is current. */
export function verifyLog(log: ApprovalLog): LogCheck {
  const chain = verifyChain(log)
  if (!chain.ok) return chain
  if (canonicalJson(log.route) !== canonicalJson(project(log).route)) {
    return { ok: false, problem: 'routeMismatch', index: -1, eventId: '' }
  }
  return { ok: true }
}

/** A log from events in their final order: chain recomputed, current route derived. */
export function buildLog(contents: readonly EventContent[]): ApprovalLog {
  const events = rechain(contents)
  return { v: LOG_VERSION, route: project({ events }).route, events }
}

export type MergeResult =
  | { ok: true; log: ApprovalLog }
  | { ok: false; error: 'brokenChain'; input: number; check: LogCheck }
  /** The same event id carries different content in two inputs: one of them was edited. */
  | { ok: false; error: 'conflictingEvent'; eventId: string }

/**
 * Union of any number of logs by event id. Commutative, associative and idempotent: the result
 * depends only on the set of events.
 */
export function mergeAll(logs: readonly ApprovalLog[]): MergeResult {
  const byId = new Map<string, { content: EventContent; canon: string }>()
  for (const [input, log] of logs.entries()) {
    const check = verifyLog(log)
    if (!check.ok) return { ok: false, error: 'brokenChain', input, check }
    for (const e of log.events) {
      const content = contentOf(e)
      const canon = canonicalJson(content)
      const seen = byId.get(e.id)
      if (seen && seen.canon !== canon) return { ok: false, error: 'conflictingEvent', eventId: e.id }
      if (!seen) byId.set(e.id, { content, canon })
    }
  }
  const accepted = new Map<string, HistoryAcceptance>()
  for (const log of logs) for (const a of log.accepted ?? []) accepted.set(canonicalJson(a), a)
  if (byId.size === 0 && accepted.size === 0) return { ok: true, log: EMPTY_LOG }
  const contents = [...byId.values()].map((x) => x.content).sort(compareEvents)
  const log = buildLog(contents)
  if (accepted.size === 0) return { ok: true, log }
  const ordered = [...accepted.entries()].sort(([ka, a], [kb, b]) => (a.at === b.at ? (ka < kb ? -1 : 1) : a.at < b.at ? -1 : 1))
  return { ok: true, log: { ...log, accepted: ordered.map(([, a]) => a) } }
}

export function mergeLogs(a: ApprovalLog, b: ApprovalLog): MergeResult {
  return mergeAll([a, b])
}

/** Whether every event of `mine` is in `stored` (the write landed, or was merged by someone else). */
export function containsAll(stored: ApprovalLog, mine: readonly Pick<ApprovalEvent, 'id'>[]): boolean {
  const ids = new Set(stored.events.map((e) => e.id))
  return mine.every((e) => ids.has(e.id))
}
