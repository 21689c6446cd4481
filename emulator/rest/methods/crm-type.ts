/** crm.type.*, crm.category.*, crm.status.* — smart process types, funnels and stages. */
import type { Call, MethodTable, Emu } from '../../core/context.ts'
import type { CrmCategory, CrmStatus, CrmType, RelationDef } from '../../core/db.ts'
import { nextId } from '../../core/db.ts'
import { invalidArg, notFound, badRequest } from '../../core/errors.ts'
import { listRows } from '../../core/listing.ts'
import { isoPortal } from '../../core/time.ts'
import { requireAdmin } from '../rights.ts'

const FLAGS = [
  'isCategoriesEnabled', 'isStagesEnabled', 'isBeginCloseDatesEnabled', 'isClientEnabled', 'isUseInUserfieldEnabled',
  'isLinkWithProductsEnabled', 'isMycompanyEnabled', 'isDocumentsEnabled', 'isSourceEnabled', 'isObserversEnabled',
  'isRecyclebinEnabled', 'isAutomationEnabled', 'isBizProcEnabled', 'isSetOpenPermissions', 'isPaymentsEnabled', 'isCountersEnabled',
] as const

/** Built-in CRM entity types with fixed ids (lead, deal, contact, company, quote, invoice). */
export const BUILTIN_TYPES: Record<number, { name: string; ufEntity: string; statusEntity: string | null }> = {
  1: { name: 'Лид', ufEntity: 'CRM_LEAD', statusEntity: 'STATUS' },
  2: { name: 'Сделка', ufEntity: 'CRM_DEAL', statusEntity: 'DEAL_STAGE' },
  3: { name: 'Контакт', ufEntity: 'CRM_CONTACT', statusEntity: null },
  4: { name: 'Компания', ufEntity: 'CRM_COMPANY', statusEntity: null },
}

/** Default stages Bitrix24 gives a new funnel of a smart process. */
const DEFAULT_STAGES: { code: string; name: string; color: string; semantics: 'S' | 'F' | null; system: 'Y' | 'N' }[] = [
  { code: 'NEW', name: 'Начало', color: '#22B9FF', semantics: null, system: 'Y' },
  { code: 'PREPARATION', name: 'Подготовка', color: '#88B9FF', semantics: null, system: 'N' },
  { code: 'CLIENT', name: 'Согласование', color: '#10e5fc', semantics: null, system: 'N' },
  { code: 'SUCCESS', name: 'Успех', color: '#00ff00', semantics: 'S', system: 'Y' },
  { code: 'FAIL', name: 'Провал', color: '#ff0000', semantics: 'F', system: 'Y' },
]

const yn = (v: unknown, dflt: 'Y' | 'N' = 'N'): 'Y' | 'N' =>
  v === undefined || v === null ? dflt : v === true || v === 'Y' || v === 'y' || v === 1 || v === '1' || v === 'true' ? 'Y' : 'N'

export function findType(ctx: Emu, entityTypeId: number): CrmType | undefined {
  return ctx.db.crm.types.find((t) => t.entityTypeId === entityTypeId)
}

/** Whether items of this entity type exist on the portal (built-in or a smart process). */
export function entityTypeExists(ctx: Emu, entityTypeId: number): boolean {
  return entityTypeId in BUILTIN_TYPES || findType(ctx, entityTypeId) !== undefined
}

function entityTypeIdOf(call: Call): number {
  const id = Number(call.params.entityTypeId ?? (call.params.fields as Record<string, unknown> | undefined)?.entityTypeId)
  if (!Number.isInteger(id) || id <= 0) throw invalidArg('entityTypeId is required')
  if (!entityTypeExists(call.ctx, id)) throw notFound(`Smart process with entityTypeId ${id} not found`)
  return id
}

function typeOut(t: CrmType, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id, title: t.title, code: t.code, createdBy: t.createdBy, entityTypeId: t.entityTypeId, customSectionId: t.customSectionId,
    ...t.flags, createdTime: t.createdTime, updatedTime: t.updatedTime, updatedBy: t.updatedBy,
  }
  if (full) {
    out.relations = t.relations
    out.linkedUserFields = t.linkedUserFields
    out.customSections = []
  }
  return out
}

function relations(raw: unknown, clientEnabled: boolean): CrmType['relations'] {
  const rel = (raw ?? {}) as { parent?: unknown; child?: unknown }
  const conv = (list: unknown): RelationDef[] =>
    (Array.isArray(list) ? list : list && typeof list === 'object' ? Object.values(list) : []).map((r) => {
      const o = r as Record<string, unknown>
      return { entityTypeId: Number(o.entityTypeId), isChildrenListEnabled: yn(o.isChildrenListEnabled), isPredefined: 'N' as const }
    })
  const parent = conv(rel.parent)
  // A type with a client field is a child of contacts and companies by definition.
  const predefined: RelationDef[] = clientEnabled
    ? [3, 4].map((id) => ({ entityTypeId: id, isChildrenListEnabled: 'Y' as const, isPredefined: 'Y' as const }))
    : []
  return { parent: [...predefined, ...parent.filter((p) => !(clientEnabled && (p.entityTypeId === 3 || p.entityTypeId === 4)))], child: conv(rel.child) }
}

