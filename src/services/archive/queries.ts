/**
 * The archivist's lists: contracts waiting for their paper originals, and the archive. Both are
 * server-side filtered and paged (`start`), never read whole: the archive of a large portal holds
 * tens of thousands of contracts. crm.item.list leaves out what the user may not read, so both
 * respect CRM rights with no check of ours. The first render is ONE request (loadArchiveStart).
 */
import { AppError } from '../../platform/errors.ts'
import { mapUser } from '../../platform/mappers.ts'
import { batchRef, type BatchCommand, type BatchOutcome, type BitrixPort, type PortalUserInfo } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { PAGE_SIZE, pagingOf } from '../workspace/queries.ts'
import { readRow, rowSelect, type ContractRow } from '../workspace/rows.ts'
import { batchWithOrderFallback } from '../list-order.ts'
import { stageId } from '../../domain/schema.ts'

const COMPANY_ENTITY_TYPE_ID = 4
/** Counterparties a search text may name; more than this and the user should type more. */
const COMPANY_MATCHES = 50

export type ArchiveListKind = 'waiting' | 'archive'

export interface ArchiveRow extends ContractRow {
  /** Contract date, YYYY-MM-DD. */
  readonly date: string | null
  readonly contractType: string | null
  /** When the originals came, YYYY-MM-DD. */
  readonly receivedAt: string | null
  readonly storageLocation: string | null
  readonly archivistId: number | null
  /** When the contract entered its stage: for a waiting one, since when it waits. */
  readonly movedTime: string | null
}

export interface ArchiveFilter {
  /** Title, number or counterparty contains it. */
  readonly text: string
  /** Year of the contract date. */
  readonly year: number | null
  /** Contract type contains it. */
  readonly contractType: string
}

export const NO_FILTER: ArchiveFilter = { text: '', year: null, contractType: '' }

export interface ArchivePage {
  readonly rows: ArchiveRow[]
  /** Offset of the next page, or null when this page was the last. */
  readonly next: number | null
  /** How many contracts the list (with its search) holds in all; null when it was not counted. */
  readonly total: number | null
  readonly companies: ReadonlyMap<number, string>
}

export interface ArchiveStart {
  readonly me: PortalUserInfo
  readonly waiting: ArchivePage
  readonly archive: ArchivePage
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
}

export function archiveSelect(space: ContractSpace): string[] {
  const f = space.fields
  return [...rowSelect(space), f.date, f.contractType, f.receivedAt, f.storageLocation, f.archivist, 'movedTime']
}

export function readArchiveRow(raw: Record<string, unknown>, space: ContractSpace): ArchiveRow {
  const f = space.fields
  const archivist = Number(raw[f.archivist])
  return {
    ...readRow(raw, space),
    date: text(raw[f.date])?.slice(0, 10) ?? null,
    contractType: text(raw[f.contractType]),
    receivedAt: text(raw[f.receivedAt])?.slice(0, 10) ?? null,
    storageLocation: text(raw[f.storageLocation]),
    archivistId: Number.isInteger(archivist) && archivist > 0 ? archivist : null,
    movedTime: text(raw.movedTime),
  }
}

/** The crm.item.list filter of a list; `companyIds`: counterparties the search text named. */
export function archiveListFilter(space: ContractSpace, kind: ArchiveListKind, filter: ArchiveFilter = NO_FILTER, companyIds: readonly number[] = []): Record<string, unknown> {
  const f = space.fields
  const out: Record<string, unknown> = { stageId: stageId(space.entityTypeId, space.categoryId, kind === 'waiting' ? 'ORIGINALS' : 'SUCCESS') }
  if (kind === 'waiting') return out
  if (filter.year !== null) {
    out[`>=${f.date}`] = `${filter.year}-01-01`
    out[`<=${f.date}`] = `${filter.year}-12-31`
  }
  const type = filter.contractType.trim()
  if (type) out[`%${f.contractType}`] = type
  const q = filter.text.trim()
  if (q) {
    const any: Record<string, unknown> = { logic: 'OR', '%title': q, [`%${f.number}`]: q }
    if (companyIds.length) any['@companyId'] = [...companyIds]
    out['0'] = any
  }
  return out
}

