/** The receipt form's rules (pure), so the dialog and its tests share them with the domain's limits. */
import { COMMENT_MAX_LENGTH, STORAGE_LOCATION_MAX_LENGTH } from '../../domain/refusal.ts'
import { receiptDateIssue } from '../../domain/archive.ts'

export { COMMENT_MAX_LENGTH, STORAGE_LOCATION_MAX_LENGTH }

export interface ReceiptDraft {
  receivedAt: string
  storageLocation: string
  comment: string
}

export type ReceiptIssue = 'dateRequired' | 'dateFuture' | 'dateBeforeApproval' | 'storageRequired' | 'storageTooLong' | 'commentTooLong'

export interface ReceiptIssues {
  receivedAt?: ReceiptIssue
  storageLocation?: ReceiptIssue
  comment?: ReceiptIssue
}

/** Today as the user's calendar sees it (YYYY-MM-DD), not UTC's. */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}

/** `approvedOn`: the day the contract was approved; a receipt cannot be older than it. */
export function receiptIssues(d: ReceiptDraft, today: string = localToday(), approvedOn: string | null = null): ReceiptIssues {
  const out: ReceiptIssues = {}
  const dateIssue = receiptDateIssue(d.receivedAt, today, approvedOn)
  if (dateIssue) out.receivedAt = dateIssue
  const where = d.storageLocation.trim()
  if (where === '') out.storageLocation = 'storageRequired'
  else if (where.length > STORAGE_LOCATION_MAX_LENGTH) out.storageLocation = 'storageTooLong'
  if (d.comment.trim().length > COMMENT_MAX_LENGTH) out.comment = 'commentTooLong'
  return out
}

/** Whole days between an ISO instant and now (0 the same day). */
export function daysSince(iso: string | null, now: number = Date.now()): number | null {
  const t = iso ? Date.parse(iso) : NaN
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / 86_400_000)) : null
}
