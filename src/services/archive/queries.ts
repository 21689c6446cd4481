/**
 * The archivist's lists: contracts waiting for their paper originals, and the archive browser.
 * Both are server-side filtered, sorted and paged (`start`), never read whole: the archive of a
 * large portal holds tens of thousands of contracts. crm.item.list leaves out what the user may
 * not read, so rows and totals respect CRM rights with no check of ours.
 *
 * Every page, searched or not, is ONE request: a batch with the list, the rows' authors and
 * counterparties by `$result` reference, and — when the search names a counterparty — the
 * matching companies first, their ids handed to the list by reference as well.
 */
import { AppError } from '../../platform/errors.ts'
import { mapUser } from '../../platform/mappers.ts'
import { batchRef, type BatchCommand, type BatchRef, type BatchOutcome, type BitrixPort, type PortalUserInfo } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { PAGE_SIZE, pagingOf } from '../workspace/queries.ts'
import { readRow, rowSelect, type ContractRow } from '../workspace/rows.ts'
import { batchWithOrderFallback } from '../list-order.ts'
import { stageId } from '../../domain/schema.ts'
import { ARCHIVISTS_OPTION, DEFAULT_QUERY, parseArchivists, yearsBetween, type ArchiveQuery, type Archivists, type SortField } from '../../domain/archive.ts'

export const COMPANY_ENTITY_TYPE_ID = 4
/** Counterparties a search may name; more than this and the user should type more. */
export const COMPANY_MATCHES = 50

export type ArchiveListKind = 'waiting' | 'archive'

export interface ArchiveRow extends ContractRow {
  /** Contract date, YYYY-MM-DD. */
  readonly date: string | null
  readonly contractType: string | null
  readonly originalsReceived: boolean
  /** When the originals came, YYYY-MM-DD. */
  readonly receivedAt: string | null
  readonly storageLocation: string | null
  readonly archivistId: number | null
  /** When the contract entered its stage: for a waiting one, since when it waits. */
  readonly movedTime: string | null
  /** The newest document version: the portal's own download address (relative). */
  readonly fileUrl: string | null
}

export interface ArchivePage {
  readonly rows: ArchiveRow[]
  /** Offset of the next page, or null when this page was the last. */
  readonly next: number | null
  /** How many contracts the list (with its search) holds in all; null when it was not counted. */
  readonly total: number | null
  readonly companies: ReadonlyMap<number, string>
  readonly people: readonly PortalUserInfo[]
}

export interface ArchiveStart {
  readonly me: PortalUserInfo
  readonly waiting: ArchivePage
  readonly archive: ArchivePage
  /** Years of contract dates in the data, newest first. */
  readonly years: number[]
  /** Read with the batch when the frame did not bring the app's options. */
  readonly archivists: Archivists | null
  /**
   * The user can see at least one contract of any stage. False with empty lists means CRM rights
   * hide every contract from this user (or there are none yet) — not "everything is received".
   */
  readonly seesAny: boolean
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
}

function yes(v: unknown): boolean {
  return v === true || v === 'Y' || v === 1 || v === '1'
}

export function archiveSelect(space: ContractSpace): string[] {
  const f = space.fields
  return [...rowSelect(space), f.date, f.contractType, f.originalsReceived, f.receivedAt, f.storageLocation, f.archivist, f.documents, 'movedTime']
}

export function readArchiveRow(raw: Record<string, unknown>, space: ContractSpace): ArchiveRow {
  const f = space.fields
  const archivist = Number(raw[f.archivist])
  const receivedAt = text(raw[f.receivedAt])?.slice(0, 10) ?? null
  return {
    ...readRow(raw, space),
    date: text(raw[f.date])?.slice(0, 10) ?? null,
    contractType: text(raw[f.contractType]),
    originalsReceived: yes(raw[f.originalsReceived]) || receivedAt !== null,
    receivedAt,
    storageLocation: text(raw[f.storageLocation]),
    archivistId: Number.isInteger(archivist) && archivist > 0 ? archivist : null,
    movedTime: text(raw.movedTime),
    fileUrl: newestFile(raw[f.documents]),
  }
}

/** The download address of the newest file of a multiple file field (the highest id). */
function newestFile(v: unknown): string | null {
  const files = Array.isArray(v) ? v : v ? [v] : []
  let best: { id: number; url: string } | null = null
  for (const f of files as { id?: unknown; url?: unknown }[]) {
    const id = Number(f?.id)
    if (typeof f?.url === 'string' && Number.isFinite(id) && (!best || id > best.id)) best = { id, url: f.url }
  }
  return best?.url ?? null
}

