/**
 * The contract's fields as they stood at a submission, and what changed between two rounds.
 * Snapshots are stored inside the approval log, so they hold only what an approver compares
 * (and what route conditions read), never the document body.
 */

export interface ContractSnapshot {
  readonly title: string
  readonly number: string | null
  /** Contract date, `YYYY-MM-DD`. */
  readonly date: string | null
  readonly amount: number | null
  readonly currency: string | null
  /** Counterparty: the linked CRM company. */
  readonly companyId: number | null
  /** Free-form contract type the routes' conditions match on (e.g. "supply", "lease"). */
  readonly contractType: string | null
  readonly begindate: string | null
  readonly closedate: string | null
}

export type SnapshotField = keyof ContractSnapshot

/** Order in which differences are listed (the order of the contract form). */
export const SNAPSHOT_FIELDS: readonly SnapshotField[] = [
  'title',
  'number',
  'date',
  'amount',
  'currency',
  'companyId',
  'contractType',
  'begindate',
  'closedate',
]

export type SnapshotValue = string | number | null

export interface SnapshotChange {
  /** A snapshot field, or `document` when a new document version was attached. */
  readonly field: SnapshotField | 'document'
  readonly before: SnapshotValue
  readonly after: SnapshotValue
}

/** A snapshot with every field present, from a partial one (absent fields become null). */
export function makeSnapshot(fields: Partial<ContractSnapshot> & { title: string }): ContractSnapshot {
  return {
    title: fields.title,
    number: fields.number ?? null,
    date: fields.date ?? null,
    amount: fields.amount ?? null,
    currency: fields.currency ?? null,
    companyId: fields.companyId ?? null,
    contractType: fields.contractType ?? null,
    begindate: fields.begindate ?? null,
    closedate: fields.closedate ?? null,
  }
}

/**
 * Fields that differ between two rounds' snapshots, in form order. `prevDocumentId` /
 * `nextDocumentId` add a `document` change when the author attached a new version.
 *
 * @example diffSnapshots(a, { ...a, amount: 1_200_000 }) // [{ field: 'amount', before: 900000, after: 1200000 }]
 */
export function diffSnapshots(
  prev: ContractSnapshot | null,
  next: ContractSnapshot,
  documents?: { prev: number | null; next: number | null },
): SnapshotChange[] {
  const changes: SnapshotChange[] = []
  for (const field of SNAPSHOT_FIELDS) {
    const before = prev ? prev[field] : null
    const after = next[field]
    if (before !== after) changes.push({ field, before, after })
  }
  if (documents && documents.prev !== documents.next) {
    changes.push({ field: 'document', before: documents.prev, after: documents.next })
  }
  return changes
}

/**
 * Bitrix24 keeps a money field as `"1500000.50|RUB"`; the amount alone is a number.
 *
 * @example parseMoney('1500000|RUB') // { amount: 1500000, currency: 'RUB' }
 */
export function parseMoney(value: unknown): { amount: number; currency: string | null } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? { amount: value, currency: null } : null
  if (typeof value !== 'string' || value.trim() === '') return null
  const [rawAmount = '', rawCurrency] = value.split('|')
  const amount = Number(rawAmount.trim())
  if (!Number.isFinite(amount)) return null
  const currency = rawCurrency?.trim() ? rawCurrency.trim() : null
  return { amount, currency }
}

/** The inverse of parseMoney. */
export function formatMoney(amount: number, currency: string): string {
  return `${amount}|${currency}`
}
