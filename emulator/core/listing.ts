/**
 * The one filter / order / select / paging implementation every list method uses, with
 * Bitrix24's filter prefixes: `=`, `!`/`!=`, `>`, `>=`, `<`, `<=`, `@` (in), `!@` (not in),
 * `%` (contains, case-insensitive), `!%`, and nested `logic: 'OR'|'AND'` groups whose numeric
 * keys hold sub-filters.
 */
import { invalidArg } from './errors.ts'
import { likeMatch } from './like.ts'

export type Row = Record<string, unknown>
export const PAGE_SIZE = 50

type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '@' | '!@' | '%' | '!%' | 'like' | '!like'

const PREFIX = /^(!=%|!%=|>=|<=|!=|!@|!%|=%|%=|>|<|=|!|@|%)?(.+)$/s

/** Nested `logic` groups deeper than this are refused with INVALID_ARG_VALUE (never a stack overflow). */
export const MAX_FILTER_DEPTH = 32

/** The field a filter key names, without its operator prefix; null for `logic` and group keys. */
export function filterField(key: string, value: unknown): string | null {
  if (key === 'logic' || key === 'LOGIC') return null
  if (/^\d+$/.test(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) return null
  return PREFIX.exec(key)?.[2] ?? null
}

/** Finds a record's key: exact, else case-insensitive (user.get takes `id` or `ID`). */
export function resolveKey(row: Row, name: string): string | undefined {
  if (name in row) return name
  const lower = name.toLowerCase()
  return Object.keys(row).find((k) => k.toLowerCase() === lower)
}

function scalar(v: unknown): string | number | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return v ? 'Y' : 'N'
  if (typeof v === 'number') return v
  if (typeof v === 'string') return v
  if (typeof v === 'object' && v !== null && 'id' in v) return scalar((v as { id: unknown }).id)
  return JSON.stringify(v)
}

function asNumber(v: string | number | null): number | null {
  if (v === null || v === '') return null
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? n : null
}

/** Compares like Bitrix24's SQL would: numbers numerically, ISO dates by instant, else text. */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  const na = asNumber(a)
  const nb = asNumber(b)
  if (na !== null && nb !== null) return na - nb
  const da = typeof a === 'string' && /^\d{4}-\d{2}-\d{2}/.test(a) ? Date.parse(a) : NaN
  const db = typeof b === 'string' && /^\d{4}-\d{2}-\d{2}/.test(b) ? Date.parse(b) : NaN
  if (Number.isFinite(da) && Number.isFinite(db)) return da - db
  return String(a).localeCompare(String(b), 'ru')
}

function eq(a: string | number | null, b: string | number | null): boolean {
  if ((a === null || a === '') && (b === null || b === '')) return true
  return compare(a, b) === 0
}

function values(v: unknown): (string | number | null)[] {
  return Array.isArray(v) ? v.map(scalar) : [scalar(v)]
}

function test(op: Op, fieldValue: unknown, filterValue: unknown): boolean {
  const have = values(fieldValue)
  const want = Array.isArray(filterValue) ? filterValue.map(scalar) : [scalar(filterValue)]
  switch (op) {
    case '=':
    case '@':
      return have.some((h) => want.some((w) => eq(h, w)))
    case '!=':
    case '!@':
      return !have.some((h) => want.some((w) => eq(h, w)))
    case '%':
      return have.some((h) => want.some((w) => h !== null && String(h).toLowerCase().includes(String(w ?? '').toLowerCase())))
    case '!%':
      return !test('%', fieldValue, filterValue)
    case 'like':
      return have.some((h) => want.some((w) => h !== null && likeMatch(String(h), String(w ?? ''))))
    case '!like':
      return !test('like', fieldValue, filterValue)
    default: {
      const w = want[0] ?? null
      return have.some((h) => {
        if (h === null || w === null) return false
        const c = compare(h, w)
        return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0
      })
    }
  }
}

export type Predicate = (row: Row) => boolean

/** Compiles a filter object (or array of them) into a predicate. */
export function compileFilter(filter: unknown, fieldAlias: (name: string) => string = (n) => n, depth = 0): Predicate {
  if (depth > MAX_FILTER_DEPTH) throw invalidArg(`filter is nested deeper than ${MAX_FILTER_DEPTH} levels`)
  if (filter === null || filter === undefined || filter === '') return () => true
  if (Array.isArray(filter)) {
    const parts = filter.map((f) => compileFilter(f, fieldAlias, depth + 1))
    return (row) => parts.every((p) => p(row))
  }
  if (typeof filter !== 'object') throw invalidArg('filter must be an object')
  const obj = filter as Record<string, unknown>
  const logic = String(obj.logic ?? obj.LOGIC ?? 'AND').toUpperCase()
  const parts: Predicate[] = []
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'logic' || key === 'LOGIC') continue
    if (/^\d+$/.test(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      parts.push(compileFilter(value, fieldAlias, depth + 1))
      continue
    }
    const m = PREFIX.exec(key)
    if (!m) continue
    const rawOp = m[1] ?? '='
    const op: Op = rawOp === '!' ? '!=' : rawOp === '=%' || rawOp === '%=' ? 'like' : rawOp === '!=%' || rawOp === '!%=' ? '!like' : (rawOp as Op)
    const name = fieldAlias(m[2] as string)
    parts.push((row) => {
      const k = resolveKey(row, name)
      return test(op, k === undefined ? null : row[k], value)
    })
  }
  return logic === 'OR' ? (row) => parts.length === 0 || parts.some((p) => p(row)) : (row) => parts.every((p) => p(row))
}

