/** The receipt form's rules (pure), so the dialog and its tests share them with the domain's limits. */
import { COMMENT_MAX_LENGTH, STORAGE_LOCATION_MAX_LENGTH } from '../../domain/refusal.ts'

export { COMMENT_MAX_LENGTH, STORAGE_LOCATION_MAX_LENGTH }

export interface ReceiptDraft {
  receivedAt: string
  storageLocation: string
  comment: string
}

export type ReceiptIssue = 'dateRequired' | 'dateFuture' | 'storageRequired' | 'storageTooLong' | 'commentTooLong'

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

export function receiptIssues(d: ReceiptDraft, today: string = localToday()): ReceiptIssues {
  const out: ReceiptIssues = {}
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.receivedAt) || Number.isNaN(Date.parse(d.receivedAt))) out.receivedAt = 'dateRequired'
  // ISO dates compare as text.
  else if (d.receivedAt > today) out.receivedAt = 'dateFuture'
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
