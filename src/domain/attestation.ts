/**
 * Decisions Bitrix24 itself vouches for. The hash chain proves nothing against someone who can
 * edit the contract (they can recompute it), but a timeline log entry's `authorId` is set by the
 * portal from the caller's token, and entries cannot be edited. So every event's writer leaves
 * an entry carrying the event's id and a hash of its content BEFORE writing the event; an event
 * counts as confirmed only when an entry by the event's own actor carries both.
 *
 * The content hash leaves out what a merge may change (`n`, `prevHash`, `hash`), so it is the
 * same wherever the event ends up in the chain, and a retry of the same action hashes the same.
 */

import { canonicalJson, contentOf, type ApprovalEvent, type EventContent } from './log'
import { sha256Hex } from './sha256'

/** A timeline log entry as the portal lists it. */
export interface TimelineEntry {
  readonly id: number
  readonly authorId: number
  readonly text: string
}

/** What the projection may trust: events confirmed by the portal, routes published by admins. */
export interface Trust {
  /** Ids of confirmed events; absent = every event is trusted (tests, tools, older callers). */
  readonly confirmed?: ReadonlySet<string>
  /** routeHash of every published route; absent = every frozen route is accepted. */
  readonly published?: ReadonlySet<string>
}

/** Hash of what the event says, independent of its place in the chain. */
export function contentHash(event: EventContent | ApprovalEvent): string {
  const { n: _n, ...content } = contentOf(event)
  return sha256Hex(canonicalJson(content))
}

const MARKER = /\[ca-event:([^\s\]]+):([0-9a-f]{64})\]/g

/** The line an entry carries for `event`: found again by a retry, matched by the card. */
export function attestationMarker(event: EventContent | ApprovalEvent): string {
  return `[ca-event:${event.id}:${contentHash(event)}]`
}

/** Every (event id, content hash) an entry's text carries. */
export function markersIn(text: string): { eventId: string; hash: string }[] {
  const out: { eventId: string; hash: string }[] = []
  for (const m of text.matchAll(MARKER)) out.push({ eventId: m[1] as string, hash: m[2] as string })
  return out
}

/** Whether `entries` hold an entry by `authorId` that carries this event's id and hash. */
export function isAttested(event: EventContent | ApprovalEvent, entries: readonly TimelineEntry[], authorId: number = event.actor.id): boolean {
  const hash = contentHash(event)
  return entries.some((t) => t.authorId === authorId && markersIn(t.text).some((m) => m.eventId === event.id && m.hash === hash))
}

/** Ids of the events an entry by their own actor confirms. */
export function confirmedIds(events: readonly (EventContent | ApprovalEvent)[], entries: readonly TimelineEntry[]): Set<string> {
  const byAuthor = new Map<string, Set<string>>()
  for (const t of entries) {
    for (const m of markersIn(t.text)) {
      const key = `${t.authorId}|${m.eventId}`
      const set = byAuthor.get(key) ?? new Set<string>()
      set.add(m.hash)
      byAuthor.set(key, set)
    }
  }
  const out = new Set<string>()
  for (const e of events) if (byAuthor.get(`${e.actor.id}|${e.id}`)?.has(contentHash(e))) out.add(e.id)
  return out
}

/** Events of the log that no entry confirms. */
export function unconfirmedIds(events: readonly (EventContent | ApprovalEvent)[], confirmed: ReadonlySet<string>): string[] {
  return events.filter((e) => !confirmed.has(e.id)).map((e) => e.id)
}