/** A sort key computed once per row: what `compare` would derive from the value on every call. */
interface SortKey {
  v: string | number | null
  n: number | null
  d: number
}

function sortKey(raw: unknown): SortKey {
  const v = scalar(raw)
  if (v === null) return { v, n: null, d: NaN }
  return { v, n: asNumber(v), d: typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN }
}

// The same collation as `localeCompare(…, 'ru')`, without building it on every comparison.
const collator = new Intl.Collator('ru')

/** `compare` over precomputed keys: the same order, decided the same way. */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a.v === null || b.v === null) return a.v === b.v ? 0 : a.v === null ? -1 : 1
  if (a.n !== null && b.n !== null) return a.n - b.n
  if (Number.isFinite(a.d) && Number.isFinite(b.d)) return a.d - b.d
  return collator.compare(String(a.v), String(b.v))
}

/**
 * Sorts by `{field: 'ASC'|'DESC'}` (stable; ties keep store order, i.e. by id). Each row's keys
 * are computed once (a 100 000-row sort compares ~1.7 million times).
 */
export function sortRows<T extends Row>(rows: T[], order: unknown, fieldAlias: (name: string) => string = (n) => n): T[] {
  if (!order || typeof order !== 'object') return rows
  const keys = Object.entries(order as Record<string, unknown>).map(([f, dir]) => ({
    name: fieldAlias(f),
    sign: String(dir).toUpperCase() === 'DESC' ? -1 : 1,
  }))
  if (keys.length === 0) return rows
  return rows
    .map((row, i) => ({
      row,
      i,
      k: keys.map(({ name }) => {
        const key = resolveKey(row, name)
        return sortKey(key ? row[key] : null)
      }),
    }))
    .sort((a, b) => {
      for (let j = 0; j < keys.length; j++) {
        const c = compareKeys(a.k[j] as SortKey, b.k[j] as SortKey)
        if (c !== 0) return c * (keys[j] as { sign: number }).sign
      }
      return a.i - b.i
    })
    .map((x) => x.row)
}

/**
 * Applies `select`: missing/empty or `*` = every non-user field (plus user fields when
 * `ufByDefault`), `uf_*`/`UF_*` = every user field, other names pick fields case-insensitively.
 */
export function applySelect(row: Row, select: unknown, isUf: (key: string) => boolean, ufByDefault: boolean, always: string[] = []): Row {
  const list = Array.isArray(select) ? select.map(String) : select && typeof select === 'object' ? Object.values(select).map(String) : []
  if (list.length === 0) {
    if (ufByDefault) return row
    return Object.fromEntries(Object.entries(row).filter(([k]) => !isUf(k)))
  }
  const out: Row = {}
  const star = list.includes('*')
  const ufStar = list.some((s) => s.toLowerCase() === 'uf_*')
  for (const [k, v] of Object.entries(row)) {
    const uf = isUf(k)
    if ((star && (!uf || ufByDefault)) || (ufStar && uf) || always.includes(k)) out[k] = v
  }
  for (const name of list) {
    const k = resolveKey(row, name)
    if (k !== undefined) out[k] = row[k]
  }
  return out
}

export interface Page<T> {
  items: T[]
  total?: number
  next?: number
}

/** Slices a page: `start` offset, page size 50; `start: -1` skips counting (no total/next). */
export function paginate<T>(rows: T[], startParam: unknown, pageSize = PAGE_SIZE): Page<T> {
  const raw = Number(startParam ?? 0)
  if (raw === -1) return { items: rows.slice(0, pageSize) }
  const start = Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : 0
  const items = rows.slice(start, start + pageSize)
  const page: Page<T> = { items, total: rows.length }
  if (start + pageSize < rows.length) page.next = start + pageSize
  return page
}

/** Filter + order + page in one go, for methods with no special needs. */
export function listRows<T extends Row>(rows: T[], params: { filter?: unknown; order?: unknown; start?: unknown }, opts: { pageSize?: number; alias?: (n: string) => string } = {}): Page<T> {
  const pred = compileFilter(params.filter, opts.alias)
  const filtered = rows.filter(pred)
  return paginate(sortRows(filtered, params.order, opts.alias), params.start, opts.pageSize)
}
