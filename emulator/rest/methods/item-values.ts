/**
 * Converting crm.item field values in and out by user-field type, the way Bitrix24 does:
 * money `"300|RUB"`, employee ids as integers, booleans as Y/N, dates as ISO with the portal
 * offset, files as `[name, base64]` in and `{id, url, urlMachine}` out.
 */
import type { Call } from '../../core/context.ts'
import type { UserFieldConfig } from '../../core/db.ts'
import { invalidArg } from '../../core/errors.ts'
import { isoDate, isoDateTime } from '../../core/time.ts'
import { deleteFile, fileRef, storeFile } from '../files.ts'

/**
 * A string user field is stored in a MySQL TEXT column (65,535 bytes). Bitrix24 checks no length
 * unless the field's MAX_LENGTH says so (api-reference/crm/universal/userfieldconfig/userfieldconfig-add.md,
 * settings of `string`), and non-strict MySQL silently cuts what does not fit.
 */
export const TEXT_COLUMN_BYTES = 65_535

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function cutToBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s, 'utf8') <= maxBytes) return s
  let bytes = 0
  let out = ''
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8')
    if (bytes + n > maxBytes) break
    bytes += n
    out += ch
  }
  return out
}

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === ''

function toInt(v: unknown, name: string): number | null {
  if (isEmpty(v) || v === false) return null
  const n = typeof v === 'number' ? v : parseInt(String(v), 10)
  if (!Number.isFinite(n)) throw invalidArg(`Field ${name}: "${String(v)}" is not an integer`)
  return Math.trunc(n)
}

function scalarIn(f: UserFieldConfig, camel: string, v: unknown): unknown {
  switch (f.userTypeId) {
    case 'string':
    case 'url': {
      if (isEmpty(v)) return ''
      const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)
      const max = Number(f.settings.MAX_LENGTH ?? 0)
      if (max > 0 && Array.from(s).length > max) throw invalidArg(`Field ${camel}: the value is longer than ${max} characters`)
      // The value lives in a TEXT column: what does not fit is cut, silently, as MySQL does.
      return cutToBytes(s, TEXT_COLUMN_BYTES)
    }
    case 'integer':
    case 'employee':
    case 'enumeration':
      return toInt(v, camel)
    case 'double': {
      if (isEmpty(v)) return null
      const n = Number(v)
      if (!Number.isFinite(n)) throw invalidArg(`Field ${camel}: "${String(v)}" is not a number`)
      return n
    }
    case 'boolean':
      if (isEmpty(v)) return 'N'
      return v === true || v === 1 || v === '1' || v === 'Y' || v === 'y' || v === 'true' ? 'Y' : 'N'
    case 'date':
      return isEmpty(v) ? '' : isoDate(String(v))
    case 'datetime': {
      if (isEmpty(v)) return ''
      const iso = isoDateTime(String(v))
      if (iso === null) throw invalidArg(`Field ${camel}: "${String(v)}" is not a date`)
      return iso
    }
    case 'money': {
      if (isEmpty(v)) return ''
      if (typeof v === 'number') return `${v}|RUB`
      const m = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\|\s*([A-Z]{3}))?\s*$/.exec(String(v))
      if (!m) throw invalidArg(`Field ${camel}: "${String(v)}" is not money (amount|CUR)`)
      return `${m[1]}|${m[2] ?? 'RUB'}`
    }
    default:
      return v
  }
}

/** A `[name, base64]` pair (also `{fileData: [...]}`), or null when `v` is not a new file. */
function newFile(v: unknown): [string, string] | null {
  if (Array.isArray(v) && v.length >= 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]]
  if (v && typeof v === 'object' && 'fileData' in v) return newFile((v as { fileData: unknown }).fileData)
  return null
}

function keptId(v: unknown): number | null {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'id' in v) return Number((v as { id: unknown }).id)
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v)
  return null
}

/**
 * File field on add/update: ids the caller passes back as `{id}` stay, new `[name, base64]`
 * pairs are stored, every previous id left out is deleted (Bitrix24's documented behaviour).
 */
function filesIn(call: Call, f: UserFieldConfig, camel: string, v: unknown, previous: unknown, owner: { entityTypeId: number; itemId: number }): unknown {
  const before = (Array.isArray(previous) ? previous : previous === null || previous === undefined ? [] : [previous]).map(Number)
  const list = isEmpty(v) ? [] : newFile(v) || !Array.isArray(v) ? [v] : v
  const out: number[] = []
  for (const entry of list) {
    const nf = newFile(entry)
    if (nf) out.push(storeFile(call.ctx, nf[0], nf[1], { ...owner, field: camel }))
    else {
      const id = keptId(entry)
      if (id !== null && before.includes(id)) out.push(id)
    }
  }
  for (const id of before) if (!out.includes(id)) deleteFile(call.ctx, id)
  if (f.multiple === 'Y') return out
  return out[0] ?? null
}

export function valueIn(call: Call, f: UserFieldConfig, camel: string, v: unknown, previous: unknown, owner: { entityTypeId: number; itemId: number }): unknown {
  if (f.userTypeId === 'file') return filesIn(call, f, camel, v, previous, owner)
  if (f.multiple === 'Y') {
    const list = isEmpty(v) ? [] : Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [v]
    return list.map((x) => scalarIn(f, camel, x)).filter((x) => !isEmpty(x))
  }
  return scalarIn(f, camel, Array.isArray(v) ? v[0] : v)
}

export function valueOut(call: Call, f: UserFieldConfig, camel: string, v: unknown, owner: { entityTypeId: number; itemId: number }): unknown {
  if (f.userTypeId === 'file') {
    const ref = (id: unknown): unknown => (id === null || id === undefined ? null : fileRef(call, Number(id), { ...owner, field: camel }))
    return f.multiple === 'Y' ? (Array.isArray(v) ? v : []).map(ref) : ref(v)
  }
  if (f.multiple === 'Y') return Array.isArray(v) ? v : []
  if (v === undefined || v === '') return f.userTypeId === 'boolean' ? 'N' : null
  return v
}
