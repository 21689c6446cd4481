/**
 * The application's data storages, `entity.*` (b24restdocs `api-reference/entity/`): entity.add,
 * entity.get, entity.rights, and entity.item.add / get / update / delete.
 *
 * - Only in an application's context (`ACCESS_DENIED` «Access denied! Application context
 *   required» otherwise): a webhook has no `clientId`.
 * - `ENTITY`: `a-z A-Z 0-9 _`, other characters are cleared; at most `50 - strlen("APP_<clientId>_")`
 *   characters (entity/index.md#entity-id).
 * - Rights (entity/index.md#access-levels): `{code: level}` with codes `U<id>`, `G<id>`, `AU`
 *   (every authorized user) and levels `R` (read items), `W` (also create, change and delete
 *   items), `X` (also manage the storage and its rights); other levels are not added. Whoever
 *   creates a storage or changes its rights is granted `X` (`U<id>`). The docs give portal
 *   administrators no level of their own, so neither does the emulator; `G<id>`: the emulator
 *   keeps no user groups except `G2` («All visitors», access-name.md), which every user is in.
 * - Items: the caller cannot pass `CREATED_BY`, `MODIFIED_BY`, `DATE_CREATE` or `TIMESTAMP_X`
 *   (they are not among the documented parameters of entity.item.add / update); the portal
 *   writes them from the caller, as an information block does.
 */
import type { Call, MethodTable } from '../../core/context.ts'
import type { AppEntity, AppEntityItem, PortalData } from '../../core/db.ts'
import { nextId } from '../../core/db.ts'
import { RestError } from '../../core/errors.ts'
import { compileFilter, paginate, sortRows, type Row } from '../../core/listing.ts'
import { isoDateTime, isoPortal } from '../../core/time.ts'

type Level = 'R' | 'W' | 'X'
const RANK: Record<Level, number> = { R: 1, W: 2, X: 3 }

/** ERROR_ARGUMENT carries the argument it is about, as the docs' examples show. */
class ArgumentError extends RestError {
  constructor(description: string, readonly argument: string) {
    super('ERROR_ARGUMENT', description, 400)
  }

  override toJSON(): { error: string; error_description: string; argument: string } {
    return { error: this.code, error_description: this.description, argument: this.argument }
  }
}

const entityNotFound = (): RestError => new RestError('ERROR_ENTITY_NOT_FOUND', 'Entity not found', 400)
const itemNotFound = (): RestError => new RestError('ERROR_ITEM_NOT_FOUND', 'Item not found', 400)
const denied = (): RestError => new RestError('ACCESS_DENIED', 'Access denied!', 400)

function storages(db: PortalData): Record<string, AppEntity> {
  return (db.entities ??= {})
}

function requireAppContext(call: Call): void {
  if (call.auth === 'webhook') throw new RestError('ACCESS_DENIED', 'Access denied! Application context required', 400)
}

/** The cleared ENTITY code, checked; `required: false` lets entity.get go without one. */
function entityCode(call: Call, required = true): string | null {
  const raw = call.params.ENTITY ?? call.params.entity
  if (raw === undefined && !required) return null
  const code = String(raw ?? '').replace(/[^a-zA-Z0-9_]/g, '')
  if (!code) throw new ArgumentError("Argument 'ENTITY' is null or empty", 'ENTITY')
  const max = 50 - `APP_${call.ctx.db.app.clientId}_`.length
  if (code.length > max) throw new ArgumentError(`Entity code is too long. Max length is ${max} characters.`, '')
  return code
}

function findEntity(call: Call): AppEntity {
  const code = entityCode(call) as string
  const e = storages(call.ctx.db)[code]
  if (!e) throw entityNotFound()
  return e
}

/** The caller's level on a storage: the highest of the codes that name them. */
export function levelOf(call: Call, e: AppEntity): number {
  const codes = new Set([`U${call.user.ID}`, 'AU', 'G2'])
  let best = 0
  for (const [code, level] of Object.entries(e.access)) if (codes.has(code)) best = Math.max(best, RANK[level] ?? 0)
  return best
}