/** The list command and the one naming its rows' counterparties (row by row, by reference). */
export function listCommands(space: ContractSpace, key: ArchiveListKind, start: number, filter: ArchiveFilter, companyIds: readonly number[]): Record<string, BatchCommand> {
  // Waiting: the longest wait first. Archive: the latest filed first.
  const order = key === 'waiting' ? { movedTime: 'ASC', id: 'ASC' } : { [space.fields.receivedAt]: 'DESC', id: 'DESC' }
  const companies = Array.from({ length: PAGE_SIZE }, (_, i) => batchRef(key, 'items', i, 'companyId'))
  return {
    [key]: {
      method: 'crm.item.list',
      params: { entityTypeId: space.entityTypeId, filter: archiveListFilter(space, key, filter, companyIds), order, select: archiveSelect(space), start },
    },
    [`${key}Companies`]: {
      method: 'crm.item.list',
      params: { entityTypeId: COMPANY_ENTITY_TYPE_ID, filter: { '@id': companies }, select: ['id', 'title'], start: -1 },
    },
  }
}

export function readArchivePage(outcome: BatchOutcome, space: ContractSpace, key: ArchiveListKind, start: number): ArchivePage {
  const error = outcome.errors[key]
  if (error) throw error
  const items = (outcome.results[key] as { items?: unknown } | undefined)?.items
  const rows = Array.isArray(items) ? items.map((it) => readArchiveRow(it as Record<string, unknown>, space)).filter((r) => r.id > 0) : []
  const companies = new Map<number, string>()
  // Counterparties the user may not read are simply not named.
  const found = (outcome.results[`${key}Companies`] as { items?: unknown } | undefined)?.items
  if (Array.isArray(found)) {
    for (const c of found as { id?: unknown; title?: unknown }[]) if (typeof c.title === 'string') companies.set(Number(c.id), c.title)
  }
  return { rows, ...pagingOf(outcome, key, start, rows.length), companies }
}

/** The tab's first render in ONE request: the user, the first page of each list, their counterparties. */
export async function loadArchiveStart(port: BitrixPort, space: ContractSpace): Promise<ArchiveStart> {
  const outcome = await batchWithOrderFallback(port, {
    me: { method: 'user.current' },
    ...listCommands(space, 'waiting', 0, NO_FILTER, []),
    ...listCommands(space, 'archive', 0, NO_FILTER, []),
  })
  if (outcome.errors.me) throw outcome.errors.me
  const me = mapUser(outcome.results.me)
  if (me.id <= 0) throw new AppError('auth', 'NO_CURRENT_USER', 'user.current answered without a user')
  return { me, waiting: readArchivePage(outcome, space, 'waiting', 0), archive: readArchivePage(outcome, space, 'archive', 0) }
}

/** Counterparties whose name contains the text: the archive search matches their contracts too. */
async function companiesNamed(port: BitrixPort, q: string): Promise<number[]> {
  const res = await port.call<{ items?: { id?: unknown }[] }>('crm.item.list', {
    entityTypeId: COMPANY_ENTITY_TYPE_ID, filter: { '%title': q }, select: ['id'], order: { id: 'ASC' }, start: -1,
  })
  return (res.items ?? []).slice(0, COMPANY_MATCHES).map((c) => Number(c.id)).filter((id) => id > 0)
}

/**
 * One page of a list. A search text costs one request more (the counterparties it names), then
 * the page itself is one batch.
 */
export async function loadArchivePage(port: BitrixPort, space: ContractSpace, kind: ArchiveListKind, start: number, filter: ArchiveFilter = NO_FILTER): Promise<ArchivePage> {
  const q = filter.text.trim()
  const companyIds = kind === 'archive' && q ? await companiesNamed(port, q) : []
  const outcome = await batchWithOrderFallback(port, listCommands(space, kind, start, filter, companyIds))
  return readArchivePage(outcome, space, kind, start)
}
