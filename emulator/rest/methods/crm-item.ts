/** crm.item.add/get/list/update/delete/fields — items of smart processes (and leads/deals). */
import type { Call, MethodTable } from '../../core/context.ts'
import type { CrmItem, UserFieldConfig } from '../../core/db.ts'
import { nextId } from '../../core/db.ts'
import { accessDenied, invalidArg, notFound } from '../../core/errors.ts'
import { applySelect, compileFilter, PAGE_SIZE, paginate, sortRows, type Page } from '../../core/listing.ts'
import { candidateRows, generationOf } from '../../core/index-items.ts'
import { isoDate, isoDateTime, isoPortal } from '../../core/time.ts'
import { ufCamelName, ufUpperName } from '../../core/ufnames.ts'
import { checkFilterKeys, checkOrderKeys } from './item-query.ts'
import { canCreate, canRead, canWrite } from '../rights.ts'
import { defaultCategory, entityTypeExists, findType, stagesOf } from './crm-type.ts'
import { parentFields, systemFields, upperName, type SysField } from './item-fields.ts'
import { userFieldsOf } from './userfield.ts'
import { valueIn, valueOut } from './item-values.ts'

interface Schema {
  entityTypeId: number
  sys: Map<string, SysField>
  uf: Map<string, UserFieldConfig>
}

/** crm.item name of a user field: Bitrix24's own conversion rule (core/ufnames.ts). */
export function itemUfName(fieldName: string): string {
  return ufCamelName(fieldName)
}

function schemaOf(call: Call, entityTypeId: number): Schema {
  const sys = new Map<string, SysField>()
  for (const f of [...systemFields(entityTypeId), ...parentFields(call.ctx, entityTypeId)]) sys.set(f.name, f)
  const uf = new Map<string, UserFieldConfig>()
  for (const f of userFieldsOf(call.ctx, entityTypeId)) uf.set(itemUfName(f.fieldName), f)
  return { entityTypeId, sys, uf }
}

function entityTypeIdOf(call: Call): number {
  const id = Number(call.params.entityTypeId)
  if (!Number.isInteger(id) || id <= 0) throw invalidArg('entityTypeId is required')
  if (!entityTypeExists(call.ctx, id)) throw notFound(`Smart process with entityTypeId ${id} not found`)
  return id
}

const idOrdered = new WeakMap<object, { n: number; rows: CrmItem[] | null }>()

/**
 * A store's rows in id order, kept until the portal's next write (every write saves, which moves
 * the generation: core/index-items.ts), or null when the store is not in id order.
 */
function rowsInIdOrder(call: Call, all: Record<string, CrmItem>): CrmItem[] | null {
  const n = generationOf(call.ctx).n
  const known = idOrdered.get(all)
  if (known && known.n === n) return known.rows
  const rows = Object.values(all)
  let sorted = true
  for (let i = 1; i < rows.length && sorted; i++) sorted = (rows[i] as CrmItem).id > (rows[i - 1] as CrmItem).id
  const entry = { n, rows: sorted ? rows : null }
  idOrdered.set(all, entry)
  return entry.rows
}

/**
 * `order: {id: 'ASC'}` with `start: -1` (no count: settings/performance/huge-data.md) read the
 * way a database reads its primary key: from the first id past a `>id` bound, the first 50 rows
 * that match, without sorting or counting the rest. The same rows as filtering, sorting and
 * slicing everything; null when the request is not of that kind (the general path).
 */
function idScanPage(call: Call, all: Record<string, CrmItem>, alias: (n: string) => string, visible: (it: CrmItem) => boolean): Page<CrmItem> | null {
  const params = call.params
  if (Number(params.start) !== -1) return null
  const order = params.order
  if (!order || typeof order !== 'object') return null
  const keys = Object.entries(order as Record<string, unknown>)
  if (keys.length !== 1 || alias((keys[0] as [string, unknown])[0]) !== 'id' || String((keys[0] as [string, unknown])[1]).toUpperCase() !== 'ASC') return null
  const rows = rowsInIdOrder(call, all)
  if (!rows) return null
  const filter = (params.filter && typeof params.filter === 'object' ? params.filter : {}) as Record<string, unknown>
  const boundKey = Object.keys(filter).find((k) => k.startsWith('>') && !k.startsWith('>=') && alias(k.slice(1)) === 'id')
  const bound = boundKey === undefined ? NaN : Number(filter[boundKey])
  let lo = 0
  if (Number.isFinite(bound)) {
    let hi = rows.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((rows[mid] as CrmItem).id <= bound) lo = mid + 1
      else hi = mid
    }
  }
  const items: CrmItem[] = []
  for (let i = lo; i < rows.length && items.length < PAGE_SIZE; i++) if (visible(rows[i] as CrmItem)) items.push(rows[i] as CrmItem)
  return { items }
}

function store(call: Call, entityTypeId: number): Record<string, CrmItem> {
  const key = String(entityTypeId)
  return (call.ctx.db.crm.items[key] ??= {})
}

