/**
 * Where the contracts live on this portal: what the installer recorded in the `ca_install` app
 * option. In the frame it arrives with APP_OPTIONS, so reading it costs no REST request.
 */
import { AppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import { decodeStoredJson } from '../../domain/json.ts'
import { APP_OPTION_KEYS, FIELDS, itemFieldNames, type FieldKey } from '../../domain/schema.ts'

export interface ContractSpace {
  readonly typeId: number
  readonly entityTypeId: number
  readonly categoryId: number
  /** crm.item.* names of our user fields. */
  readonly fields: Readonly<Record<FieldKey, string>>
  /** The app's code from the install record (links that open the app); absent in older records. */
  readonly appCode?: string
}

function positiveInt(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN
  return Number.isInteger(n) && n >= 0 ? n : null
}

/** Reads the option's value (object, or the JSON string app.option.get may hand back). */
export function parseContractSpace(raw: unknown): ContractSpace | null {
  const decoded = decodeStoredJson(raw)
  const data = decoded.ok ? decoded.value : null
  if (typeof data !== 'object' || data === null) return null
  const o = data as Record<string, unknown>
  const typeId = positiveInt(o.typeId)
  const entityTypeId = positiveInt(o.entityTypeId)
  const categoryId = positiveInt(o.categoryId) ?? 0
  if (!typeId || !entityTypeId) return null
  const derived = itemFieldNames(typeId)
  const given = (typeof o.fields === 'object' && o.fields !== null ? o.fields : {}) as Record<string, unknown>
  const fields = {} as Record<FieldKey, string>
  for (const key of Object.keys(FIELDS) as FieldKey[]) {
    const name = given[key]
    fields[key] = typeof name === 'string' && name !== '' ? name : derived[key]
  }
  const appCode = typeof o.appCode === 'string' && o.appCode !== '' ? o.appCode : undefined
  return { typeId, entityTypeId, categoryId, fields, ...(appCode ? { appCode } : {}) }
}

export async function loadContractSpace(port: BitrixPort): Promise<ContractSpace> {
  const space = parseContractSpace(await port.appOption(APP_OPTION_KEYS.install))
  if (!space) throw new AppError('validation', 'NOT_INSTALLED', 'The app is not installed on this portal (no ca_install option)')
  return space
}
