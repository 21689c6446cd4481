/**
 * Reads what the analytics tab measures, in as few HTTP requests as Bitrix24 allows: batches of
 * 50 `crm.item.list` commands (one batch is ONE request for the rate limit), each a page of 50
 * contracts selecting only the id and the approval log — 2 500 contracts a request, so 10 000
 * contracts take 4 requests, plus one batch naming the people, departments and counterparties.
 *
 * Everything is read with the user's own token: `crm.item.list` leaves out contracts the user
 * may not read, so what they may not see in the CRM is never counted (no admin webhook here).
 * Pages are read by offset in id order; a contract added while reading may shift a page, so rows
 * are de-duplicated by id.
 */
import { contractFacts, type ContractFacts } from '../../domain/analytics/index.ts'
import { mapUser } from '../../platform/mappers.ts'
import type { BatchCommand, BatchOutcome, BitrixPort, PortalUserInfo } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { parseStored } from '../approval/stored-log.ts'

export const PAGE_SIZE = 50
/** Bitrix24 runs at most 50 commands in one batch. */
export const BATCH_SIZE = 50
/** department.get answers 50 a page; the holding's org chart fits in a few. */
const DEPARTMENT_PAGES = 4
const COMPANY_ENTITY_TYPE_ID = 4

export interface AnalyticsProgress {
  /** Contracts read so far. */
  readonly read: number
  /** How many the portal counted (null before the first answer). */
  readonly total: number | null
}

export interface AnalyticsData {
  readonly facts: readonly ContractFacts[]
  /** Contracts whose log could not be read (edited outside the app): left out, counted here. */
  readonly unreadable: number
  readonly users: ReadonlyMap<number, PortalUserInfo>
  readonly departments: ReadonlyMap<number, string>
  readonly companies: ReadonlyMap<number, string>
  /** HTTP requests the load took. */
  readonly requests: number
  readonly loadedAt: string
}

function pageCommand(space: ContractSpace, start: number): BatchCommand {
  return {
    method: 'crm.item.list',
    params: { entityTypeId: space.entityTypeId, order: { id: 'ASC' }, select: ['id', space.fields.approvalLog], start },
  }
}

const chunks = <T>(xs: readonly T[], size: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

function itemsOf(outcome: BatchOutcome, key: string): Record<string, unknown>[] {
  const error = outcome.errors[key]
  if (error) throw error
  const items = (outcome.results[key] as { items?: unknown } | undefined)?.items
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : []
}

/** Every contract the user may read, as facts, with the people and companies they name. */
export async function loadAnalytics(
  port: BitrixPort,
  space: ContractSpace,
  opts: { now?: () => string; onProgress?: (p: AnalyticsProgress) => void } = {},
): Promise<AnalyticsData> {
  let requests = 0
  const batch = async (commands: Record<string, BatchCommand>): Promise<BatchOutcome> => {
    requests++
    return port.batch(commands)
  }
  const byId = new Map<number, ContractFacts>()
  let unreadable = 0
  let total: number | null = null
  const absorb = (items: Record<string, unknown>[]): void => {
    for (const item of items) {
      const id = Number(item.id)
      if (!Number.isInteger(id) || id <= 0 || byId.has(id)) continue
      const parsed = parseStored(item[space.fields.approvalLog])
      if (!parsed.ok) {
        unreadable++
        continue
      }
      byId.set(id, contractFacts(id, parsed.stored.log))
    }
  }

  // Pages by offset, 50 to a batch; the first batch also tells how many there are in all.
  let first = 0
  for (;;) {
    const pages = total === null ? BATCH_SIZE : Math.min(BATCH_SIZE, Math.ceil(total / PAGE_SIZE) - first)
    if (pages <= 0) break
    const keys = Array.from({ length: pages }, (_, i) => `p${first + i}`)
    const outcome = await batch(Object.fromEntries(keys.map((key, i) => [key, pageCommand(space, (first + i) * PAGE_SIZE)])))
    let short = false
    for (const key of keys) {
      const items = itemsOf(outcome, key)
      absorb(items)
      if (items.length < PAGE_SIZE) short = true
    }
    total ??= outcome.totals?.[`p${first}`] ?? null
    first += pages
    opts.onProgress?.({ read: byId.size + unreadable, total })
    // A port that does not count (none in this app) reads on until a short page.
    if (short || (total !== null && first * PAGE_SIZE >= total)) break
  }

  const facts = [...byId.values()]
  const names = await loadNames(facts, batch)
  return { facts, unreadable, ...names, requests, loadedAt: (opts.now ?? (() => new Date().toISOString()))() }
}

/** Authors (and their departments), approvers still to decide, and counterparties, in as few batches as fit. */
async function loadNames(facts: readonly ContractFacts[], batch: (c: Record<string, BatchCommand>) => Promise<BatchOutcome>) {
  const userIds = new Set<number>()
  const companyIds = new Set<number>()
  for (const f of facts) {
    if (f.outcome === 'draft') continue
    if (f.authorId !== null) userIds.add(f.authorId)
    for (const s of f.seats) if (s.outcome === 'pending' || !(s.approverId in f.names)) userIds.add(s.approverId)
    if (f.companyId !== null) companyIds.add(f.companyId)
  }
  const commands: Record<string, BatchCommand> = {}
  chunks([...userIds], 50).forEach((ids, i) => (commands[`u${i}`] = { method: 'user.get', params: { FILTER: { ID: ids } } }))
  chunks([...companyIds], 50).forEach((ids, i) => (commands[`c${i}`] = {
    method: 'crm.item.list',
    params: { entityTypeId: COMPANY_ENTITY_TYPE_ID, filter: { '@id': ids }, select: ['id', 'title'], start: -1 },
  }))
  if (userIds.size > 0) {
    for (let i = 0; i < DEPARTMENT_PAGES; i++) commands[`d${i}`] = { method: 'department.get', params: { sort: 'ID', order: 'ASC', START: i * 50 } }
  }
  const users = new Map<number, PortalUserInfo>()
  const departments = new Map<number, string>()
  const companies = new Map<number, string>()
  const entries = Object.entries(commands)
  for (const part of chunks(entries, BATCH_SIZE)) {
    const outcome = await batch(Object.fromEntries(part))
    // Names are a courtesy: a command the user may not run leaves ids shown as ids.
    for (const [key, result] of Object.entries(outcome.results)) {
      if (key.startsWith('u') && Array.isArray(result)) for (const raw of result) {
        const u = mapUser(raw)
        if (u.id > 0) users.set(u.id, u)
      }
      if (key.startsWith('d') && Array.isArray(result)) for (const d of result as { ID?: unknown; NAME?: unknown }[]) {
        if (typeof d.NAME === 'string') departments.set(Number(d.ID), d.NAME)
      }
      if (key.startsWith('c')) {
        const items = (result as { items?: unknown } | undefined)?.items
        if (Array.isArray(items)) for (const c of items as { id?: unknown; title?: unknown }[]) if (typeof c.title === 'string') companies.set(Number(c.id), c.title)
      }
    }
  }
  return { users, departments, companies }
}