/** The references to the ids of the companies a counterparty search found (same batch). */
export function companyMatchRefs(key = 'co'): BatchRef[] {
  return Array.from({ length: COMPANY_MATCHES }, (_, i) => batchRef(key, 'items', i, 'id'))
}

/**
 * The crm.item.list filter of a list. Amounts filter on the item's own `opportunity` (a number
 * column; the money user field is stored as text, "1000|RUB", which a range cannot compare).
 */
export function archiveListFilter(space: ContractSpace, kind: ArchiveListKind, q: ArchiveQuery = DEFAULT_QUERY, companyRefs: readonly BatchRef[] = []): Record<string, unknown> {
  const f = space.fields
  const stage = (code: Exclude<ArchiveQuery['stage'], 'any'>) => stageId(space.entityTypeId, space.categoryId, code)
  if (kind === 'waiting') return { stageId: stage('ORIGINALS') }
  const out: Record<string, unknown> = q.stage === 'any' ? { categoryId: space.categoryId } : { stageId: stage(q.stage) }
  if (q.originals === 'received') out[f.originalsReceived] = 'Y'
  if (q.originals === 'missing') out[`!${f.originalsReceived}`] = 'Y'
  if (q.number.trim()) out[`%${f.number}`] = q.number.trim()
  if (q.text.trim()) out['%title'] = q.text.trim()
  if (q.contractType.trim()) out[`%${f.contractType}`] = q.contractType.trim()
  if (q.authorId !== null) out.assignedById = q.authorId
  if (q.dateFrom) out[`>=${f.date}`] = q.dateFrom
  if (q.dateTo) out[`<=${f.date}`] = q.dateTo
  if (q.amountMin !== null) out['>=opportunity'] = q.amountMin
  if (q.amountMax !== null) out['<=opportunity'] = q.amountMax
  if (q.counterparty.trim()) out['@companyId'] = [...companyRefs]
  return out
}

export function sortOrder(space: ContractSpace, sort: SortField, dir: 'asc' | 'desc'): Record<string, string> {
  const f = space.fields
  const field = { receivedAt: f.receivedAt, date: f.date, number: f.number, title: 'title', amount: 'opportunity', id: 'id' }[sort]
  const d = dir === 'asc' ? 'ASC' : 'DESC'
  return field === 'id' ? { id: d } : { [field]: d, id: d }
}

/** The counterparty search's command: companies whose name contains the text (ids only). */
export function companySearchCommand(q: string): BatchCommand {
  return { method: 'crm.item.list', params: { entityTypeId: COMPANY_ENTITY_TYPE_ID, filter: { '%title': q }, select: ['id'], order: { id: 'ASC' }, start: -1 } }
}

/**
 * The list command and those naming its rows' authors and counterparties (row by row, by
 * reference), preceded by the counterparty search when the query has one.
 */
export function listCommands(space: ContractSpace, kind: ArchiveListKind, start: number, q: ArchiveQuery = DEFAULT_QUERY, key: string = kind): Record<string, BatchCommand> {
  // Waiting: the longest wait first. Archive: the query's order.
  const order = kind === 'waiting' ? { movedTime: 'ASC', id: 'ASC' } : sortOrder(space, q.sort, q.dir)
  const row = (i: number, field: string) => batchRef(key, 'items', i, field)
  const companies = Array.from({ length: PAGE_SIZE }, (_, i) => row(i, 'companyId'))
  const people = Array.from({ length: PAGE_SIZE }, (_, i) => row(i, 'assignedById'))
  const counterparty = kind === 'archive' ? q.counterparty.trim() : ''
  const co = `${key}Co`
  return {
    ...(counterparty ? { [co]: companySearchCommand(counterparty) } : {}),
    [key]: {
      method: 'crm.item.list',
      params: { entityTypeId: space.entityTypeId, filter: archiveListFilter(space, kind, q, companyMatchRefs(co)), order, select: archiveSelect(space), start },
    },
    [`${key}Companies`]: {
      method: 'crm.item.list',
      params: { entityTypeId: COMPANY_ENTITY_TYPE_ID, filter: { '@id': companies }, select: ['id', 'title'], start: -1 },
    },
    [`${key}People`]: { method: 'user.get', params: { FILTER: { ID: people } } },
  }
}

function usersOf(result: unknown): PortalUserInfo[] {
  return Array.isArray(result) ? result.map(mapUser).filter((u) => u.id > 0) : []
}

