/**
 * A crm.item.list row of the workspace lists, read into what a list row shows. The lists select
 * only these fields: never the approval log, which can weigh 60 KB per contract.
 */
import type { ContractSpace } from '../approval/context.ts'
import { parseMoney } from '../../domain/snapshot.ts'
import { stageCodeOf, type StageCode } from '../../domain/schema.ts'

export interface ContractRow {
  readonly id: number
  readonly title: string
  readonly number: string | null
  readonly companyId: number | null
  readonly authorId: number | null
  readonly amount: number | null
  readonly currency: string | null
  /** 0 before the first submission. */
  readonly round: number
  /** ISO date-time of the current step's deadline, or null when nobody is deciding. */
  readonly deadline: string | null
  /** Who holds the contract now: the current approvers. */
  readonly approverIds: readonly number[]
  readonly stageCode: StageCode | null
  /**
   * The row's own fields contradict each other the way a hand-edited stage does (issue 8): a
   * stage past "draft" with no approval round, or "on approval" with nobody holding it. A list
   * cannot read the timeline entries per row, so this is all it can tell; the card checks fully.
   */
  readonly inconsistent: boolean
}

/** What the row's fields alone say about a stage set outside the app. */
export function rowInconsistent(stageCode: StageCode | null, round: number, approverIds: readonly number[]): boolean {
  if (stageCode === null || stageCode === 'NEW') return false
  if (round === 0) return true
  return stageCode === 'APPROVAL' && approverIds.length === 0
}

/** The item fields a list row needs, in crm.item.* names. */
export function rowSelect(space: ContractSpace): string[] {
  const f = space.fields
  return ['id', 'title', 'stageId', 'assignedById', 'companyId', 'opportunity', 'currencyId', f.number, f.amount, f.round, f.deadline, f.approvers]
}

function text(v: unknown): string | null {
  if (typeof v === 'number') return String(v)
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
}

function positive(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isInteger(n) && n > 0 ? n : null
}

export function readRow(raw: Record<string, unknown>, space: ContractSpace): ContractRow {
  const f = space.fields
  const money = parseMoney(raw[f.amount])
  const opportunity = positive(raw.opportunity) ?? (typeof raw.opportunity === 'number' && raw.opportunity > 0 ? raw.opportunity : null)
  const approvers = Array.isArray(raw[f.approvers]) ? (raw[f.approvers] as unknown[]) : raw[f.approvers] ? [raw[f.approvers]] : []
  const round = positive(raw[f.round]) ?? 0
  const approverIds = approvers.map(positive).filter((x): x is number => x !== null)
  const stageCode = stageCodeOf(text(raw.stageId) ?? '') ?? null
  return {
    id: positive(raw.id) ?? 0,
    title: text(raw.title) ?? '',
    number: text(raw[f.number]),
    companyId: positive(raw.companyId),
    authorId: positive(raw.assignedById),
    amount: money?.amount ?? opportunity,
    currency: money?.currency ?? text(raw.currencyId),
    round,
    deadline: text(raw[f.deadline]),
    approverIds,
    stageCode,
    inconsistent: rowInconsistent(stageCode, round, approverIds),
  }
}

/**
 * Inbox order: what presses most first. Overdue rows come first because their deadline is the
 * earliest; a row without a deadline (should not happen to a current approver) goes last.
 */
export function byDeadline(a: ContractRow, b: ContractRow): number {
  const da = a.deadline ? Date.parse(a.deadline) : NaN
  const db = b.deadline ? Date.parse(b.deadline) : NaN
  const ka = Number.isFinite(da) ? da : Infinity
  const kb = Number.isFinite(db) ? db : Infinity
  return ka === kb ? a.id - b.id : ka < kb ? -1 : 1
}
