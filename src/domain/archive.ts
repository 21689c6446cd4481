/**
 * The archive's pure rules: who records the receipt of paper originals (the archivists the
 * administrator names), which receipt dates hold, the archivist's own list of storage places,
 * the archive browser's query and its round trip through a page address, the CSV of a search,
 * and what a cover sheet's QR code carries. No SDK, no Vue.
 */

import { APP_OPTION_KEYS } from './schema'

/** App option (readable by all, written by admins): `{ v: 1, userIds }`. */
export const ARCHIVISTS_OPTION = APP_OPTION_KEYS.archivists
/** User option of each archivist: the storage places she keeps, most recent first. */
export const PLACES_OPTION = 'ca_storage_places'
/** User option: the archive browser's last query (restored on reload when the address has none). */
export const QUERY_OPTION = 'ca_archive_query'
/**
 * User option: where the workspace opens — `archive` once an archivist has landed on
 * «Оригиналы и архив». The frame brings the user's options with the page, so a returning
 * archivist's first screen is the archive's one batch, with no inbox batch before it.
 */
export const LANDING_OPTION = 'ca_landing'

export type Landing = 'inbox' | 'archive'

/**
 * The workspace's first tab before any request: the archive for a link that carries an
 * archive query, or for a user whose saved landing is the archive; else the inbox (an archivist
 * is told apart only once the first batch names the user).
 */
export function landingOf(saved: unknown, linkHasArchiveQuery: boolean): Landing {
  return linkHasArchiveQuery || saved === 'archive' ? 'archive' : 'inbox'
}

export interface Archivists {
  readonly userIds: readonly number[]
}

export const NO_ARCHIVISTS: Archivists = { userIds: [] }

export function parseArchivists(raw: unknown): Archivists {
  let v: unknown = raw
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      return NO_ARCHIVISTS
    }
  }
  const ids = (v as { userIds?: unknown } | null)?.userIds
  if (!Array.isArray(ids)) return NO_ARCHIVISTS
  return { userIds: [...new Set(ids.map(Number).filter((n) => Number.isInteger(n) && n > 0))] }
}

export function serializeArchivists(a: Archivists): string {
  return JSON.stringify({ v: 1, userIds: [...new Set(a.userIds)] })
}

/**
 * Who may record a receipt (and so file the contract): a named archivist. Until the
 * administrator names anyone, administrators may, so a new portal is not stuck.
 */
export function mayRecordReceipt(isAdmin: boolean, userId: number | null, a: Archivists): boolean {
  if (userId === null) return false
  return a.userIds.length === 0 ? isAdmin : a.userIds.includes(userId)
}

export function isArchivist(userId: number | null, a: Archivists): boolean {
  return userId !== null && a.userIds.includes(userId)
}

// --- receipt dates ---------------------------------------------------------------------------

export type ReceiptDateIssue = 'dateRequired' | 'dateFuture' | 'dateBeforeApproval'

const YMD = /^\d{4}-\d{2}-\d{2}$/

/**
 * A receipt date lies between the day the contract was approved and today (both included).
 * `approvedOn` null: the approval day is unknown, only the future is refused.
 */
export function receiptDateIssue(receivedAt: string, today: string, approvedOn: string | null): ReceiptDateIssue | null {
  if (!YMD.test(receivedAt) || Number.isNaN(Date.parse(receivedAt))) return 'dateRequired'
  // ISO days compare as text.
  if (receivedAt > today) return 'dateFuture'
  if (approvedOn && YMD.test(approvedOn) && receivedAt < approvedOn) return 'dateBeforeApproval'
  return null
}

// --- storage places --------------------------------------------------------------------------

export const MAX_PLACES = 30

export function parsePlaces(raw: unknown): string[] {
  let v: unknown = raw
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      return []
    }
  }
  const list = Array.isArray(v) ? v : (v as { places?: unknown } | null)?.places
  if (!Array.isArray(list)) return []
  return withPlace([], ...list.filter((p): p is string => typeof p === 'string').reverse())
}

/** The list with `places` in front (the latest first), no duplicates (case-insensitive), capped. */
export function withPlace(list: readonly string[], ...places: string[]): string[] {
  let out = [...list]
  for (const p of places) {
    const t = p.trim()
    if (!t) continue
    out = [t, ...out.filter((x) => x.toLocaleLowerCase() !== t.toLocaleLowerCase())]
  }
  return out.slice(0, MAX_PLACES)
}

export function withoutPlace(list: readonly string[], place: string): string[] {
  return list.filter((x) => x !== place)
}

export function serializePlaces(list: readonly string[]): string {
  return JSON.stringify({ v: 1, places: list })
}

// --- the archive browser's query -------------------------------------------------------------

export type ArchiveStage = 'SUCCESS' | 'ORIGINALS' | 'APPROVAL' | 'RETURNED' | 'NEW' | 'WITHDRAWN' | 'FAIL' | 'any'
export type OriginalsStatus = 'any' | 'received' | 'missing'
export type SortField = 'receivedAt' | 'date' | 'number' | 'title' | 'amount' | 'id'
export type SortDir = 'asc' | 'desc'

export const ARCHIVE_STAGES: readonly ArchiveStage[] = ['SUCCESS', 'ORIGINALS', 'APPROVAL', 'RETURNED', 'NEW', 'WITHDRAWN', 'FAIL', 'any']
export const SORT_FIELDS: readonly SortField[] = ['receivedAt', 'date', 'number', 'title', 'amount', 'id']

