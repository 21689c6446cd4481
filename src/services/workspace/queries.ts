/**
 * The workspace's lists. The first render is ONE HTTP request: a batch with the current user,
 * both lists (the user's id reaches their filters as a `$result[me][ID]` reference), and, per
 * list, the people and counterparties its rows name — referenced row by row, so exactly those
 * are read. crm.item.list leaves out what the user may not read, so the lists respect CRM rights
 * without any check of ours.
 */
import { AppError } from '../../platform/errors.ts'
import { mapUser } from '../../platform/mappers.ts'
import { batchRef, type BatchCommand, type BatchOutcome, type BatchRef, type BitrixPort, type PortalUserInfo } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { parseContractSpace, loadContractSpace } from '../approval/context.ts'
import { APP_OPTION_KEYS, stageId, type StageCode } from '../../domain/schema.ts'
import { readRow, rowSelect, type ContractRow } from './rows.ts'
import { batchWithOrderFallback } from '../list-order.ts'

/** crm.item.list answers 50 rows a page. */
export const PAGE_SIZE = 50
/** Holders named per row in the batch; a committee step with more names the rest afterwards. */
const HOLDERS_PER_ROW = 3
const COMPANY_ENTITY_TYPE_ID = 4

export type ListKind = 'inbox' | 'mine'

export interface ListQuery {
  readonly kind: ListKind
  /** Offset of the page (`start`), 0 for the first. */
  readonly start: number
  /** "My contracts" filtered to one stage; null = every stage. */
  readonly stage: StageCode | null
}

export interface ListPage {
  readonly rows: ContractRow[]
  /** Offset of the next page, or null when this page was the last. */
  readonly next: number | null
  /** How many contracts the list holds in all (the portal's count); null when it did not count. */
  readonly total: number | null
}

export interface PageData {
  readonly page: ListPage
  readonly users: PortalUserInfo[]
  readonly companies: ReadonlyMap<number, string>
}

export interface WorkspaceData {
  readonly me: PortalUserInfo
  readonly inbox: PageData
  readonly mine: PageData
  /** The author's contracts returned for revision: they wait on the author. */
  readonly returnedCount: number
  /** The answers to the caller's `extra` commands (the deputies store's), from the same batch. */
  readonly extra?: BatchOutcome
}

/**
 * Where the contracts live. In a frame the install record came with APP_OPTIONS (no request);
 * a port without a frame asks for it.
 */
export async function resolveSpace(port: BitrixPort): Promise<ContractSpace> {
  const fromFrame = port.initialAppOptions ? parseContractSpace(port.initialAppOptions[APP_OPTION_KEYS.install]) : null
  return fromFrame ?? loadContractSpace(port)
}

function listFilter(space: ContractSpace, q: Pick<ListQuery, 'kind' | 'stage'>, userId: number | BatchRef): Record<string, unknown> {
  // A filter on a multiple field matches the items whose values contain the id.
  if (q.kind === 'inbox') return { [space.fields.approvers]: userId }
  const filter: Record<string, unknown> = { assignedById: userId }
  if (q.stage) filter.stageId = stageId(space.entityTypeId, space.categoryId, q.stage)
  return filter
}

/** The list command and the commands naming its rows' people and counterparties. */
export function pageCommands(space: ContractSpace, q: ListQuery, userId: number | BatchRef): Record<string, BatchCommand> {
  const key = q.kind
  const order = q.kind === 'inbox' ? { [space.fields.deadline]: 'ASC', id: 'ASC' } : { id: 'DESC' }
  const rowRef = (i: number, ...path: (string | number)[]) => batchRef(key, 'items', i, ...path)
  const people: BatchRef[] = []
  const companies: BatchRef[] = []
  for (let i = 0; i < PAGE_SIZE; i++) {
    if (q.kind === 'inbox') people.push(rowRef(i, 'assignedById'))
    else for (let j = 0; j < HOLDERS_PER_ROW; j++) people.push(rowRef(i, space.fields.approvers, j))
    companies.push(rowRef(i, 'companyId'))
  }
  return {
    [key]: {
      method: 'crm.item.list',
      params: { entityTypeId: space.entityTypeId, filter: listFilter(space, q, userId), order, select: rowSelect(space), start: q.start },
    },
    [`${key}People`]: { method: 'user.get', params: { FILTER: { ID: people } } },
    [`${key}Companies`]: {
      method: 'crm.item.list',
      params: { entityTypeId: COMPANY_ENTITY_TYPE_ID, filter: { '@id': companies }, select: ['id', 'title'], start: -1 },
    },
  }
}

