/**
 * The approval log as it sits in the contract's string field: the domain's log plus `fx`, the
 * side effects already carried out (effect keys without their event id, under the event id's
 * first 12 characters). Keeping that here lets the tab know, from the one item read it makes
 * anyway, which notification or to-do is still missing, and lets a retry skip what was done.
 */
import { parseLog, serializeLog, EMPTY_LOG, type ApprovalLog, type LogParseError } from '../../domain/log.ts'
import { decodeStoredJson } from '../../domain/json.ts'
import { STRING_FIELD_MAX_BYTES } from '../../domain/schema.ts'
import { utf8Bytes } from '../../domain/sha256.ts'

export type DoneEffects = Readonly<Record<string, readonly string[]>>

export interface StoredLog {
  readonly log: ApprovalLog
  readonly fx: DoneEffects
  /** Every effect of events of rounds below this counts as done (set when fx had to shrink). */
  readonly fxBefore: number
}

export const EMPTY_STORED: StoredLog = { log: EMPTY_LOG, fx: {}, fxBefore: 0 }

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
  const extra = (typeof data === 'object' && data !== null ? data : {}) as { fx?: unknown; fxBefore?: unknown }
  const fx: Record<string, string[]> = typeof extra.fx === 'object' && extra.fx !== null
    ? Object.fromEntries(Object.entries(extra.fx as Record<string, unknown>)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, (v as unknown[]).filter((x): x is string => typeof x === 'string')]))
    : {}
  const fxBefore = typeof extra.fxBefore === 'number' ? extra.fxBefore : 0
  return { ok: true, stored: { log: parsed.log, fx, fxBefore } }
}

/**
 * The field's text. The domain keeps the log itself under its budget; if the done-marks push the
 * text past what the field holds, marks of earlier rounds collapse into the `fxBefore` watermark.
 */
export function serializeStored(stored: StoredLog): string {
  const text = (s: StoredLog) => {
    const base = serializeLog(s.log)
    return base.slice(0, -1) + `,"fx":${JSON.stringify(s.fx)},"fxBefore":${s.fxBefore}}`
  }
  let out = text(stored)
  if (utf8Bytes(out).length <= STRING_FIELD_MAX_BYTES) return out
  const lastRound = stored.log.events.reduce((m, e) => Math.max(m, e.round), 0)
  const keep = new Set(stored.log.events.filter((e) => e.round >= lastRound).map((e) => idKey(e.id)))
  const fx = Object.fromEntries(Object.entries(stored.fx).filter(([k]) => keep.has(k)))
  out = text({ ...stored, fx, fxBefore: Math.max(stored.fxBefore, lastRound) })
  return out
}