/** Accepts camelCase names, UPPER_CASE names and original UF_CRM_… names. */
function canonicalName(schema: Schema, name: string): string | undefined {
  if (schema.sys.has(name) || schema.uf.has(name)) return name
  if (/^UF_/i.test(name)) {
    const camel = itemUfName(name.toUpperCase())
    if (schema.uf.has(camel)) return camel
  }
  // Names are accepted in camelCase or UPPER_CASE (api-reference/crm/universal/index.md).
  const upper = /^uf/i.test(name) ? ufUpperName(name) : ''
  for (const [camel, f] of schema.uf) if (f.fieldName === name.toUpperCase() || f.fieldName === upper) return camel
  for (const key of schema.sys.keys()) if (upperName(key) === name.toUpperCase()) return key
  return undefined
}

function sysIn(f: SysField, v: unknown): unknown {
  if (f.multiple) return (Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v]).map((x) => (typeof x === 'object' ? x : Number(x)))
  if (v === null || v === undefined) return null
  switch (f.type) {
    case 'integer': case 'user': case 'crm_company': case 'crm_contact': case 'crm_category': case 'crm_entity': case 'crm_lead': case 'crm_quote':
      return v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null
    case 'double': return Number(v) || 0
    case 'boolean': return v === true || v === 'Y' || v === 1 || v === '1' ? 'Y' : 'N'
    case 'date': return v === '' ? null : isoDate(String(v))
    case 'datetime': return v === '' ? null : isoDateTime(String(v))
    default: return v
  }
}

function semanticOf(call: Call, entityTypeId: number, stageId: unknown): 'P' | 'S' | 'F' {
  const s = call.ctx.db.crm.statuses.find((x) => x.STATUS_ID === stageId && x.ENTITY_ID.startsWith(`DYNAMIC_${entityTypeId}_`))
  return s?.SEMANTICS === 'S' ? 'S' : s?.SEMANTICS === 'F' ? 'F' : 'P'
}

const WRITABLE_READONLY = new Set(['createdBy', 'createdTime']) // settable on import-like adds (seed)

function applyFields(call: Call, schema: Schema, item: CrmItem, fields: Record<string, unknown>, isAdd: boolean): void {
  for (const [rawName, value] of Object.entries(fields)) {
    const name = canonicalName(schema, rawName)
    // crm.item.add and update ignore unknown fields (documented behaviour).
    if (!name) continue
    const uf = schema.uf.get(name)
    if (uf) {
      item[name] = valueIn(call, uf, name, value, item[name], { entityTypeId: schema.entityTypeId, itemId: item.id })
      continue
    }
    const sys = schema.sys.get(name) as SysField
    if (name === 'id' || (sys.readOnly && !(isAdd && call.auth === 'internal' && WRITABLE_READONLY.has(name)))) continue
    item[name] = sysIn(sys, value)
  }
}

function placeInFunnel(call: Call, item: CrmItem, isAdd: boolean): void {
  const etid = item.entityTypeId
  if (etid === 1 || etid === 2 || !findType(call.ctx, etid)) return
  const cat = item.categoryId === null || item.categoryId === undefined || item.categoryId === 0 && isAdd
    ? defaultCategory(call.ctx, etid)
    : call.ctx.db.crm.categories.find((c) => c.entityTypeId === etid && c.id === Number(item.categoryId))
  if (!cat) throw invalidArg(`Category ${String(item.categoryId)} does not belong to entityTypeId ${etid}`)
  item.categoryId = cat.id
  const stages = stagesOf(call.ctx, etid, cat.id)
  if (!item.stageId) item.stageId = stages[0]?.STATUS_ID ?? null
  else if (!stages.some((s) => s.STATUS_ID === item.stageId)) throw invalidArg(`Stage ${String(item.stageId)} is not a stage of category ${cat.id}`)
  item.stageSemanticId = semanticOf(call, etid, item.stageId)
}

function itemOut(call: Call, schema: Schema, item: CrmItem): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, f] of schema.sys) out[name] = item[name] === undefined ? structuredClone(f.dflt) : item[name]
  const owner = { entityTypeId: schema.entityTypeId, itemId: item.id }
  const original = call.params.useOriginalUfNames === 'Y'
  for (const [camel, f] of schema.uf) out[original ? f.fieldName : camel] = valueOut(call, f, camel, item[camel], owner)
  out.id = item.id
  out.entityTypeId = schema.entityTypeId
  return out
}

function getItem(call: Call, entityTypeId: number, write: boolean): CrmItem {
  const item = store(call, entityTypeId)[String(Number(call.params.id))]
  if (!item) throw notFound(`Element with id ${String(call.params.id)} is not found`)
  if (!(write ? canWrite(call.user, item, call.ctx.db) : canRead(call.user, item, call.ctx.db))) throw accessDenied('Access denied')
  return item
}