/**
 * The count and next offset of a counted list command. A port that does not report them (none
 * in this app, but the interface allows it) leaves the list uncounted, paged by full pages.
 */
export function pagingOf(outcome: BatchOutcome, key: string, start: number, rowCount: number): { next: number | null; total: number | null } {
  if (!outcome.totals) return { next: rowCount === PAGE_SIZE ? start + PAGE_SIZE : null, total: null }
  return { next: outcome.next?.[key] ?? null, total: outcome.totals[key] ?? null }
}

function usersOf(result: unknown): PortalUserInfo[] {
  return Array.isArray(result) ? result.map(mapUser).filter((u) => u.id > 0) : []
}

/** Reads one list's page out of a batch outcome; throws the list's own error. */
export function readPage(outcome: BatchOutcome, space: ContractSpace, q: ListQuery): PageData {
  const key = q.kind
  const error = outcome.errors[key]
  if (error) throw error
  const items = (outcome.results[key] as { items?: unknown } | undefined)?.items
  const rows = Array.isArray(items) ? items.map((it) => readRow(it as Record<string, unknown>, space)).filter((r) => r.id > 0) : []
  const companies = new Map<number, string>()
  // Counterparties the user may not read are simply not named.
  const found = (outcome.results[`${key}Companies`] as { items?: unknown } | undefined)?.items
  if (Array.isArray(found)) {
    for (const c of found as { id?: unknown; title?: unknown }[]) if (typeof c.title === 'string') companies.set(Number(c.id), c.title)
  }
  return {
    page: { rows, ...pagingOf(outcome, key, q.start, rows.length) },
    users: usersOf(outcome.results[`${key}People`]),
    companies,
  }
}

/** The whole first render in ONE request. */
export async function loadWorkspace(port: BitrixPort, space: ContractSpace, mineStage: StageCode | null = null, extra: Record<string, BatchCommand> = {}): Promise<WorkspaceData> {
  const me = batchRef('me', 'ID')
  const inboxQ: ListQuery = { kind: 'inbox', start: 0, stage: null }
  const mineQ: ListQuery = { kind: 'mine', start: 0, stage: mineStage }
  const outcome = await batchWithOrderFallback(port, {
    ...extra,
    me: { method: 'user.current' },
    ...pageCommands(space, inboxQ, me),
    ...pageCommands(space, mineQ, me),
    returned: {
      method: 'crm.item.list',
      // Counted (start 0): only the total is wanted, however many contracts came back.
      params: { entityTypeId: space.entityTypeId, filter: listFilter(space, { kind: 'mine', stage: 'RETURNED' }, me), select: ['id'], start: 0 },
    },
  })
  if (outcome.errors.me) throw outcome.errors.me
  const user = mapUser(outcome.results.me)
  if (user.id <= 0) throw new AppError('auth', 'NO_CURRENT_USER', 'user.current answered without a user')
  const returned = (outcome.results.returned as { items?: unknown[] } | undefined)?.items
  const returnedRows = Array.isArray(returned) ? returned.length : 0
  return {
    me: user,
    inbox: readPage(outcome, space, inboxQ),
    mine: readPage(outcome, space, mineQ),
    returnedCount: outcome.totals?.returned ?? returnedRows,
    extra: outcome,
  }
}

/** A further page (or a re-filtered first page) of one list, with its people, in ONE request. */
export async function loadPage(port: BitrixPort, space: ContractSpace, q: ListQuery, userId: number): Promise<PageData> {
  const outcome = await batchWithOrderFallback(port, pageCommands(space, q, userId))
  return readPage(outcome, space, q)
}
