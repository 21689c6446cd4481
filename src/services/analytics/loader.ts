/**
 * Reads what the analytics tab measures, in as few HTTP requests as Bitrix24 allows: batches of
 * 50 `crm.item.list` commands (one batch is ONE request for the rate limit), each a page of 50
 * contracts — 2 500 contracts a request, so 10 000 contracts take 5 requests, plus one batch
 * naming the people, departments and counterparties. Pages follow each other by id inside the
 * batch (`>id` of the page before, `start: -1`: no count), as Bitrix24 advises for large lists.
 *
 * The pages select the compact metrics field the writer projects with every log write
 * (domain/analytics/metrics.ts), the stage and the round — not the log. A contract whose field is
 * missing (written before the field existed), unreadable, or stale (its stage or round is not the
 * one written with it) has its full log read instead, 2 500 by id to a request; a contract
 * without either (round 0: never submitted) is a draft. Both ways give the same facts.
 *
 * Everything is read with the user's own token: `crm.item.list` leaves out contracts the user
 * may not read, so what they may not see in the CRM is never counted (no admin webhook here).
 * Rows are de-duplicated by id.
 */
import { contractFacts, decodeMetrics, metricsSignature, type ContractFacts } from '../../domain/analytics/index.ts'
import { EMPTY_LOG } from '../../domain/log.ts'
import { mapUser } from '../../platform/mappers.ts'
import { batchRef, type BatchCommand, type BatchOutcome, type BatchRef, type BitrixPort, type PortalUserInfo } from '../../platform/port.ts'
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

/**
 * One page of 50 in id order after an id — or after the last row of the page before in the same
 * batch (a `$result` reference) — without counting: Bitrix24's way to read a large list
 * (settings/performance/huge-data.md: `>id` of the last row, `start: -1`; counting and deep
 * offsets are what gets slow). Only the very first page counts (`start: 0`), for the progress bar.
 */
function pageCommand(space: ContractSpace, after: number | BatchRef, metrics: boolean, count: boolean): BatchCommand {
  const f = space.fields
  return {
    method: 'crm.item.list',
    params: {
      entityTypeId: space.entityTypeId,
      order: { id: 'ASC' },
      filter: { '>id': after },
      select: metrics ? ['id', 'stageId', f.round, f.metrics] : ['id', f.approvalLog],
      start: count ? 0 : -1,
    },
  }
}

/** The full logs of the given contracts (at most 50), by id, without counting. */
function logsCommand(space: ContractSpace, ids: readonly number[]): BatchCommand {
  return {
    method: 'crm.item.list',
    params: { entityTypeId: space.entityTypeId, filter: { '@id': [...ids] }, order: { id: 'ASC' }, select: ['id', space.fields.approvalLog], start: -1 },
  }
}

const roundOf = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0
  return Number.isInteger(n) && n > 0 ? n : 0
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
  opts: {
    now?: () => string
    onProgress?: (p: AnalyticsProgress) => void
    /** false: read every full log, ignoring the metrics field (the bench and the tests compare both). */
    metrics?: boolean
  } = {},
): Promise<AnalyticsData> {
  const useMetrics = opts.metrics ?? true
  let requests = 0
  const batch = async (commands: Record<string, BatchCommand>): Promise<BatchOutcome> => {
    requests++
    return port.batch(commands)
  }
  // In id order; null: the log is still to be read.
  const byId = new Map<number, ContractFacts | null>()
  let unreadable = 0
  let total: number | null = null
  let read = 0
  const fromLog = (id: number, raw: unknown): void => {
    const parsed = parseStored(raw)
    if (!parsed.ok) {
      unreadable++
      byId.delete(id)
      return
    }
    byId.set(id, contractFacts(id, parsed.stored.log))
  }
  const absorb = (items: Record<string, unknown>[]): void => {
    for (const item of items) {
      const id = Number(item.id)
      if (!Number.isInteger(id) || id <= 0 || byId.has(id)) continue
      read++
      if (!useMetrics) {
        fromLog(id, item[space.fields.approvalLog])
        continue
      }
      const round = roundOf(item[space.fields.round])
      const raw = item[space.fields.metrics]
      const m = decodeMetrics(id, raw)
      if (m && m.sig === metricsSignature(String(item.stageId ?? ''), round)) byId.set(id, m.facts)
      else if (round === 0 && (raw === undefined || raw === null || raw === '')) byId.set(id, contractFacts(id, EMPTY_LOG))
      else byId.set(id, null)
    }
  }

  // Pages chained by id, 50 to a batch, each starting after the last row of the one before; the
  // first page also counts them all, and the last batch asks for one page more than the count
  // says are left, so a short page ends the read.
  let after = 0
  for (let firstBatch = true; ; firstBatch = false) {
    const left = total === null ? Infinity : total - read
    const pages = Math.min(BATCH_SIZE, Math.floor(left / PAGE_SIZE) + 1)
    const keys = Array.from({ length: pages }, (_, i) => `p${i}`)
    const outcome = await batch(Object.fromEntries(keys.map((key, i) => [
      key,
      pageCommand(space, i === 0 ? after : batchRef(`p${i - 1}`, 'items', PAGE_SIZE - 1, 'id'), useMetrics, firstBatch && i === 0),
    ])))
    let short = false
    for (const key of keys) {
      const items = itemsOf(outcome, key)
      absorb(items)
      const last = Number(items[items.length - 1]?.id)
      if (Number.isInteger(last) && last > after) after = last
      // Pages after a short one start past a row that does not exist: not read.
      if (items.length < PAGE_SIZE) {
        short = true
        break
      }
    }
    if (firstBatch) total = outcome.totals?.p0 ?? null
    opts.onProgress?.({ read, total })
    if (short) break
  }

  // The contracts without usable metrics: their full logs, by id.
  const missing = [...byId.entries()].filter(([, f]) => f === null).map(([id]) => id)
  for (const part of chunks(chunks(missing, PAGE_SIZE), BATCH_SIZE)) {
    const outcome = await batch(Object.fromEntries(part.map((ids, i) => [`l${i}`, logsCommand(space, ids)])))
    part.forEach((ids, i) => {
      const items = itemsOf(outcome, `l${i}`)
      const got = new Map(items.map((item) => [Number(item.id), item]))
      for (const id of ids) {
        const item = got.get(id)
        // Gone or out of reach since the page was read: not counted.
        if (item) fromLog(id, item[space.fields.approvalLog])
        else byId.delete(id)
      }
    })
  }

  const facts = [...byId.values()].filter((f): f is ContractFacts => f !== null)
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
