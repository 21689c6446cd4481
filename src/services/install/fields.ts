/**
 * Step "fields": every FIELDS entry of schema.ts as a user field of the smart process
 * (`userfieldconfig.add`, entity `CRM_{typeId}`). Existing fields are kept as they are: the admin
 * may have relabelled them. Missing ones are added in one batch; a command that fails leaves the
 * others in place and the rerun adds only what is still missing.
 */
import { FIELDS, userFieldName } from '../../domain/schema.ts'
import type { FieldDef, FieldKey } from '../../domain/schema.ts'
import type { BatchCommand, BitrixPort } from '../../platform/port.ts'
import type { StepState } from './types.ts'

const yn = (v: boolean): 'Y' | 'N' => (v ? 'Y' : 'N')

/** userfieldconfig.add's `field` for one of ours. Labels in both languages: the portal shows its own. */
export function userFieldInput(typeId: number, key: FieldKey, sort: number): Record<string, unknown> {
  const def: FieldDef = FIELDS[key]
  const label = { ru: def.label.ru, en: def.label.en }
  const field: Record<string, unknown> = {
    entityId: `CRM_${typeId}`,
    fieldName: userFieldName(typeId, key),
    userTypeId: def.type,
    multiple: yn(def.multiple),
    mandatory: 'N',
    showFilter: yn(def.showInFilter),
    showInList: yn(def.showInList),
    // Hidden fields (the approval log) must not be editable from the list either.
    editInList: yn(def.showInForm && def.showInList),
    isSearchable: 'N',
    sort,
    editFormLabel: label,
    listColumnLabel: label,
    listFilterLabel: label,
  }
  // The log is JSON that grows with every decision: a multi-line string, not a one-line input.
  if (key === 'approvalLog') field.settings = { ROWS: 10 }
  return field
}

export async function ensureFields(port: BitrixPort, typeId: number, state: StepState): Promise<void> {
  const entityId = `CRM_${typeId}`
  const existing = await port.list<{ fieldName?: string }>(
    'userfieldconfig.list',
    { moduleId: 'crm', filter: { entityId } },
    { resultKey: 'fields' },
  )
  const names = new Set(existing.map((f) => String(f.fieldName ?? '').toUpperCase()))
  const commands: Record<string, BatchCommand> = {}
  const keys = Object.keys(FIELDS) as FieldKey[]
  keys.forEach((key, i) => {
    const name = userFieldName(typeId, key)
    if (names.has(name)) {
      state.found.push(name)
      return
    }
    commands[key] = { method: 'userfieldconfig.add', params: { moduleId: 'crm', field: userFieldInput(typeId, key, (i + 1) * 100) } }
  })
  const outcome = await port.batch(commands)
  for (const key of Object.keys(commands) as FieldKey[]) {
    if (outcome.results[key] !== undefined && !outcome.errors[key]) state.created.push(userFieldName(typeId, key))
  }
  const failed = Object.values(outcome.errors)[0]
  if (failed) throw failed
}