export interface ArchiveQuery {
  /** Contract number contains it. */
  readonly number: string
  /** Title contains it. */
  readonly text: string
  /** Counterparty's name contains it. */
  readonly counterparty: string
  readonly authorId: number | null
  /** Contract type contains it. */
  readonly contractType: string
  /** Contract date from / to, YYYY-MM-DD, both included. */
  readonly dateFrom: string
  readonly dateTo: string
  readonly amountMin: number | null
  readonly amountMax: number | null
  /** Default: archived (SUCCESS). */
  readonly stage: ArchiveStage
  readonly originals: OriginalsStatus
  readonly sort: SortField
  readonly dir: SortDir
}

export const DEFAULT_QUERY: ArchiveQuery = {
  number: '', text: '', counterparty: '', authorId: null, contractType: '', dateFrom: '', dateTo: '',
  amountMin: null, amountMax: null, stage: 'SUCCESS', originals: 'any', sort: 'receivedAt', dir: 'desc',
}

/** Anything narrowing the list beyond the default (sorting does not). */
export function isNarrowed(q: ArchiveQuery): boolean {
  return q.number.trim() !== '' || q.text.trim() !== '' || q.counterparty.trim() !== '' || q.authorId !== null ||
    q.contractType.trim() !== '' || q.dateFrom !== '' || q.dateTo !== '' || q.amountMin !== null || q.amountMax !== null ||
    q.stage !== DEFAULT_QUERY.stage || q.originals !== 'any'
}

const PARAMS: Record<keyof ArchiveQuery, string> = {
  number: 'n', text: 'q', counterparty: 'co', authorId: 'au', contractType: 'ty', dateFrom: 'df', dateTo: 'dt',
  amountMin: 'a1', amountMax: 'a2', stage: 'st', originals: 'or', sort: 's', dir: 'd',
}
/** A prefix of the page address's own keys, so the app's parameters never clash with others. */
const PREFIX = 'ca_'

function amount(v: string | null): number | null {
  if (v === null || v.trim() === '') return null
  const n = Number(v.replace(',', '.').replace(/\s/g, ''))
  return Number.isFinite(n) && n >= 0 ? n : null
}

/** The non-default parts of a query as `ca_*` page-address parameters. */
export function queryToParams(q: ArchiveQuery): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(PARAMS) as (keyof ArchiveQuery)[]) {
    const v = q[key]
    if (v === DEFAULT_QUERY[key] || v === null || (typeof v === 'string' && v.trim() === '')) continue
    out[PREFIX + PARAMS[key]] = typeof v === 'string' ? v.trim() : String(v)
  }
  return out
}

/** Reads a query back from page-address parameters; anything unknown or malformed is the default. */
export function queryFromParams(get: (name: string) => string | null): ArchiveQuery {
  const s = (key: keyof ArchiveQuery, max = 200) => (get(PREFIX + PARAMS[key]) ?? '').slice(0, max)
  const day = (key: keyof ArchiveQuery) => (YMD.test(s(key)) ? s(key) : '')
  const author = Number(s('authorId'))
  const stage = s('stage') as ArchiveStage
  const originals = s('originals') as OriginalsStatus
  const sort = s('sort') as SortField
  return {
    number: s('number'), text: s('text'), counterparty: s('counterparty'),
    authorId: Number.isInteger(author) && author > 0 ? author : null,
    contractType: s('contractType'), dateFrom: day('dateFrom'), dateTo: day('dateTo'),
    amountMin: amount(get(PREFIX + PARAMS.amountMin)), amountMax: amount(get(PREFIX + PARAMS.amountMax)),
    stage: ARCHIVE_STAGES.includes(stage) ? stage : DEFAULT_QUERY.stage,
    originals: originals === 'received' || originals === 'missing' ? originals : 'any',
    sort: SORT_FIELDS.includes(sort) ? sort : DEFAULT_QUERY.sort,
    dir: s('dir') === 'asc' ? 'asc' : s('dir') === 'desc' ? 'desc' : DEFAULT_QUERY.dir,
  }
}

/** True when page-address parameters carry any part of a query. */
export function hasQueryParams(get: (name: string) => string | null): boolean {
  return Object.values(PARAMS).some((p) => get(PREFIX + p) !== null)
}

/** Years from the oldest to the newest contract date the data holds (newest first). */
export function yearsBetween(oldest: string | null, newest: string | null): number[] {
  const a = oldest ? Number(oldest.slice(0, 4)) : NaN
  const b = newest ? Number(newest.slice(0, 4)) : NaN
  if (!Number.isInteger(a) || !Number.isInteger(b) || a > b || b - a > 200) return Number.isInteger(b) ? [b] : Number.isInteger(a) ? [a] : []
  return Array.from({ length: b - a + 1 }, (_, i) => b - i)
}

// --- CSV: one encoder for every export (csv.ts) ---------------------------------------------

export { CSV_BOM, CSV_SEPARATOR, csvCell, csvLine } from './csv.ts'

// --- cover sheet -----------------------------------------------------------------------------

/** What the cover sheet's QR code says: `CA:{id}:{number}` — the id finds it, the number is for people. */
export function coverCode(id: number, number: string | null): string {
  return `CA:${id}:${(number ?? '').replace(/[\r\n]/g, ' ').slice(0, 60)}`
}

/**
 * The contract id a scan names: the cover sheet's code, or a bare id a person types.
 * A scanner may add spaces or change the letter case of the prefix; anything else is null.
 */
export function scannedId(text: string): number | null {
  const t = text.trim()
  // A scanner types key by key: under the Russian keyboard layout `CA:` arrives as `СФЖ`.
  const m = /^ca:(\d{1,10})(?::|$)/i.exec(t) ?? /^сфж(\d{1,10})(?:ж|$)/i.exec(t) ?? /^(\d{1,10})$/.exec(t)
  const id = m ? Number(m[1]) : NaN
  return Number.isInteger(id) && id > 0 ? id : null
}
