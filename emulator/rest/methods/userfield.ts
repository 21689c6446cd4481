/** userfieldconfig.* for CRM user fields (moduleId crm, entityId CRM_{typeId} / CRM_DEAL …). */
import type { Call, MethodTable, Emu } from '../../core/context.ts'
import type { UserFieldConfig } from '../../core/db.ts'
import { nextId } from '../../core/db.ts'
import { invalidArg, notFound, badRequest } from '../../core/errors.ts'
import { listRows, applySelect } from '../../core/listing.ts'
import { requireAdmin } from '../rights.ts'
import { BUILTIN_TYPES } from './crm-type.ts'

const TYPES = new Set(['string', 'integer', 'double', 'boolean', 'date', 'datetime', 'money', 'file', 'employee', 'enumeration', 'url', 'address', 'crm', 'crm_status', 'iblock_element', 'iblock_section'])
/** Keys of `field` that userfieldconfig.add does not process (api-reference/crm/universal/userfieldconfig/userfieldconfig-add.md). */
export const ADD_IGNORES = new Set(['showInList', 'listColumnLabel', 'listFilterLabel', 'errorMessage', 'label'])

const yn = (v: unknown, d: 'Y' | 'N'): 'Y' | 'N' => (v === undefined || v === null ? d : v === true || v === 'Y' || v === 1 || v === '1' ? 'Y' : 'N')

function labels(v: unknown): Record<string, string | null> {
  if (v === undefined || v === null) return { en: null, ru: null }
  if (typeof v === 'string') return { en: v, ru: v }
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, x === null ? null : String(x)]))
}

function checkModule(call: Call): void {
  if (call.params.moduleId !== undefined && call.params.moduleId !== 'crm') throw invalidArg(`moduleId ${String(call.params.moduleId)} is not supported by the emulator`)
}

/** Checks an entityId refers to something that exists: CRM_{typeId} of a smart process or a built-in. */
function checkEntity(ctx: Emu, entityId: string): void {
  const m = /^CRM_(\d+)$/.exec(entityId)
  if (m) {
    if (!ctx.db.crm.types.some((t) => t.id === Number(m[1]))) throw invalidArg(`entityId ${entityId}: no smart process with id ${m[1]}`)
    return
  }
  if (!Object.values(BUILTIN_TYPES).some((b) => b.ufEntity === entityId)) throw invalidArg(`entityId ${entityId} is not supported`)
}

/** Labels in one language (`select: {language: 'de'}` in userfieldconfig.list), or all of them. */
function inLanguage(labelsByLang: Record<string, string | null>, lang: string | null): Record<string, string | null> {
  if (lang === null) return labelsByLang
  return { [lang]: labelsByLang[lang] ?? labelsByLang.en ?? labelsByLang.ru ?? null }
}

export function fieldOut(f: UserFieldConfig, withEnum = true, lang: string | null = null): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(f.id), entityId: f.entityId, fieldName: f.fieldName, userTypeId: f.userTypeId, xmlId: f.xmlId, sort: String(f.sort),
    multiple: f.multiple, mandatory: f.mandatory, showFilter: f.showFilter, showInList: f.showInList, editInList: f.editInList,
    isSearchable: f.isSearchable, settings: f.settings, languageId: lang ? { [lang]: lang } : { en: 'en', ru: 'ru' },
    editFormLabel: inLanguage(f.editFormLabel, lang), listColumnLabel: inLanguage(f.listColumnLabel, lang), listFilterLabel: inLanguage(f.listFilterLabel, lang),
    errorMessage: inLanguage(f.errorMessage, lang), helpMessage: inLanguage(f.helpMessage, lang),
  }
  if (withEnum && f.userTypeId === 'enumeration') {
    out.enum = f.enum.map((e) => ({ id: String(e.id), userFieldId: String(f.id), value: e.value, def: e.def, sort: String(e.sort), xmlId: e.xmlId }))
  }
  return out
}

function defaultSettings(type: string): Record<string, unknown> {
  switch (type) {
    case 'enumeration': return { DISPLAY: 'LIST', LIST_HEIGHT: 1, CAPTION_NO_VALUE: '', SHOW_NO_VALUE: 'Y' }
    case 'string': return { SIZE: 20, ROWS: 1, REGEXP: '', MIN_LENGTH: 0, MAX_LENGTH: 0, DEFAULT_VALUE: '' }
    case 'boolean': return { DEFAULT_VALUE: 0, DISPLAY: 'CHECKBOX', LABEL: ['', ''], LABEL_CHECKBOX: '' }
    default: return {}
  }
}