export function createCategory(ctx: Emu, entityTypeId: number, name: string, sort: number, isDefault: boolean): CrmCategory {
  const cat: CrmCategory = { id: nextId(ctx.db, 'category', 0), entityTypeId, name, sort, isDefault: isDefault ? 'Y' : 'N' }
  if (isDefault) for (const c of ctx.db.crm.categories) if (c.entityTypeId === entityTypeId) c.isDefault = 'N'
  ctx.db.crm.categories.push(cat)
  DEFAULT_STAGES.forEach((s, i) => {
    addStatus(ctx, {
      ENTITY_ID: `DYNAMIC_${entityTypeId}_STAGE_${cat.id}`, STATUS_ID: `DT${entityTypeId}_${cat.id}:${s.code}`, NAME: s.name,
      SORT: (i + 1) * 10, SYSTEM: s.system, CATEGORY_ID: cat.id, COLOR: s.color, SEMANTICS: s.semantics,
    })
  })
  return cat
}

function addStatus(ctx: Emu, s: Omit<CrmStatus, 'ID' | 'NAME_INIT'>): CrmStatus {
  const status: CrmStatus = { ID: nextId(ctx.db, 'status', 1000, 2), NAME_INIT: s.NAME, ...s }
  ctx.db.crm.statuses.push(status)
  return status
}

function statusOut(s: CrmStatus): Record<string, unknown> {
  return {
    ID: String(s.ID), ENTITY_ID: s.ENTITY_ID, STATUS_ID: s.STATUS_ID, NAME: s.NAME, NAME_INIT: s.NAME_INIT, SORT: String(s.SORT),
    SYSTEM: s.SYSTEM, CATEGORY_ID: s.CATEGORY_ID === null ? null : String(s.CATEGORY_ID), COLOR: s.COLOR, SEMANTICS: s.SEMANTICS,
  }
}

function categoryOut(c: CrmCategory): Record<string, unknown> {
  return { id: c.id, name: c.name, sort: c.sort, entityTypeId: c.entityTypeId, isDefault: c.isDefault, originId: '', originatorId: '' }
}

function nextEntityTypeId(ctx: Emu): number {
  let id = 1030
  while (findType(ctx, id) || id in BUILTIN_TYPES) id += 2
  return id
}

function getType(call: Call): CrmType {
  const id = Number(call.params.id)
  const t = call.ctx.db.crm.types.find((x) => x.id === id)
  if (!t) throw notFound(`Smart process type ${call.params.id} not found`)
  return t
}

function applyTypeFields(t: CrmType, fields: Record<string, unknown>): void {
  if (fields.title !== undefined) t.title = String(fields.title)
  if (fields.code !== undefined) t.code = String(fields.code)
  for (const f of FLAGS) if (fields[f] !== undefined) t.flags[f] = yn(fields[f])
  if (fields.relations !== undefined) t.relations = relations(fields.relations, t.flags.isClientEnabled === 'Y')
  if (fields.linkedUserFields && typeof fields.linkedUserFields === 'object') {
    for (const [k, v] of Object.entries(fields.linkedUserFields as Record<string, unknown>)) t.linkedUserFields[k] = yn(v)
  }
}

