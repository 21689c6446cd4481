/**
 * Reading the card tab's state. The first render is ONE HTTP request: a batch that reads the
 * current user, the app options, the contract, its counterparty and the people shown.
 */
import { AppError } from '../../platform/errors.ts'
import { mapItemEnvelope, mapUser } from '../../platform/mappers.ts'
import { batchRef, type BatchCommand, type BitrixPort, type PortalUserInfo } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import { readContract, withLogArchive, type ContractRecord } from './record.ts'
import { parseContractSpace } from './context.ts'
import { APP_OPTION_KEYS } from '../../domain/schema.ts'
import { EMPTY_ROUTE_SET, parseRouteSet, type RouteSet } from '../../domain/route.ts'
import { confirmedIds, type TimelineEntry } from '../../domain/attestation.ts'
import { ENTRY_PAGES, entriesFrom, entryCommands, morePages, needMorePages } from './attest.ts'

const COMPANY_ENTITY_TYPE_ID = 4

export interface CardData {
  readonly me: PortalUserInfo
  /** Where contracts live (the `ca_install` option), read in the same batch. */
  readonly space: ContractSpace
  readonly routeSet: RouteSet
  readonly record: ContractRecord | null
  /** Why the contract is not shown (no access, deleted). */
  readonly itemError: AppError | null
  readonly companyTitle: string | null
  readonly users: ReadonlyMap<number, PortalUserInfo>
  /** The item's timeline log entries (attest.ts): what confirms the log's events. */
  readonly entries: readonly TimelineEntry[]
  /** The entries could not be read: nothing is confirmed, and the card says why. */
  readonly entriesError: AppError | null
  /** The app options read in the same batch (the archivists, the deputies…): no request more. */
  readonly appOptions: Readonly<Record<string, unknown>>
}

function usersOf(result: unknown): PortalUserInfo[] {
  return Array.isArray(result) ? result.map(mapUser).filter((u) => u.id > 0) : []
}

/** User ids the route set names, so the route's people can be read in the same batch. */
export function routeUserIds(set: RouteSet): number[] {
  const ids = new Set<number>()
  for (const r of set.routes) for (const s of r.steps) for (const a of s.approvers) if (a.kind === 'user') ids.add(a.userId)
  return [...ids]
}

export async function loadRouteSet(port: BitrixPort): Promise<RouteSet> {
  const parsed = parseRouteSet(await port.appOption(APP_OPTION_KEYS.routes))
  return parsed.ok ? parsed.set : EMPTY_ROUTE_SET
}

/** What an earlier load learnt, or the frame knew at init: lets a load name exactly the people it needs. */
export interface KnownCard {
  readonly space: ContractSpace
  readonly routeSet: RouteSet
}

/**
 * What the frame delivered with APP_OPTIONS at init, as a KnownCard: `null` without a frame, or
 * when the snapshot has no install record for this smart process (the batch then says why).
 */
export function knownFromFrame(port: BitrixPort, entityTypeId: number): KnownCard | null {
  const options = port.initialAppOptions
  if (!options) return null
  const space = parseContractSpace(options[APP_OPTION_KEYS.install])
  if (!space || space.entityTypeId !== entityTypeId) return null
  const routes = parseRouteSet(options[APP_OPTION_KEYS.routes])
  return { space, routeSet: routes.ok ? routes.set : EMPTY_ROUTE_SET }
}

/**
 * The whole tab in ONE request. The app options ride in the batch too (one extra command costs
 * no extra request, and they are fresher than the frame's snapshot of page load). When the field
 * names are known — from an earlier load, or from the frame's APP_OPTIONS on the first one — the
 * batch asks for exactly the current approvers (`$result` reference), the route's people and the
 * author. Only a port without a frame, on its first load, falls back to the first page of
 * active users.
 */