function applyField(ctx: Emu, f: UserFieldConfig, input: Record<string, unknown>): void {
  if (input.sort !== undefined) f.sort = Number(input.sort)
  if (input.xmlId !== undefined) f.xmlId = input.xmlId === null ? null : String(input.xmlId)
  for (const k of ['mandatory', 'showFilter', 'showInList', 'editInList', 'isSearchable'] as const) if (input[k] !== undefined) f[k] = yn(input[k], f[k])
  if (input.settings && typeof input.settings === 'object') f.settings = { ...f.settings, ...(input.settings as Record<string, unknown>) }
  for (const k of ['editFormLabel', 'listColumnLabel', 'listFilterLabel', 'errorMessage', 'helpMessage'] as const) if (input[k] !== undefined) f[k] = labels(input[k])
  if (Array.isArray(input.enum)) {
    f.enum = input.enum.map((e, i) => {
      const o = e as Record<string, unknown>
      const id = o.id !== undefined ? Number(o.id) : nextId(ctx.db, 'enum', 3000)
      return { id, value: String(o.value ?? ''), def: yn(o.def, 'N'), sort: Number(o.sort ?? (i + 1) * 100), xmlId: String(o.xmlId ?? Math.random().toString(16).slice(2).padEnd(32, '0')) }
    })
  }
}

function getField(call: Call): UserFieldConfig {
  const f = call.ctx.db.crm.userFields.find((x) => x.id === Number(call.params.id))
  if (!f) throw notFound(`User field ${String(call.params.id)} not found`)
  return f
}

export const userFieldMethods: MethodTable = {
  'userfieldconfig.add'(call) {
    requireAdmin(call)
    checkModule(call)
    const input = (call.params.field ?? {}) as Record<string, unknown>
    const entityId = String(input.entityId ?? '')
    const fieldName = String(input.fieldName ?? '').toUpperCase()
    const type = String(input.userTypeId ?? '')
    checkEntity(call.ctx, entityId)
    if (!/^UF_[A-Z0-9_]+$/.test(fieldName)) throw invalidArg('fieldName must start with UF_ and hold A-Z, 0-9, _')
    // Bitrix24 keeps FIELD_NAME in a 50-character column.
    if (fieldName.length > 50) throw invalidArg(`fieldName ${fieldName} is longer than 50 characters`)
    if (!TYPES.has(type)) throw invalidArg(`userTypeId ${type} is not supported`)
    if (call.ctx.db.crm.userFields.some((x) => x.entityId === entityId && x.fieldName === fieldName)) throw badRequest('ERROR_FIELD_EXISTS', `Field ${fieldName} already exists`)
    const f: UserFieldConfig = {
      id: nextId(call.ctx.db, 'userField', 6900), entityId, fieldName, userTypeId: type, xmlId: null, sort: 100,
      multiple: yn(input.multiple, 'N'), mandatory: 'N', showFilter: 'N', showInList: 'Y', editInList: 'Y', isSearchable: 'N',
      settings: defaultSettings(type), editFormLabel: { en: null, ru: null }, listColumnLabel: { en: null, ru: null },
      listFilterLabel: { en: null, ru: null }, errorMessage: { en: null, ru: null }, helpMessage: { en: null, ru: null }, enum: [],
    }
    // userfieldconfig-add.md: these keys are not processed by add, even when passed.
    const processed = Object.fromEntries(Object.entries(input).filter(([k]) => !ADD_IGNORES.has(k)))
    applyField(call.ctx, f, processed)
    call.ctx.db.crm.userFields.push(f)
    call.ctx.save()
    return { result: { field: fieldOut(f) } }
  },
  'userfieldconfig.get'(call) {
    checkModule(call)
    return { result: { field: fieldOut(getField(call)) } }
  },
  'userfieldconfig.update'(call) {
    requireAdmin(call)
    checkModule(call)
    const f = getField(call)
    applyField(call.ctx, f, (call.params.field ?? {}) as Record<string, unknown>)
    call.ctx.save()
    return { result: { field: fieldOut(f) } }
  },
  'userfieldconfig.delete'(call) {
    requireAdmin(call)
    checkModule(call)
    const f = getField(call)
    call.ctx.db.crm.userFields = call.ctx.db.crm.userFields.filter((x) => x !== f)
    call.ctx.save()
    return { result: true }
  },
  'userfieldconfig.list'(call) {
    checkModule(call)
    const select = call.params.select as Record<string, unknown> | undefined
    const lang = select && typeof select === 'object' && !Array.isArray(select) && typeof select.language === 'string' ? select.language : null
    const rows = call.ctx.db.crm.userFields.map((f) => fieldOut(f, false, lang))
    const page = listRows(rows, call.params)
    const fieldSelect = select && !Array.isArray(select) ? Object.entries(select).filter(([k]) => k !== 'language').map(([, v]) => v) : select
    const items = page.items.map((r) => applySelect(r, fieldSelect, () => false, true))
    return { result: { fields: items }, total: page.total, next: page.next }
  },
}

/** User fields of an entity type's items (smart process: CRM_{typeId}; built-ins: CRM_DEAL …). */
export function userFieldsOf(ctx: Emu, entityTypeId: number): UserFieldConfig[] {
  const builtin = BUILTIN_TYPES[entityTypeId]
  const entityId = builtin ? builtin.ufEntity : `CRM_${ctx.db.crm.types.find((t) => t.entityTypeId === entityTypeId)?.id ?? -1}`
  return ctx.db.crm.userFields.filter((f) => f.entityId === entityId)
}
