/**
 * Absences and standing deputies over the port (domain/deputies.ts), from two sources read in
 * ONE batch request:
 * - the app option `ca_deputies`: what administrators set for anyone (only they may write it);
 * - the app's data storage `ca_deputies` (`entity.item.*`): what each person set for themselves,
 *   counted only when the portal vouches that the person wrote it (`trustedEntries`).
 * A portal installed before the storage existed simply has none: it is created on the first save
 * (services/install/storage.ts); if that is refused, the save fails with STORAGE_MISSING.
 */
import type { BatchCommand, BatchOutcome, BitrixPort } from '../../platform/port.ts'
import { AppError, isAppError } from '../../platform/errors.ts'
import {
  DEPUTIES_ENTITY, DEPUTIES_OPTION, entryDates, entryName, mergeAbsences, ownEntryIds, parseAbsences, serializeAbsences,
  STORAGE_MISSING, trustedEntries, withAbsence, type Absence, type SourcedAbsence,
} from '../../domain/deputies.ts'
import { ensureStorage } from '../install/storage.ts'

export { STORAGE_MISSING }

const PAGE = 50
const codeOf = (e: unknown): string => (isAppError(e) ? e.code : '')

/** The day before `day` (`YYYY-MM-DD`): a margin for the zone the portal compares dates in. */
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
}

/**
 * The entity.item.get parameters for the self-set absences: active ones not over before `today`
 * (without a day: all of them).
 */
export function entriesQuery(today?: string): Record<string, unknown> {
  const FILTER: Record<string, unknown> = { ACTIVE: 'Y' }
  if (today) FILTER['>=DATE_ACTIVE_TO'] = `${dayBefore(today)}T00:00:00`
  return { ENTITY: DEPUTIES_ENTITY, FILTER, SORT: { ID: 'ASC' } }
}

/** Commands to put into a batch that reads who is away; `absencesOf` reads their answers. */
export function absenceCommands(today?: string): { deputiesOption: BatchCommand; deputiesEntries: BatchCommand } {
  return {
    deputiesOption: { method: 'app.option.get', params: { option: DEPUTIES_OPTION } },
    deputiesEntries: { method: 'entity.item.get', params: entriesQuery(today) },
  }
}

/** Every page past the first of a storage listing (rare: more than 50 people away at once). */
async function restOfEntries(port: BitrixPort, today: string | undefined, total: number | undefined): Promise<unknown[]> {
  const more: unknown[] = []
  for (let start = PAGE; total !== undefined && start < total && start < PAGE * 40; start += PAGE) {
    const page = await port.call<unknown[]>('entity.item.get', { ...entriesQuery(today), start })
    if (!Array.isArray(page) || page.length === 0) break
    more.push(...page)
  }
  return more
}

/**
 * Who is away as stored right now, both sources merged, in one request (two when more than 50
 * self-set absences are current). A missing storage or option reads as none.
 */
export async function readAbsences(port: BitrixPort, today?: string): Promise<SourcedAbsence[]> {
  return absencesOf(port, await port.batch(absenceCommands(today)), today)
}

/**
 * Who is away, from the answers to `absenceCommands` inside any batch (the workspace's first
 * one carries them: no request of their own). Missing answers read as none.
 */
export async function absencesOf(port: BitrixPort, out: BatchOutcome, today?: string): Promise<SourcedAbsence[]> {
  const adminSet = parseAbsences(out.results.deputiesOption)
  let rows = Array.isArray(out.results.deputiesEntries) ? (out.results.deputiesEntries as unknown[]) : []
  const total = out.totals?.deputiesEntries
  if (rows.length >= PAGE && total !== undefined && total > rows.length) rows = [...rows, ...(await restOfEntries(port, today, total))]
  return mergeAbsences(adminSet, trustedEntries(rows))
}

/** Sets (or, with `null`, clears) `personId`'s absence in the app option (administrators only). */
export async function saveAbsence(port: BitrixPort, personId: number, next: Absence | null, today: string): Promise<SourcedAbsence[]> {
  const current = parseAbsences(await port.call<unknown>('app.option.get', { option: DEPUTIES_OPTION }))
  const list = withAbsence(current, personId, next, today)
  await port.setAppOption(DEPUTIES_OPTION, serializeAbsences(list))
  return readAbsences(port)
}

/** The items `personId` wrote in the storage; null when the storage does not exist. */
async function ownRows(port: BitrixPort, personId: number): Promise<unknown[] | null> {
  try {
    const rows = await port.call<unknown[]>('entity.item.get', { ENTITY: DEPUTIES_ENTITY, FILTER: { CREATED_BY: personId }, SORT: { ID: 'ASC' } })
    return Array.isArray(rows) ? rows : []
  } catch (e) {
    if (codeOf(e) === 'ERROR_ENTITY_NOT_FOUND') return null
    throw e
  }
}

/**
 * Sets (or, with `null`, removes) the absence `person` records for themselves in the storage:
 * one item per person, changed in place, extra ones removed. Creates the storage when it is
 * missing; when this user may not, fails with STORAGE_MISSING.
 */
export async function saveOwnAbsence(port: BitrixPort, personId: number, next: Absence | null, lang: string): Promise<SourcedAbsence[]> {
  let rows = await ownRows(port, personId)
  if (rows === null) {
    if (!next) return readAbsences(port)
    try {
      await ensureStorage(port, lang)
    } catch (e) {
      throw new AppError('access', STORAGE_MISSING, 'The deputies storage is missing and could not be created', e)
    }
    rows = []
  }
  const ids = ownEntryIds(rows, personId)
  const [keep, ...extra] = next ? ids : []
  const remove = next ? extra : ids
  if (next) {
    const fields = { ENTITY: DEPUTIES_ENTITY, NAME: entryName(next), ...entryDates(next) }
    if (keep) await port.call('entity.item.update', { ...fields, ID: keep })
    else await port.call('entity.item.add', fields)
  }
  for (const id of remove) {
    await port.call('entity.item.delete', { ENTITY: DEPUTIES_ENTITY, ID: id }).catch((e: unknown) => {
      if (codeOf(e) !== 'ERROR_ITEM_NOT_FOUND') throw e
    })
  }
  return readAbsences(port)
}