export const crmItemMethods: MethodTable = {
  'crm.item.add'(call) {
    const etid = entityTypeIdOf(call)
    if (!canCreate(call.user)) throw accessDenied('Access denied')
    const schema = schemaOf(call, etid)
    const now = isoPortal()
    const item: CrmItem = {
      id: nextId(call.ctx.db, `item:${etid}`, 0), entityTypeId: etid, createdBy: call.user.ID, updatedBy: call.user.ID, movedBy: call.user.ID,
      createdTime: now, updatedTime: now, movedTime: now, lastActivityBy: call.user.ID, lastActivityTime: now, assignedById: call.user.ID,
    }
    applyFields(call, schema, item, (call.params.fields ?? {}) as Record<string, unknown>, true)
    placeInFunnel(call, item, true)
    store(call, etid)[String(item.id)] = item
    call.ctx.save()
    return { result: { item: itemOut(call, schema, item) } }
  },
  'crm.item.get'(call) {
    const etid = entityTypeIdOf(call)
    return { result: { item: itemOut(call, schemaOf(call, etid), getItem(call, etid, false)) } }
  },
  'crm.item.update'(call) {
    const etid = entityTypeIdOf(call)
    const item = getItem(call, etid, true)
    const schema = schemaOf(call, etid)
    const prevStage = item.stageId
    const draft: CrmItem = { ...item }
    applyFields(call, schema, draft, (call.params.fields ?? {}) as Record<string, unknown>, false)
    placeInFunnel(call, draft, false)
    const now = isoPortal()
    draft.updatedTime = now
    draft.updatedBy = call.user.ID
    if (draft.stageId !== prevStage) {
      draft.previousStageId = prevStage
      draft.movedTime = now
      draft.movedBy = call.user.ID
    }
    Object.assign(item, draft)
    call.ctx.save()
    return { result: { item: itemOut(call, schema, item) } }
  },
  'crm.item.delete'(call) {
    const etid = entityTypeIdOf(call)
    const item = getItem(call, etid, true)
    delete store(call, etid)[String(item.id)]
    call.ctx.save()
    return { result: [] }
  },
  'crm.item.list'(call) {
    const etid = entityTypeIdOf(call)
    const schema = schemaOf(call, etid)
    const alias = (n: string): string => canonicalName(schema, n) ?? n
    // A filter or order key the entity does not have is an error, not an empty list
    // (api-reference/crm/universal/crm-item-list.md: INVALID_ARG_VALUE, HTTP 400).
    const known = (n: string): boolean => canonicalName(schema, n) !== undefined
    checkFilterKeys(call.params.filter, known)
    checkOrderKeys(call.params.order, known)
    const pred = compileFilter(call.params.filter, alias)
    // Only the rows an equality index says can match (stage, approvers, author…), else all;
    // the full filter still decides (core/index-items.ts).
    const all = store(call, etid)
    const indexed = candidateRows(call.ctx, all, call.params.filter, alias)
    // Rights first: a row the user may not read is silently left out (Bitrix24 behaviour).
    const visible = (it: CrmItem): boolean => canRead(call.user, it, call.ctx.db) && pred(it)
    const page = (indexed === null ? idScanPage(call, all, alias, visible) : null) ??
      paginate(sortRows((indexed ?? Object.values(all)).filter(visible), call.params.order, alias), call.params.start)
    const isUf = (k: string): boolean => schema.uf.has(k) || /^UF_/.test(k)
    const items = page.items.map((it) => applySelect(itemOut(call, schema, it), call.params.select, isUf, true, ['id']))
    return { result: { items }, total: page.total, next: page.next }
  },
  'crm.item.fields'(call) {
    const etid = entityTypeIdOf(call)
    const schema = schemaOf(call, etid)
    const fields: Record<string, unknown> = {}
    const original = call.params.useOriginalUfNames === 'Y'
    for (const [name, f] of schema.sys) {
      const d: Record<string, unknown> = {
        type: f.type, isRequired: f.required ?? false, isReadOnly: f.readOnly ?? false, isImmutable: false,
        isMultiple: f.multiple ?? false, isDynamic: false, title: f.title, upperName: upperName(name),
      }
      if (f.settings) d.settings = f.settings
      if (f.deprecated) d.isDeprecated = true
      if (f.statusType === 'STAGE') {
        const cat = defaultCategory(call.ctx, etid)
        d.statusType = cat ? `DYNAMIC_${etid}_STAGE_${cat.id}` : 'STATUS'
      } else if (f.statusType) d.statusType = f.statusType
      fields[name] = d
    }
    for (const [camel, f] of schema.uf) {
      fields[original ? f.fieldName : camel] = {
        type: f.userTypeId, isRequired: f.mandatory === 'Y', isReadOnly: false, isImmutable: false, isMultiple: f.multiple === 'Y',
        isDynamic: true, title: f.editFormLabel.ru ?? f.editFormLabel.en ?? f.fieldName, upperName: f.fieldName, settings: f.settings,
      }
    }
    return { result: { fields } }
  },
}