/** Only `R`, `W`, `X` entries are kept; the caller is granted `X`. */
function accessOf(call: Call, raw: unknown): Record<string, Level> {
  const out: Record<string, Level> = {}
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [code, level] of Object.entries(raw as Record<string, unknown>)) {
      const l = String(level).toUpperCase()
      if (l === 'R' || l === 'W' || l === 'X') out[code] = l
    }
  }
  out[`U${call.user.ID}`] = 'X'
  return out
}

function entityOut(e: AppEntity): Record<string, unknown> {
  return { ID: String(e.id), IBLOCK_TYPE_ID: 'rest_entity', ENTITY: e.entity, NAME: e.name }
}

function itemOut(e: AppEntity, i: AppEntityItem): Row {
  const out: Row = {
    ID: String(i.id), TIMESTAMP_X: i.timestampX, MODIFIED_BY: String(i.modifiedBy), DATE_CREATE: i.dateCreate, CREATED_BY: String(i.createdBy),
    ACTIVE: i.active, DATE_ACTIVE_FROM: i.dateActiveFrom, DATE_ACTIVE_TO: i.dateActiveTo, SORT: String(i.sort), NAME: i.name,
    PREVIEW_PICTURE: null, PREVIEW_TEXT: null, DETAIL_PICTURE: null, DETAIL_TEXT: null, CODE: i.code, ENTITY: e.entity,
    SECTION: i.section === null ? null : String(i.section),
  }
  return out
}

/** A datetime parameter as stored: '' when empty, else the portal's ISO form; refused if unreadable. */
function activeDate(v: unknown): string {
  if (v === undefined || v === null || v === '') return ''
  const iso = isoDateTime(String(v))
  if (iso === null) throw new ArgumentError('Field validation errors for the item', '')
  return iso
}

/** The documented writable fields of entity.item.add / update; anything else is ignored. */
function applyFields(call: Call, item: AppEntityItem): void {
  const p = call.params
  // ACTIVE, SORT, CODE, texts and the authorship fields are not documented parameters: ignored.
  if (p.NAME !== undefined) item.name = String(p.NAME)
  if (p.SECTION !== undefined) item.section = Number(p.SECTION) > 0 ? Number(p.SECTION) : null
  if (p.DATE_ACTIVE_FROM !== undefined) item.dateActiveFrom = activeDate(p.DATE_ACTIVE_FROM)
  if (p.DATE_ACTIVE_TO !== undefined) item.dateActiveTo = activeDate(p.DATE_ACTIVE_TO)
  // PROPERTY_VALUES: «only properties that exist in the storage are processed»; the emulator
  // keeps no item properties (entity.item.property.* is not emulated), so none are.
}

function itemId(call: Call): number {
  const id = Number(call.params.ID ?? call.params.id)
  if (!Number.isInteger(id) || id <= 0) throw new ArgumentError("Argument 'ID' is null or empty", 'ID')
  return id
}

/**
 * entity.item.get's FILTER: the list methods' prefixes plus `><` / `!><` (a two-value range) and
 * `?` (`null` / not null).
 */
function itemFilter(filter: unknown): (row: Row) => boolean {
  if (filter === undefined || filter === null || filter === '') return () => true
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new ArgumentError('Filter validator errors', 'FILTER')
  const rest: Record<string, unknown> = {}
  const extra: ((row: Row) => boolean)[] = []
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    const range = /^(!?)><(.+)$/.exec(key)
    const nullCheck = /^\?(.+)$/.exec(key)
    if (range) {
      const [lo, hi] = Array.isArray(value) ? value : []
      if (lo === undefined || hi === undefined) throw new ArgumentError('Filter validator errors', 'FILTER')
      const inside = compileFilter({ [`>=${range[2]}`]: lo, [`<=${range[2]}`]: hi })
      extra.push(range[1] ? (r) => !inside(r) : inside)
    } else if (nullCheck) {
      const field = nullCheck[1] as string
      const wantNull = value === null || value === '' || value === 'null' || value === false
      extra.push((r) => ((r[field] ?? '') === '') === wantNull)
    } else rest[key] = value
  }
  let base: (row: Row) => boolean
  try {
    base = compileFilter(rest)
  } catch {
    throw new ArgumentError('Filter validator errors', 'FILTER')
  }
  return (row) => base(row) && extra.every((f) => f(row))
}

