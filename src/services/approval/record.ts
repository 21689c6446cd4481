/**
 * A crm.item of the contracts smart process, read into what the approval flow needs: the header
 * fields, the stored log, and the snapshot a submission freezes.
 */
import type { CrmItem } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import { parseStored, EMPTY_STORED, type StoredLog } from './stored-log.ts'
import { makeSnapshot, parseMoney, type ContractSnapshot } from '../../domain/snapshot.ts'
import type { Version } from '../../domain/reapproval.ts'
import { stageCodeOf, type StageCode } from '../../domain/schema.ts'
import type { LogParseError } from '../../domain/log.ts'
import { utf8Bytes } from '../../domain/sha256.ts'
import type { BitrixPort } from '../../platform/port.ts'
import { attachArchive } from './stored-log.ts'
import { loadArchivedEvents, type ArchiveProblem } from './log-archive.ts'

/**
 * Why the log could not be read. `cutByPortal`: the field came back at the size where a real
 * portal cuts a TEXT column (65,535 bytes) and does not parse — the portal shortened it; not
 * an edit from outside the app.
 */
export type LogReadError = LogParseError | 'cutByPortal' | ArchiveProblem

/** A TEXT column holds 65,535 bytes; a value cut at a character boundary ends within 3 bytes of it. */
const CUT_AT_BYTES = 65_535 - 3

export interface ContractRecord {
  readonly id: number
  readonly title: string
  readonly number: string | null
  /** `YYYY-MM-DD` */
  readonly date: string | null
  readonly amount: number | null
  readonly currency: string | null
  readonly companyId: number | null
  /** Free text the routes' conditions match on. */
  readonly contractType: string | null
  readonly assignedById: number | null
  readonly createdBy: number | null
  readonly stageId: string
  readonly stageCode: StageCode | null
  readonly updatedTime: string | null
  readonly stored: StoredLog
  /** The log field could not be read: shown, never overwritten. */
  readonly logError: LogReadError | null
  /** The archive file of earlier rounds (`urlMachine` to download it), when the field has one. */
  readonly logArchiveUrl: string | null
  /** The raw item, for writes that must echo fields back (none today). */
  readonly item: CrmItem
}

function str(v: unknown): string | null {
  if (typeof v === 'number') return String(v)
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
}

function int(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isInteger(n) && n > 0 ? n : null
}

export function readContract(item: CrmItem, space: ContractSpace): ContractRecord {
  const f = space.fields
  const money = parseMoney(item[f.amount])
  const fallbackAmount = typeof item.opportunity === 'number' ? item.opportunity : Number(item.opportunity ?? NaN)
  const parsed = parseStored(item[f.approvalLog])
  const date = str(item[f.date])
  const stageId = str(item.stageId) ?? ''
  return {
    id: item.id,
    title: str(item.title) ?? '',
    number: str(item[f.number]),
    date: date ? date.slice(0, 10) : null,
    amount: money?.amount ?? (Number.isFinite(fallbackAmount) && fallbackAmount > 0 ? fallbackAmount : null),
    currency: money?.currency ?? str(item.currencyId),
    companyId: int(item.companyId),
    contractType: str(item[f.contractType]),
    assignedById: int(item.assignedById),
    createdBy: int(item.createdBy),
    stageId,
    stageCode: stageCodeOf(stageId) ?? null,
    updatedTime: str(item.updatedTime),
    stored: parsed.ok ? parsed.stored : EMPTY_STORED,
    logError: parsed.ok ? null : cutByPortal(item[f.approvalLog]) ? 'cutByPortal' : parsed.error,
    logArchiveUrl: fileUrl(item[f.logArchive]),
    item,
  }
}

function cutByPortal(raw: unknown): boolean {
  return typeof raw === 'string' && utf8Bytes(raw).length >= CUT_AT_BYTES
}

function fileUrl(v: unknown): string | null {
  const file = (Array.isArray(v) ? v[0] : v) as { urlMachine?: unknown } | null | undefined
  return file && typeof file.urlMachine === 'string' ? file.urlMachine : null
}

/**
 * The contract with its whole history: when earlier rounds live in the archive file, it is
 * downloaded (once per file and page) and checked against the log's reference. Contracts
 * without an archive cost nothing.
 */
export async function withLogArchive(port: BitrixPort, record: ContractRecord): Promise<ContractRecord> {
  const ref = record.stored.archive
  if (!ref || record.logError) return record
  const loaded = await loadArchivedEvents(port, record.logArchiveUrl, ref)
  if (!loaded.ok) return { ...record, logError: loaded.problem }
  const stored = attachArchive(record.stored, loaded.events)
  return stored ? { ...record, stored } : { ...record, logError: 'archiveMismatch' }
}

/** What a submission freezes: the fields an approver compares between rounds. */
export function snapshotOf(c: ContractRecord): ContractSnapshot {
  return makeSnapshot({
    title: c.title,
    number: c.number,
    date: c.date,
    amount: c.amount,
    currency: c.currency,
    companyId: c.companyId,
    contractType: c.contractType,
    begindate: str(c.item.begindate)?.slice(0, 10) ?? null,
    closedate: str(c.item.closedate)?.slice(0, 10) ?? null,
  })
}

/** The version an approver reviews: the snapshot and the newest document. */
export function versionOf(c: ContractRecord, space: ContractSpace): Version {
  return { snapshot: snapshotOf(c), documentId: latestDocumentId(c, space) }
}

/** Id of the newest document version (the file field keeps one per round). */
export function latestDocumentId(c: ContractRecord, space: ContractSpace): number | null {
  const files = c.item[space.fields.documents]
  if (!Array.isArray(files)) return null
  const ids = files.map((f) => int((f as { id?: unknown })?.id)).filter((x): x is number => x !== null)
  return ids.length ? Math.max(...ids) : null
}
