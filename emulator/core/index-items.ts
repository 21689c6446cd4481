/**
 * Equality indexes over a store of rows (CRM items), so a list filtered on what the app filters
 * on — stage, current approvers (a multiple user field), author / assigned, counterparty — reads
 * only the rows that can match instead of every row of a 100 000-item portal.
 *
 * The index only narrows: every candidate still goes through the full compiled filter (and the
 * caller's rights check), so results are exactly those of a full scan. To stay exact, a bucket
 * key follows `listing.ts#compare` — numbers by value, ISO dates by instant, other text by
 * collation — and any value whose collation equality is not plain string identity (non-ASCII or
 * control characters) lands in a bucket every lookup includes (`loose`).
 *
 * An index is built lazily per (store, field) and dropped when the store's generation moves:
 * every write to the portal ends in `ctx.save()`, which `generationOf` counts.
 */
import { filterField, resolveKey, type Row } from './listing.ts'

/** Fields worth an index: equality filters the app (and Bitrix24 UIs) put on large lists. */
const INDEXABLE = /^(id|stageId|categoryId|assignedById|createdBy|updatedBy|movedBy|companyId|contactId|mycompanyId|sourceId|opened|ufCrm\w+|UF_CRM_\w+)$/

interface FieldIndex {
  buckets: Map<string, Row[]>
  /** Rows whose value could equal a key only under collation rules: always candidates. */
  loose: Row[]
}

interface StoreIndex {
  generation: number
  size: number
  /** Store order (what a full scan sees): row → position. */
  order: Map<Row, number>
  fields: Map<string, FieldIndex>
}

interface Generation {
  n: number
}

const generations = new WeakMap<object, Generation>()
const indexes = new WeakMap<object, StoreIndex>()

/**
 * The write counter of a context: wraps its `save` once (every REST write calls it). Contexts
 * without `save` never invalidate by themselves (tests building stores by hand pass none).
 */
export function generationOf(ctx: object): Generation {
  let g = generations.get(ctx)
  if (g) return g
  const gen: Generation = { n: 0 }
  g = gen
  generations.set(ctx, gen)
  const holder = ctx as { save?: () => void }
  const save = holder.save
  if (typeof save === 'function') {
    holder.save = function (this: unknown) {
      gen.n++
      save.call(this)
    }
  }
  return gen
}

const PLAIN = /^[\x20-\x7e]*$/

function scalar(v: unknown): string | number | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return v ? 'Y' : 'N'
  if (typeof v === 'number') return v
  if (typeof v === 'string') return v
  if (typeof v === 'object' && 'id' in v) return scalar((v as { id: unknown }).id)
  return JSON.stringify(v)
}

/**
 * The bucket of one scalar, or null when equality with it is not decidable by key (then the row
 * is `loose`, or the filter value is not indexable). Mirrors listing.ts: `eq` treats null and ''
 * alike; `compare` tries numbers, then ISO dates, then collation.
 */
export function bucketKey(v: string | number | null): string | null {
  if (v === null || v === '') return 'null'
  const n = typeof v === 'number' ? v : Number(v)
  if (Number.isFinite(n)) return `n:${n}`
  if (typeof v === 'number') return null // NaN / Infinity: compare falls through to text
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const d = Date.parse(v)
    if (Number.isFinite(d)) return `d:${d}`
  }
  return PLAIN.test(v) ? `s:${v}` : null
}

function rowValues(row: Row, name: string): (string | number | null)[] {
  const k = resolveKey(row, name)
  const v = k === undefined ? null : row[k]
  return Array.isArray(v) ? v.map(scalar) : [scalar(v)]
}

function storeIndex(store: Record<string, Row>, generation: number): StoreIndex {
  const known = indexes.get(store)
  // The size check also catches rows added or removed without a save (seeding in process).
  const size = Object.keys(store).length
  if (known && known.generation === generation && known.size === size) return known
  const order = new Map<Row, number>()
  let i = 0
  for (const row of Object.values(store)) order.set(row, i++)
  const fresh: StoreIndex = { generation, size, order, fields: new Map() }
  indexes.set(store, fresh)
  return fresh
}

function fieldIndex(idx: StoreIndex, name: string): FieldIndex {
  const known = idx.fields.get(name)
  if (known) return known
  const buckets = new Map<string, Row[]>()
  const loose: Row[] = []
  for (const row of idx.order.keys()) {
    const values = rowValues(row, name)
    // An empty multiple field matches like null (values() of [] is empty: no bucket at all).
    let isLoose = false
    const keys = new Set<string>()
    for (const v of values) {
      const key = bucketKey(v)
      if (key === null) isLoose = true
      else keys.add(key)
    }
    if (isLoose) loose.push(row)
    for (const key of keys) {
      const list = buckets.get(key)
      if (list) list.push(row)
      else buckets.set(key, [row])
    }
  }
  const made = { buckets, loose }
  idx.fields.set(name, made)
  return made
}

/** The bucket keys an equality condition asks for, or null when it cannot use an index. */
function wantedKeys(key: string, value: unknown): string[] | null {
  const m = /^(=|@)?(.+)$/s.exec(key)
  // Only plain equality and `@` (in): other prefixes (`!`, `>`, `%`…) are not exact lookups.
  if (!m || /^[!<>%]/.test(key)) return null
  const want = Array.isArray(value) ? value.map(scalar) : [scalar(value)]
  const keys: string[] = []
  for (const w of want) {
    const k = bucketKey(w)
    if (k === null) return null
    keys.push(k)
  }
  return keys
}

/**
 * The rows a filter can match, in store order, or null when no top-level condition can use an
 * index (the caller scans every row). The caller still applies the full filter to each row.
 */
export function candidateRows<T extends Row>(ctx: object, store: Record<string, T>, filter: unknown, alias: (name: string) => string = (n) => n): T[] | null {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return null
  const obj = filter as Record<string, unknown>
  const logic = String(obj.logic ?? obj.LOGIC ?? 'AND').toUpperCase()
  if (logic !== 'AND') return null
  let best: T[] | null = null
  let idx: StoreIndex | null = null
  for (const [key, value] of Object.entries(obj)) {
    const field = filterField(key, value)
    if (field === null) continue
    const name = alias(field)
    if (!INDEXABLE.test(name)) continue
    const wanted = wantedKeys(key, value)
    if (wanted === null) continue
    idx ??= storeIndex(store as Record<string, Row>, generationOf(ctx).n)
    const fi = fieldIndex(idx, name)
    // A wanted null ('' or null) also matches rows whose multiple field is empty ([]): a full
    // scan sees no values there, and test('=') of [] is false — so no extra rows are needed.
    const lists = [...new Set(wanted)].map((k) => (fi.buckets.get(k) ?? []) as T[])
    lists.push(fi.loose as T[])
    const total = lists.reduce((a, l) => a + l.length, 0)
    if (best !== null && total >= best.length) continue
    if (lists.filter((l) => l.length > 0).length <= 1) {
      best = lists.find((l) => l.length > 0) ?? []
    } else {
      const order = idx.order
      best = [...new Set(lists.flat())].sort((a, b) => (order.get(a as Row) ?? 0) - (order.get(b as Row) ?? 0))
    }
  }
  return best
}