export const entityMethods: MethodTable = {
  /** entity-add.md: any user in the app's context; the creator gets `X`. */
  'entity.add'(call) {
    requireAppContext(call)
    const code = entityCode(call) as string
    const name = String(call.params.NAME ?? '').trim()
    if (!name) throw new ArgumentError("Argument 'NAME' is null or empty", 'NAME')
    const all = storages(call.ctx.db)
    if (all[code]) throw new RestError('ERROR_ENTITY_ALREADY_EXISTS', 'Entity already exists', 400)
    all[code] = { id: nextId(call.ctx.db, 'entity', 180), entity: code, name, access: accessOf(call, call.params.ACCESS), items: [] }
    call.ctx.save()
    return { result: true }
  },

  /** entity-get.md: one storage by ENTITY, or the list of the app's storages. */
  'entity.get'(call) {
    requireAppContext(call)
    const code = entityCode(call, false)
    if (code === null) return { result: Object.values(storages(call.ctx.db)).map(entityOut) }
    const e = storages(call.ctx.db)[code]
    if (!e) throw entityNotFound()
    return { result: entityOut(e) }
  },

  /**
   * entity-rights.md: without ACCESS anyone reads the rights (`null` for an unknown storage);
   * with ACCESS only an `X` holder replaces them, and is granted `X` again.
   */
  'entity.rights'(call) {
    requireAppContext(call)
    const code = entityCode(call) as string
    const e = storages(call.ctx.db)[code]
    const access = call.params.ACCESS
    if (access === undefined) return { result: e ? { ...e.access } : null }
    if (!e) return { result: null }
    if (levelOf(call, e) < RANK.X) throw denied()
    e.access = accessOf(call, access)
    call.ctx.save()
    return { result: { ...e.access } }
  },

  /** entity-item-add.md: `W` or `X`; the new item's id. */
  'entity.item.add'(call) {
    requireAppContext(call)
    const e = findEntity(call)
    if (levelOf(call, e) < RANK.W) throw denied()
    const now = isoPortal()
    const item: AppEntityItem = {
      id: nextId(call.ctx.db, 'entityItem', 2300), timestampX: now, modifiedBy: call.user.ID, dateCreate: now, createdBy: call.user.ID,
      active: 'Y', dateActiveFrom: '', dateActiveTo: '', sort: 500, name: '', code: null, section: null,
    }
    applyFields(call, item)
    e.items.push(item)
    call.ctx.save()
    return { result: item.id }
  },

  /** entity-item-get.md: needs `R`; SORT (default ID ASC), FILTER, pages of 50 by `start`. */
  'entity.item.get'(call) {
    requireAppContext(call)
    const e = findEntity(call)
    if (levelOf(call, e) < RANK.R) throw denied()
    const match = itemFilter(call.params.FILTER ?? call.params.filter)
    const rows = e.items.map((i) => itemOut(e, i)).filter(match)
    const order = call.params.SORT ?? call.params.sort ?? { ID: 'ASC' }
    const sorted = sortRows(rows, order)
    const page = paginate(sorted, call.params.start ?? call.params.START)
    return { result: page.items, total: page.total, next: page.next }
  },

  /** entity-item-update.md: `W` or `X`; the portal records who changed it and when. */
  'entity.item.update'(call) {
    requireAppContext(call)
    const e = findEntity(call)
    const id = itemId(call)
    if (levelOf(call, e) < RANK.W) throw denied()
    const item = e.items.find((i) => i.id === id)
    if (!item) throw itemNotFound()
    applyFields(call, item)
    item.modifiedBy = call.user.ID
    item.timestampX = isoPortal()
    call.ctx.save()
    return { result: true }
  },

  /** entity-item-delete.md: `W` or `X`. */
  'entity.item.delete'(call) {
    requireAppContext(call)
    const e = findEntity(call)
    const id = itemId(call)
    if (levelOf(call, e) < RANK.W) throw denied()
    const at = e.items.findIndex((i) => i.id === id)
    if (at < 0) throw itemNotFound()
    e.items.splice(at, 1)
    call.ctx.save()
    return { result: true }
  },
}