export const crmTypeMethods: MethodTable = {
  'crm.type.add'(call) {
    requireAdmin(call)
    const fields = (call.params.fields ?? {}) as Record<string, unknown>
    if (!fields.title || String(fields.title).trim() === '') throw invalidArg('Field "title" is required')
    const ctx = call.ctx
    const entityTypeId = fields.entityTypeId === undefined ? nextEntityTypeId(ctx) : Number(fields.entityTypeId)
    // Bitrix24 hands out 128..191 and then even numbers from 1030 up.
    const valid = Number.isInteger(entityTypeId) && ((entityTypeId >= 128 && entityTypeId < 192) || (entityTypeId >= 1030 && entityTypeId % 2 === 0))
    if (!valid) throw invalidArg(`entityTypeId ${String(fields.entityTypeId)} is out of range`)
    if (findType(ctx, entityTypeId)) throw badRequest('ERROR_DUPLICATE', `entityTypeId ${entityTypeId} is already taken`)
    const now = isoPortal()
    const t: CrmType = {
      id: nextId(ctx.db, 'type', 0), entityTypeId, title: '', code: '', createdBy: call.user.ID, updatedBy: call.user.ID,
      createdTime: now, updatedTime: now, customSectionId: null,
      flags: Object.fromEntries(FLAGS.map((f) => [f, 'N'])) as Record<string, 'Y' | 'N'>,
      relations: { parent: [], child: [] },
      linkedUserFields: { 'CALENDAR_EVENT|UF_CRM_CAL_EVENT': 'N', 'TASKS_TASK|UF_CRM_TASK': 'N', 'TASKS_TASK_TEMPLATE|UF_CRM_TASK': 'N' },
    }
    t.flags.isStagesEnabled = 'Y'
    applyTypeFields(t, fields)
    if (fields.relations === undefined) t.relations = relations({}, t.flags.isClientEnabled === 'Y')
    ctx.db.crm.types.push(t)
    ctx.db.crm.items[String(entityTypeId)] = {}
    createCategory(ctx, entityTypeId, 'Общая', 500, true)
    ctx.save()
    return { result: { type: typeOut(t, true) } }
  },
  'crm.type.update'(call) {
    requireAdmin(call)
    const t = getType(call)
    applyTypeFields(t, (call.params.fields ?? {}) as Record<string, unknown>)
    t.updatedTime = isoPortal()
    t.updatedBy = call.user.ID
    call.ctx.save()
    return { result: { type: typeOut(t, true) } }
  },
  'crm.type.get'(call) {
    return { result: { type: typeOut(getType(call), true) } }
  },
  'crm.type.getbyentitytypeid'(call) {
    const t = findType(call.ctx, Number(call.params.entityTypeId))
    if (!t) throw notFound(`Smart process with entityTypeId ${call.params.entityTypeId} not found`)
    return { result: { type: typeOut(t, true) } }
  },
  'crm.type.list'(call) {
    const page = listRows(call.ctx.db.crm.types.map((t) => typeOut(t, false)), call.params)
    return { result: { types: page.items }, total: page.total, next: page.next }
  },
  'crm.type.delete'(call) {
    requireAdmin(call)
    const t = getType(call)
    const ctx = call.ctx
    if (Object.keys(ctx.db.crm.items[String(t.entityTypeId)] ?? {}).length > 0) throw badRequest('ERROR_TYPE_HAS_ITEMS', 'Cannot delete a type that has items')
    ctx.db.crm.types = ctx.db.crm.types.filter((x) => x !== t)
    ctx.db.crm.categories = ctx.db.crm.categories.filter((c) => c.entityTypeId !== t.entityTypeId)
    ctx.db.crm.statuses = ctx.db.crm.statuses.filter((s) => !s.ENTITY_ID.startsWith(`DYNAMIC_${t.entityTypeId}_STAGE_`))
    ctx.db.crm.userFields = ctx.db.crm.userFields.filter((f) => f.entityId !== `CRM_${t.id}`)
    delete ctx.db.crm.items[String(t.entityTypeId)]
    ctx.save()
    return { result: null }
  },

  'crm.category.list'(call) {
    const etid = entityTypeIdOf(call)
    const rows = call.ctx.db.crm.categories.filter((c) => c.entityTypeId === etid).map(categoryOut)
    const page = listRows(rows, { ...call.params, filter: call.params.filter })
    return { result: { categories: page.items }, total: page.total, next: page.next }
  },
  'crm.category.get'(call) {
    const etid = entityTypeIdOf(call)
    const c = call.ctx.db.crm.categories.find((x) => x.entityTypeId === etid && x.id === Number(call.params.id))
    if (!c) throw notFound(`Category ${call.params.id} not found`)
    return { result: { category: categoryOut(c) } }
  },
  'crm.category.add'(call) {
    requireAdmin(call)
    const etid = entityTypeIdOf(call)
    const fields = (call.params.fields ?? {}) as Record<string, unknown>
    if (!fields.name) throw invalidArg('Field "name" is required')
    const c = createCategory(call.ctx, etid, String(fields.name), Number(fields.sort ?? 500), yn(fields.isDefault) === 'Y')
    call.ctx.save()
    const { originId: _o, originatorId: _oo, ...out } = categoryOut(c)
    return { result: { category: out } }
  },

  'crm.status.list'(call) {
    const page = listRows(call.ctx.db.crm.statuses.map(statusOut), { ...call.params, order: call.params.order ?? { SORT: 'ASC' } })
    return { result: page.items, total: page.total, next: page.next }
  },
  'crm.status.get'(call) {
    const s = call.ctx.db.crm.statuses.find((x) => x.ID === Number(call.params.id))
    if (!s) throw notFound('Status not found')
    return { result: statusOut(s) }
  },
  'crm.status.add'(call) {
    requireAdmin(call)
    const f = (call.params.fields ?? {}) as Record<string, unknown>
    const entityId = String(f.ENTITY_ID ?? '')
    if (!entityId || !f.STATUS_ID || !f.NAME) throw invalidArg('ENTITY_ID, STATUS_ID and NAME are required')
    const m = /^DYNAMIC_(\d+)_STAGE_(\d+)$/.exec(entityId)
    let statusId = String(f.STATUS_ID)
    if (m && !statusId.includes(':')) statusId = `DT${m[1]}_${m[2]}:${statusId}`
    if (call.ctx.db.crm.statuses.some((s) => s.ENTITY_ID === entityId && s.STATUS_ID === statusId)) throw badRequest('ERROR_CORE', `Status ${statusId} already exists`)
    const sem = f.SEMANTICS === 'S' || f.SEMANTICS === 'F' ? f.SEMANTICS : null
    const s = addStatus(call.ctx, {
      ENTITY_ID: entityId, STATUS_ID: statusId, NAME: String(f.NAME), SORT: Number(f.SORT ?? 100), SYSTEM: 'N',
      CATEGORY_ID: m ? Number(m[2]) : null, COLOR: String(f.COLOR ?? '#ACE9FB'), SEMANTICS: sem,
    })
    call.ctx.save()
    return { result: s.ID }
  },
  'crm.status.update'(call) {
    requireAdmin(call)
    const s = call.ctx.db.crm.statuses.find((x) => x.ID === Number(call.params.id))
    if (!s) throw notFound('Status not found')
    const f = (call.params.fields ?? {}) as Record<string, unknown>
    if (f.NAME !== undefined) s.NAME = String(f.NAME)
    if (f.SORT !== undefined) s.SORT = Number(f.SORT)
    if (f.COLOR !== undefined) s.COLOR = String(f.COLOR)
    if (f.SEMANTICS !== undefined && s.SYSTEM === 'N') s.SEMANTICS = f.SEMANTICS === 'S' || f.SEMANTICS === 'F' ? f.SEMANTICS : null
    call.ctx.save()
    return { result: true }
  },
  'crm.status.delete'(call) {
    requireAdmin(call)
    const s = call.ctx.db.crm.statuses.find((x) => x.ID === Number(call.params.id))
    if (!s) throw notFound('Status not found')
    const forced = (call.params.params as Record<string, unknown> | undefined)?.FORCED === 'Y'
    if (s.SYSTEM === 'Y' && !forced) throw badRequest('ERROR_CORE', 'System status cannot be deleted')
    call.ctx.db.crm.statuses = call.ctx.db.crm.statuses.filter((x) => x !== s)
    call.ctx.save()
    return { result: true }
  },
  'crm.status.entity.types'(call) {
    const out: Record<string, unknown>[] = [
      { ID: 'STATUS', NAME: 'Статусы лида', SEMANTIC_INFO: { START_FIELD: 'NEW', FINAL_SUCCESS_FIELD: 'CONVERTED', FINAL_UNSUCCESS_FIELD: 'JUNK', FINAL_SORT: 0 }, ENTITY_TYPE_ID: 1 },
      { ID: 'SOURCE', NAME: 'Источники' },
      { ID: 'DEAL_STAGE', NAME: 'Стадии сделки', SEMANTIC_INFO: { START_FIELD: 'NEW', FINAL_SUCCESS_FIELD: 'WON', FINAL_UNSUCCESS_FIELD: 'LOSE', FINAL_SORT: 0 }, FIELD_ATTRIBUTE_SCOPE: '', ENTITY_TYPE_ID: 2, CATEGORY_ID: 0 },
    ]
    for (const t of call.ctx.db.crm.types) {
      for (const c of call.ctx.db.crm.categories.filter((x) => x.entityTypeId === t.entityTypeId)) {
        out.push({
          ID: `DYNAMIC_${t.entityTypeId}_STAGE_${c.id}`, NAME: `${t.title} (${c.name})`, SEMANTIC_INFO: [], PREFIX: `DT${t.entityTypeId}_${c.id}`,
          FIELD_ATTRIBUTE_SCOPE: `category_${c.id}`, ENTITY_TYPE_ID: t.entityTypeId, IS_ENABLED: true, CATEGORY_ID: c.id,
          CATEGORY_NAME: c.name, CATEGORY_SORT: c.sort, IS_DEFAULT_CATEGORY: c.isDefault === 'Y',
        })
      }
    }
    return { result: out }
  },
}

/** Stages of one funnel in sort order. */
export function stagesOf(ctx: Emu, entityTypeId: number, categoryId: number): CrmStatus[] {
  const entityId = `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`
  return ctx.db.crm.statuses.filter((s) => s.ENTITY_ID === entityId).sort((a, b) => a.SORT - b.SORT)
}

export function defaultCategory(ctx: Emu, entityTypeId: number): CrmCategory | undefined {
  const cats = ctx.db.crm.categories.filter((c) => c.entityTypeId === entityTypeId)
  return cats.find((c) => c.isDefault === 'Y') ?? cats[0]
}
