/**
 * The approval log as it sits in the contract's string field: the domain's log plus `fx`, the
 * side effects already carried out (effect keys without their event id, under the event id's
 * first 12 characters). Keeping that here lets the tab know, from the one item read it makes
 * anyway, which notification or to-do is still missing, and lets a retry skip what was done.
 */
import { parseLog, serializeLog, EMPTY_LOG, type ApprovalLog, type LogParseError } from '../../domain/log.ts'
import { decodeStoredJson } from '../../domain/json.ts'
import { utf8Bytes } from '../../domain/sha256.ts'
import type { ApprovalEvent } from '../../domain/log.ts'
import { AppError } from '../../platform/errors.ts'
import { archiveFile, parseArchiveRef, type LogArchiveRef } from './log-archive.ts'

/**
 * The most the stored text may take. A string user field is a TEXT column (65,535 bytes) that a
 * real portal cuts silently past its size: the text is checked against this before writing.
 */
export const STORED_FIELD_BUDGET = 64_000

export type DoneEffects = Readonly<Record<string, readonly string[]>>

export interface StoredLog {
  readonly log: ApprovalLog
  readonly fx: DoneEffects
  /** Every effect of events of rounds below this counts as done (set when fx had to shrink). */
  readonly fxBefore: number
  /**
   * Earlier rounds kept in the contract's archive file (log-archive.ts). While only parsed from
   * the field, `log.events` holds the inline rounds; `attachArchive` makes it the whole history.
   */
  readonly archive: LogArchiveRef | null
}

export const EMPTY_STORED: StoredLog = { log: EMPTY_LOG, fx: {}, fxBefore: 0, archive: null }

/** The whole history: the archived events, checked to lead into the inline chain, then the inline ones. */
export function attachArchive(stored: StoredLog, archived: readonly ApprovalEvent[]): StoredLog | null {
  const first = stored.log.events[0]
  if (first && first.prevHash !== stored.archive?.head) return null
  return { ...stored, log: { ...stored.log, events: [...archived, ...stored.log.events] } }
}

const idKey = (eventId: string): string => eventId.slice(0, 12)

/** `${eventId}:notify:5` → ['abc…', 'notify:5'] */
function splitKey(key: string): [string, string] {
  const i = key.indexOf(':')
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)]
}

export function isDone(stored: StoredLog, key: string, round: number): boolean {
  if (round < stored.fxBefore) return true
  const [eventId, rest] = splitKey(key)
  return stored.fx[idKey(eventId)]?.includes(rest) ?? false
}

/** Whether the key itself is marked (ignores the watermark). */
export function hasDoneKey(stored: StoredLog, key: string): boolean {
  const [eventId, rest] = splitKey(key)
  return stored.fx[idKey(eventId)]?.includes(rest) ?? false
}

export function withDone(stored: StoredLog, keys: readonly string[]): StoredLog {
  const fx: Record<string, string[]> = Object.fromEntries(Object.entries(stored.fx).map(([k, v]) => [k, [...v]]))
  for (const key of keys) {
    const [eventId, rest] = splitKey(key)
    const list = (fx[idKey(eventId)] ??= [])
    if (!list.includes(rest)) list.push(rest)
  }
  return { ...stored, fx }
}

export function mergeDone(a: StoredLog, b: StoredLog): Pick<StoredLog, 'fx' | 'fxBefore'> {
  const keys: string[] = []
  for (const [id, rests] of Object.entries(b.fx)) for (const r of rests) keys.push(`${id}:${r}`)
  return { fx: withDone(a, keys).fx, fxBefore: Math.max(a.fxBefore, b.fxBefore) }
}

export function parseStored(raw: unknown): { ok: true; stored: StoredLog } | { ok: false; error: LogParseError } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, stored: EMPTY_STORED }
  const decoded = decodeStoredJson(raw)
  if (!decoded.ok) return { ok: false, error: 'invalidJson' }
  const data = decoded.value
  const parsed = parseLog(data)
  if (!parsed.ok) return parsed
  const extra = (typeof data === 'object' && data !== null ? data : {}) as { fx?: unknown; fxBefore?: unknown; archive?: unknown }
  const fx: Record<string, string[]> = typeof extra.fx === 'object' && extra.fx !== null
    ? Object.fromEntries(Object.entries(extra.fx as Record<string, unknown>)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, (v as unknown[]).filter((x): x is string => typeof x === 'string')]))
    : {}
  const fxBefore = typeof extra.fxBefore === 'number' ? extra.fxBefore : 0
  return { ok: true, stored: { log: parsed.log, fx, fxBefore, archive: parseArchiveRef(extra.archive) } }
}

/** What one write puts in the contract: the field's text and, when more rounds moved out, the new archive file. */
export interface StoredWrite {
  readonly text: string
  readonly archive: { readonly ref: LogArchiveRef; readonly text: string } | null
}

const lastRoundOf = (events: readonly ApprovalEvent[]) => events.reduce((m, e) => Math.max(m, e.round), 0)

/**
 * The field's text, under STORED_FIELD_BUDGET, never cut. Past the budget, first the done-marks
 * of earlier rounds collapse into the `fxBefore` watermark, then whole earlier rounds move into
 * the archive file (the current round always stays inline). Only a single round too large for
 * the field fails, with logOverBudget.
 */
export function storedWrite(stored: StoredLog): StoredWrite {
  const events = stored.log.events
  const lastRound = lastRoundOf(events)
  const compacted = (): Pick<StoredLog, 'fx' | 'fxBefore'> => {
    const keep = new Set(events.filter((e) => e.round >= lastRound).map((e) => idKey(e.id)))
    return { fx: Object.fromEntries(Object.entries(stored.fx).filter(([k]) => keep.has(k))), fxBefore: Math.max(stored.fxBefore, lastRound) }
  }
  let marks: Pick<StoredLog, 'fx' | 'fxBefore'> = stored
  let rounds = stored.archive?.rounds ?? 0
  for (;;) {
    const archive = rounds > 0 ? archiveFile(events, rounds) : null
    const inline = rounds > 0 ? events.filter((e) => e.round > rounds) : events
    const base = serializeLog({ ...stored.log, events: inline })
    const text = base.slice(0, -1) + `,"fx":${JSON.stringify(marks.fx)},"fxBefore":${marks.fxBefore}` +
      (archive ? `,"archive":${JSON.stringify(archive.ref)}` : '') + '}'
    if (utf8Bytes(text).length <= STORED_FIELD_BUDGET) {
      return { text, archive: archive && archive.ref.sha !== stored.archive?.sha ? archive : null }
    }
    if (marks === stored) {
      marks = compacted()
      continue
    }
    if (rounds + 1 >= lastRound) {
      throw new AppError('validation', 'logOverBudget', `One round of the approval log does not fit the field (${STORED_FIELD_BUDGET} bytes)`)
    }
    rounds++
  }
}

/** The field's text alone (see storedWrite). */
export function serializeStored(stored: StoredLog): string {
  return storedWrite(stored).text
}
