/**
 * Standing deputies (issue 10, Deliver 6): a person away for a date range names a colleague, and
 * every turn that opens for them in that range goes to the colleague «вместо …». Unlike a
 * delegation (one seat, handed on by its holder), the substitution is made by whoever opens the
 * turn — the author submitting, the approver finishing the previous step — and written into that
 * person's event (`deputies`), so every client replays the same seats from the log alone.
 *
 * Nobody may name themselves; a deputy never sits on a contract of their own, nor twice on a step.
 */
import type { Actor } from './log'
import { APP_OPTION_KEYS } from './schema'

/** One absence: `person` is away from `from` to `to` (calendar days, `YYYY-MM-DD`, inclusive). */
export interface Absence {
  readonly person: Actor
  readonly deputy: Actor
  readonly from: string
  readonly to: string
}

/** A seat taken by a deputy on a step that opened: recorded in the event that opened it. */
export interface DeputySeat {
  readonly step: number
  /** Whose turn it was. */
  readonly from: Actor
  /** Who takes it. */
  readonly to: Actor
}

export type AbsenceProblem = 'deputyIsSelf' | 'deputyMissing' | 'rangeInvalid'

const DAY = /^\d{4}-\d{2}-\d{2}$/

function isDay(s: unknown): s is string {
  return typeof s === 'string' && DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
}

/** What is wrong with an absence as someone sets it; null: fine. */
export function checkAbsence(a: Absence): AbsenceProblem | null {
  if (!a.deputy || !Number.isInteger(a.deputy.id) || a.deputy.id <= 0) return 'deputyMissing'
  if (a.deputy.id === a.person?.id) return 'deputyIsSelf'
  if (!isDay(a.from) || !isDay(a.to) || a.from > a.to) return 'rangeInvalid'
  return null
}

/** Absences as read from storage: anything malformed is dropped, never trusted. */
export function parseAbsences(stored: unknown): Absence[] {
  let value = stored
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown
    } catch {
      return []
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) value = (value as { absences?: unknown }).absences
  if (!Array.isArray(value)) return []
  const out: Absence[] = []
  for (const v of value as unknown[]) {
    if (!v || typeof v !== 'object') continue
    const r = v as Record<string, unknown>
    const actor = (x: unknown): Actor => {
      const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>
      return { id: Number(o.id), name: typeof o.name === 'string' ? o.name : '' }
    }
    const a: Absence = {
      person: actor(r.person),
      deputy: actor(r.deputy),
      from: String(r.from ?? ''),
      to: String(r.to ?? ''),
    }
    if (Number.isInteger(a.person.id) && a.person.id > 0 && checkAbsence(a) === null) out.push(a)
  }
  return out
}

/** The calendar day of an instant, `YYYY-MM-DD`, in a zone `offsetMinutes` east of UTC. */
export function dayOf(iso: string, offsetMinutes = 0): string {
  return new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString().slice(0, 10)
}

/** Whose deputy stands for `personId` on `day`: the latest-starting absence that covers it. */
export function deputyOn(absences: readonly Absence[], personId: number, day: string): Actor | null {
  const covering = absences.filter((a) => a.person.id === personId && a.from <= day && day <= a.to)
  covering.sort((x, y) => (x.from < y.from ? 1 : x.from > y.from ? -1 : 0))
  return covering[0]?.deputy ?? null
}

/**
 * The seats deputies take on a step that opens on `day`. A deputy who is away too passes it on
 * to their own deputy (a cycle, or a chain that reaches the author, the step's own people or the
 * absent person again, stops with nobody: the turn stays where it was).
 */
export function deputySeats(
  step: number,
  approverIds: readonly number[],
  absences: readonly Absence[],
  day: string,
  authorId: number | null,
): DeputySeat[] {
  const seats: DeputySeat[] = []
  const taken = new Set(approverIds)
  for (const id of approverIds) {
    const own = absences.find((a) => a.person.id === id)
    if (!own) continue
    const from = own.person
    const seen = new Set<number>([from.id])
    let to = deputyOn(absences, from.id, day)
    while (to) {
      if (seen.has(to.id)) { to = null; break }
      const further = deputyOn(absences, to.id, day)
      if (!further) break
      seen.add(to.id)
      to = further
    }
    if (!to) continue
    if (to.id === from.id || to.id === authorId || taken.has(to.id)) continue
    taken.add(to.id)
    seats.push({ step, from, to })
  }
  return seats
}

/** Whether a seat read from a log may take effect on a step now held by `approverIds`. */
export function seatAllowed(seat: DeputySeat, approverIds: readonly number[], authorId: number | null): boolean {
  const to = seat?.to?.id
  const from = seat?.from?.id
  return Number.isInteger(to) && to > 0 && Number.isInteger(from) && to !== from && to !== authorId &&
    approverIds.includes(from) && !approverIds.includes(to)
}

/** The app option that holds everyone's absences (`app.option.*`: readable by all). */
export const DEPUTIES_OPTION = APP_OPTION_KEYS.deputies

