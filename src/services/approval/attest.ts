/**
 * Timeline entries that vouch for events (domain/attestation.ts). Each event's writer leaves,
 * BEFORE writing the event, a `crm.timeline.logmessage.add` entry: the human message, the marker
 * `[ca-event:{id}:{contentHash}]`, and the event's content (so an administrator can rebuild an
 * emptied history from the entries). Bitrix24 sets the entry's `authorId` from the caller's
 * token and has no update method, so the entry says who really acted.
 *
 * A crash between the entry and the write leaves an orphan entry, which confirms nothing that is
 * not in the log. A retry with the same event id finds its entry (by the marker) and adds none.
 *
 * `crm.timeline.logmessage.list` pages by 10 with no filter, newest first by default; the card
 * asks for the newest ENTRY_PAGES pages in its one batch, and more only when a long history needs it.
 */
import { AppError } from '../../platform/errors.ts'
import type { BatchCommand, BatchOutcome, BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import { messageLang, timelineMessage } from './messages.ts'
import { attestationMarker, contentHash, isAttested, markersIn, type TimelineEntry } from '../../domain/attestation.ts'
import { effectsOfEvent, type TimelineEffect } from '../../domain/effects.ts'
import { contentOf, type ApprovalEvent, type ApprovalLog, type EventContent } from '../../domain/log.ts'

/** Pages of 10 read with the card (the newest 50 entries). */
export const ENTRY_PAGES = 5
/**
 * The most pages read for one contract: 1 000 entries, enough for 30 rounds of a 20-person
 * committee (the longest history the app keeps working with, its earlier rounds in the archive
 * file). Only such a history pays for the extra batches.
 */
export const MAX_ENTRY_PAGES = 100
const PAGE = 10

const DATA_PREFIX = 'ca-data:'

/** The batch commands that read entry pages `from`…`from + count - 1`, newest first. */
export function entryCommands(entityTypeId: number, itemId: number, from = 0, count = ENTRY_PAGES): Record<string, BatchCommand> {
  const out: Record<string, BatchCommand> = {}
  for (let i = from; i < from + count; i++) {
    out[`tl${i}`] = { method: 'crm.timeline.logmessage.list', params: { entityTypeId, entityId: itemId, order: { id: 'desc' }, start: i * PAGE } }
  }
  return out
}

function rowsOf(result: unknown): TimelineEntry[] {
  const rows = Array.isArray(result) ? result : ((result as { items?: unknown } | null)?.items as unknown[] | undefined) ?? []
  return rows.flatMap((r) => {
    const x = r as Record<string, unknown>
    const id = Number(x.id ?? x.ID)
    const authorId = Number(x.authorId ?? x.AUTHOR_ID)
    const text = typeof x.text === 'string' ? x.text : typeof x.TEXT === 'string' ? x.TEXT : ''
    return Number.isInteger(id) && Number.isInteger(authorId) ? [{ id, authorId, text }] : []
  })
}

export interface EntryPages {
  readonly entries: TimelineEntry[]
  /** How many entries the item has in all (`total` of the first page), when known. */
  readonly total: number | null
  readonly error: AppError | null
}

/** Entries out of a batch that ran entryCommands; the first failing page is the error. */
export function entriesFrom(outcome: BatchOutcome, from = 0, count = ENTRY_PAGES): EntryPages {
  const byId = new Map<number, TimelineEntry>()
  let error: AppError | null = null
  for (let i = from; i < from + count; i++) {
    const key = `tl${i}`
    const err = outcome.errors[key]
    if (err) {
      error ??= err
      continue
    }
    for (const e of rowsOf(outcome.results[key])) byId.set(e.id, e)
  }
  const total = outcome.totals?.[`tl${from}`]
  return { entries: [...byId.values()], total: typeof total === 'number' ? total : null, error }
}

/** Whether pages beyond `read` may hold entries for events not confirmed yet. */
export function needMorePages(pages: EntryPages, readPages: number, events: readonly { id: string }[], confirmed: ReadonlySet<string>): boolean {
  const all = pages.total ?? 0
  return all > readPages * PAGE && readPages < MAX_ENTRY_PAGES && events.some((e) => !confirmed.has(e.id))
}

/** More pages after the first `readPages`, as many as the total says, one batch. */
export async function morePages(port: BitrixPort, entityTypeId: number, itemId: number, readPages: number, total: number): Promise<EntryPages> {
  const last = Math.min(MAX_ENTRY_PAGES, Math.ceil(total / PAGE))
  const entries: TimelineEntry[] = []
  // A batch takes 50 commands: a very long history reads its pages 50 at a time.
  for (let from = readPages; from < last; from += 50) {
    const count = Math.min(50, last - from)
    const page = entriesFrom(await port.batch(entryCommands(entityTypeId, itemId, from, count)), from, count)
    if (page.error) return { entries, total, error: page.error }
    entries.push(...page.entries)
  }
  return { entries, total, error: null }
}

/** The item's entries: the newest pages, then more if the history needs them. */
export async function readEntries(port: BitrixPort, space: ContractSpace, itemId: number, events: readonly { id: string }[] = []): Promise<TimelineEntry[]> {
  const first = entriesFrom(await port.batch(entryCommands(space.entityTypeId, itemId)))
  if (first.error) throw first.error
  const known = new Set(events.map((e) => e.id))
  const seen = new Set(first.entries.flatMap((t) => markersIn(t.text).map((m) => m.eventId)))
  if (!needMorePages(first, ENTRY_PAGES, [...known].map((id) => ({ id })), seen)) return first.entries
  const more = await morePages(port, space.entityTypeId, itemId, ENTRY_PAGES, first.total ?? 0)
  if (more.error) throw more.error
  return [...first.entries, ...more.entries]
}

/** The event's content, carried by its entry for a rebuild: one JSON line. */
export function entryData(event: EventContent | ApprovalEvent): string {
  return DATA_PREFIX + JSON.stringify(contentOf(event))
}

/** Event contents carried by entries whose author is the event's actor and whose hash matches. */
export function contentsFromEntries(entries: readonly TimelineEntry[]): EventContent[] {
  const out = new Map<string, EventContent>()
  for (const t of entries) {
    const marks = markersIn(t.text)
    for (const line of t.text.split('\n')) {
      if (!line.startsWith(DATA_PREFIX)) continue
      let content: EventContent
      try {
        content = JSON.parse(line.slice(DATA_PREFIX.length)) as EventContent
      } catch {
        continue
      }
      if (typeof content !== 'object' || content === null || typeof content.id !== 'string' || content.actor?.id !== t.authorId) continue
      const hash = contentHash(content)
      if (marks.some((m) => m.eventId === content.id && m.hash === hash) && !out.has(content.id)) out.set(content.id, content)
    }
  }
  return [...out.values()]
}

/**
 * Leaves the entry for each of `events` (all by `actorId`) that `entries` do not hold yet: one
 * direct call per event (free text never rides in a batch). `log` is the log with the events in
 * it, for the human message.
 */
export async function attestEvents(
  port: BitrixPort,
  space: ContractSpace,
  itemId: number,
  log: ApprovalLog,
  events: readonly ApprovalEvent[],
  entries: readonly TimelineEntry[],
  actorId: number,
): Promise<TimelineEntry[]> {
  const lang = messageLang(port.lang)
  const added: TimelineEntry[] = []
  for (const event of events) {
    if (isAttested(event, entries, actorId)) continue
    const effect = effectsOfEvent(log, event.id).find((e): e is TimelineEffect => e.kind === 'timeline')
    const human = effect ? timelineMessage(effect, lang, event) : { title: 'Contract approval', text: event.type }
    const text = `${human.text}\n${attestationMarker(event)}\n${entryData(event)}`
    const res = await port.call<{ logMessage?: { id?: unknown; authorId?: unknown } }>('crm.timeline.logmessage.add', {
      fields: { entityTypeId: space.entityTypeId, entityId: itemId, title: human.title, text, iconCode: 'info' },
    })
    added.push({ id: Number(res?.logMessage?.id ?? 0), authorId: Number(res?.logMessage?.authorId ?? actorId), text })
  }
  return added
}