export function readArchivePage(outcome: BatchOutcome, space: ContractSpace, key: string, start: number): ArchivePage {
  const error = outcome.errors[key] ?? outcome.errors[`${key}Co`]
  if (error) throw error
  const items = (outcome.results[key] as { items?: unknown } | undefined)?.items
  const rows = Array.isArray(items) ? items.map((it) => readArchiveRow(it as Record<string, unknown>, space)).filter((r) => r.id > 0) : []
  const companies = new Map<number, string>()
  // Counterparties the user may not read are simply not named.
  const found = (outcome.results[`${key}Companies`] as { items?: unknown } | undefined)?.items
  if (Array.isArray(found)) {
    for (const c of found as { id?: unknown; title?: unknown }[]) if (typeof c.title === 'string') companies.set(Number(c.id), c.title)
  }
  return { rows, ...pagingOf(outcome, key, start, rows.length), companies, people: usersOf(outcome.results[`${key}People`]) }
}

/** The oldest and newest contract dates: where the year choice comes from. */
function yearCommands(space: ContractSpace): Record<string, BatchCommand> {
  const f = space.fields
  const cmd = (dir: 'ASC' | 'DESC'): BatchCommand => ({
    method: 'crm.item.list',
    params: { entityTypeId: space.entityTypeId, filter: { categoryId: space.categoryId, [`>=${f.date}`]: '1900-01-01' }, order: { [f.date]: dir, id: dir }, select: ['id', f.date], start: -1 },
  })
  return { oldest: cmd('ASC'), newest: cmd('DESC') }
}

function firstDate(outcome: BatchOutcome, key: string, space: ContractSpace): string | null {
  const items = (outcome.results[key] as { items?: Record<string, unknown>[] } | undefined)?.items
  return Array.isArray(items) && items[0] ? text(items[0][space.fields.date]) : null
}

/**
 * The tab's first render in ONE request: the user, the first page of each list with their
 * authors and counterparties, the span of contract years, and the archivists when the frame did
 * not bring the app's options.
 */
export async function loadArchiveStart(port: BitrixPort, space: ContractSpace, q: ArchiveQuery = DEFAULT_QUERY): Promise<ArchiveStart> {
  const askRoles = port.initialAppOptions === null
  const commands: Record<string, BatchCommand> = {
    me: { method: 'user.current' },
    ...listCommands(space, 'waiting', 0),
    ...listCommands(space, 'archive', 0, q),
    ...yearCommands(space),
  }
  // Any one contract the user may read, of any stage: tells "no access" from "nothing here".
  commands.seen = { method: 'crm.item.list', params: { entityTypeId: space.entityTypeId, filter: { categoryId: space.categoryId }, order: { id: 'DESC' }, select: ['id'], start: -1 } }
  if (askRoles) commands.roles = { method: 'app.option.get', params: { option: ARCHIVISTS_OPTION } }
  const outcome = await batchWithOrderFallback(port, commands)
  if (outcome.errors.me) throw outcome.errors.me
  const me = mapUser(outcome.results.me)
  if (me.id <= 0) throw new AppError('auth', 'NO_CURRENT_USER', 'user.current answered without a user')
  return {
    me,
    waiting: readArchivePage(outcome, space, 'waiting', 0),
    archive: readArchivePage(outcome, space, 'archive', 0),
    years: yearsBetween(firstDate(outcome, 'oldest', space), firstDate(outcome, 'newest', space)),
    archivists: askRoles ? parseArchivists(outcome.results.roles) : null,
    seesAny: outcome.errors.seen ? false : ((outcome.results.seen as { items?: unknown[] } | undefined)?.items?.length ?? 0) > 0,
  }
}

/** One page of a list, searched or not: one batch. */
export async function loadArchivePage(port: BitrixPort, space: ContractSpace, kind: ArchiveListKind, start: number, q: ArchiveQuery = DEFAULT_QUERY): Promise<ArchivePage> {
  const outcome = await batchWithOrderFallback(port, listCommands(space, kind, start, q))
  return readArchivePage(outcome, space, kind, start)
}

/** Contracts by id, of any stage, with their authors and counterparties: one batch. */
export async function loadArchiveRows(port: BitrixPort, space: ContractSpace, ids: readonly number[]): Promise<ArchivePage> {
  const cmds = listCommands(space, 'archive', 0, { ...DEFAULT_QUERY, stage: 'any', sort: 'id' })
  const list = cmds.archive as BatchCommand
  cmds.archive = { ...list, params: { ...list.params, filter: { categoryId: space.categoryId, '@id': [...ids] } } }
  return readArchivePage(await port.batch(cmds), space, 'archive', 0)
}