/** The option's stored text (app options hold strings). */
export function serializeAbsences(list: readonly Absence[]): string {
  return JSON.stringify({ v: 1, absences: list })
}

/**
 * The list after `person` sets an absence (or clears theirs with `null`): one standing absence
 * per person, and absences that ended before `today` dropped.
 */
export function withAbsence(list: readonly Absence[], personId: number, next: Absence | null, today: string): Absence[] {
  const kept = list.filter((a) => a.person.id !== personId && a.to >= today)
  return next ? [...kept, next] : kept
}

/** The absence `personId` has set that is not over by `today`. */
export function absenceOf(list: readonly Absence[], personId: number, today: string): Absence | null {
  return list.find((a) => a.person.id === personId && a.to >= today) ?? null
}

// --- Absences people set themselves (issue 10, Deliver 6) -------------------------------------
//
// App options are written by administrators only, so a person records their own absence in the
// app's data storage (`entity.*`), which every user may write. Anyone with write rights could
// write an entry there naming any absent person, so an entry counts only when Bitrix24 itself
// vouches that the absent person wrote it: the portal sets an item's CREATED_BY and MODIFIED_BY
// from the caller's token (they are not parameters of entity.item.add / update), and both must be
// the person the entry is about. A later change by anyone else leaves the entry void.

/** The app's data storage for absences (`ENTITY`: `a-z A-Z 0-9 _`, at most 13 characters). */
export const DEPUTIES_ENTITY = 'ca_deputies'

/** An absence with where it came from: an administrator's option, or the person's own entry. */
/** AppError code: the storage is missing and this user could not create it. */
export const STORAGE_MISSING = 'DEPUTIES_STORAGE_MISSING'

export type SourcedAbsence = Absence & { readonly source: 'admin' | 'self'; readonly entryId?: number }

/** The item NAME that holds a self-set absence (an item's NAME is a string; properties need X). */
export function entryName(a: Absence): string {
  return JSON.stringify({ v: 1, person: a.person, deputy: a.deputy, from: a.from, to: a.to })
}

/** The item's activity dates, for people browsing the storage and for the read filter. */
export function entryDates(a: Absence): { DATE_ACTIVE_FROM: string; DATE_ACTIVE_TO: string } {
  return { DATE_ACTIVE_FROM: `${a.from}T00:00:00`, DATE_ACTIVE_TO: `${a.to}T23:59:59` }
}

interface EntryRow {
  readonly ID?: unknown
  readonly NAME?: unknown
  readonly ACTIVE?: unknown
  readonly CREATED_BY?: unknown
  readonly MODIFIED_BY?: unknown
}

const rowsOf = (rows: unknown): EntryRow[] =>
  (Array.isArray(rows) ? rows : []).filter((r): r is EntryRow => !!r && typeof r === 'object')

/**
 * The trust rule: an entry counts only if it is active, well formed, and both its CREATED_BY and
 * its MODIFIED_BY are the absent person it names.
 */
export function trustedEntry(row: unknown): SourcedAbsence | null {
  const [r] = rowsOf([row])
  if (!r || r.ACTIVE === 'N') return null
  let value: unknown
  try {
    value = JSON.parse(typeof r.NAME === 'string' ? r.NAME : '')
  } catch {
    return null
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null
  const [a] = parseAbsences([value])
  if (!a) return null
  if (Number(r.CREATED_BY) !== a.person.id || Number(r.MODIFIED_BY) !== a.person.id) return null
  const id = Number(r.ID)
  return { ...a, source: 'self', ...(Number.isInteger(id) && id > 0 ? { entryId: id } : {}) }
}

/** The trusted absences among storage items (entity.item.get's rows); the rest are ignored. */
export function trustedEntries(rows: unknown): SourcedAbsence[] {
  return rowsOf(rows).map(trustedEntry).filter((a): a is SourcedAbsence => a !== null)
}

/** Ids of the items `personId` created (theirs to change or remove), trusted or not. */
export function ownEntryIds(rows: unknown, personId: number): number[] {
  return rowsOf(rows).filter((r) => Number(r.CREATED_BY) === personId).map((r) => Number(r.ID)).filter((id) => Number.isInteger(id) && id > 0)
}

/**
 * Both sources as one list for deputyOn / deputySeats: the person's own entries first, so where
 * an administrator's absence and their own start on the same day, their own choice stands
 * (otherwise the latest-starting absence covering a day wins, as always).
 */
export function mergeAbsences(adminSet: readonly Absence[], selfSet: readonly Absence[]): SourcedAbsence[] {
  return [...selfSet.map((a) => ({ ...a, source: 'self' as const })), ...adminSet.map((a) => ({ ...a, source: 'admin' as const }))]
}

export type SelfAbsenceProblem = AbsenceProblem | 'rangePast'

/** What is wrong with an absence a person sets for themselves on `today`; null: fine. */
export function checkOwnAbsence(a: Absence, today: string): SelfAbsenceProblem | null {
  const p = checkAbsence(a)
  if (p) return p
  return a.to < today ? 'rangePast' : null
}