export async function loadCard(port: BitrixPort, entityTypeId: number, itemId: number, known: KnownCard | null = null): Promise<CardData> {
  const hint = known ?? knownFromFrame(port, entityTypeId)
  const ref = (path: string) => batchRef('item', 'item', path)
  const commands: Record<string, BatchCommand> = {
    me: { method: 'user.current' },
    opts: { method: 'app.option.get' },
    item: { method: 'crm.item.get', params: { entityTypeId, id: itemId } },
    company: { method: 'crm.item.get', params: { entityTypeId: COMPANY_ENTITY_TYPE_ID, id: ref('companyId') } },
    author: { method: 'user.get', params: { ID: ref('assignedById') } },
    // The entries that confirm the log's events, newest first, in this same request.
    ...entryCommands(entityTypeId, itemId),
  }
  if (hint) {
    commands.approvers = { method: 'user.get', params: { FILTER: { ID: ref(hint.space.fields.approvers) } } }
    const ids = routeUserIds(hint.routeSet)
    if (ids.length) commands.people = { method: 'user.get', params: { FILTER: { ID: ids } } }
  } else {
    commands.people = { method: 'user.get', params: { FILTER: { ACTIVE: 'Y' }, sort: 'ID', order: 'ASC' } }
  }
  const outcome = await port.batch(commands)
  if (outcome.errors.me) throw outcome.errors.me
  const me = mapUser(outcome.results.me)
  const options = (outcome.results.opts ?? {}) as Record<string, unknown>
  const space = parseContractSpace(options[APP_OPTION_KEYS.install]) ?? hint?.space ?? null
  if (!space || space.entityTypeId !== entityTypeId) {
    throw new AppError('validation', 'NOT_INSTALLED', 'The app is not installed for this smart process (no ca_install option)')
  }
  const routes = parseRouteSet(options[APP_OPTION_KEYS.routes])
  const routeSet = routes.ok ? routes.set : (hint?.routeSet ?? EMPTY_ROUTE_SET)
  const users = new Map<number, PortalUserInfo>([[me.id, me]])
  for (const key of ['approvers', 'author', 'people'] as const) for (const u of usersOf(outcome.results[key])) users.set(u.id, u)

  if (outcome.errors.item) return { me, space, routeSet, record: null, itemError: outcome.errors.item, companyTitle: null, users, entries: [], entriesError: null, appOptions: options }
  // A contract whose earlier rounds left the field costs one download more (log-archive.ts).
  const record = await withLogArchive(port, readContract(mapItemEnvelope(outcome.results.item), space))
  const pages = entriesFrom(outcome)
  let entries = pages.entries
  let entriesError = pages.error
  // A history longer than the newest pages costs one batch more, only then.
  const events = record.stored.log.events
  if (!entriesError && needMorePages(pages, ENTRY_PAGES, events, confirmedIds(events, entries))) {
    const more = await morePages(port, entityTypeId, itemId, ENTRY_PAGES, pages.total ?? 0)
    entries = [...entries, ...more.entries]
    entriesError = more.error
  }
  // The counterparty may be unreadable for this user; the header then shows no name.
  const company = outcome.errors.company || !record.companyId ? null : (outcome.results.company as { item?: { title?: unknown } } | undefined)?.item?.title
  return { me, space, routeSet, record, itemError: null, companyTitle: typeof company === 'string' ? company : null, users, entries, entriesError, appOptions: options }
}

/**
 * What changes when anyone acts (the log's projection and the update time), cheap enough to poll:
 * one crm.item.list row without the log itself.
 */
export async function changeSignature(port: BitrixPort, space: ContractSpace, itemId: number): Promise<string | null> {
  const f = space.fields
  const result = await port.call<{ items?: Record<string, unknown>[] }>('crm.item.list', {
    entityTypeId: space.entityTypeId,
    filter: { id: itemId },
    select: ['id', 'updatedTime', 'stageId', f.approvers, f.round, f.deadline],
    start: -1,
  })
  const row = result?.items?.[0]
  if (!row) return null
  return JSON.stringify([row.updatedTime, row.stageId, row[f.approvers], row[f.round], row[f.deadline]])
}

/** People not in the first batch (e.g. a department head on a later step). */
export async function loadUsers(port: BitrixPort, ids: readonly number[]): Promise<PortalUserInfo[]> {
  if (ids.length === 0) return []
  const users = await port.getUsers(ids)
  if (users.length === 0 && ids.length > 0) throw new AppError('notFound', 'USERS_NOT_FOUND', 'None of the users was found')
  return users
}
