/**
 * REST shapes → the app's types. Bitrix24 spells users in UPPER_CASE with numbers as strings
 * (user.current / user.get), the selection dialog in its own lower-case shape.
 */
import type { CrmItem, PickedUser, PortalUserInfo } from './port.ts'

type Raw = Record<string, unknown>

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseInt(str(value), 10)
  return Number.isFinite(n) ? n : 0
}

/** "NAME LAST_NAME"; the e-mail or `#id` when a user has no name (invited, not yet joined). */
export function fullNameOf(name: string, lastName: string, email: string, id: number): string {
  const full = `${name} ${lastName}`.trim()
  if (full !== '') return full
  return email !== '' ? email : `#${id}`
}

/** A user.current / user.get row. */
export function mapUser(raw: unknown): PortalUserInfo {
  const r = (raw ?? {}) as Raw
  const id = num(r.ID)
  const name = str(r.NAME).trim()
  const lastName = str(r.LAST_NAME).trim()
  const photo = str(r.PERSONAL_PHOTO)
  const departments = Array.isArray(r.UF_DEPARTMENT) ? r.UF_DEPARTMENT.map(num).filter((d) => d > 0) : []
  return {
    id,
    name,
    lastName,
    fullName: fullNameOf(name, lastName, str(r.EMAIL), id),
    position: str(r.WORK_POSITION),
    photo: photo !== '' ? photo : null,
    departmentIds: departments,
    gender: r.PERSONAL_GENDER === 'M' ? 'male' : r.PERSONAL_GENDER === 'F' ? 'female' : null,
  }
}

/** A user as BX24.selectUser(s) returns it: `{ id: "12", name, photo, position, … }`. */
export function mapPickedUser(raw: unknown): PickedUser {
  const r = (raw ?? {}) as Raw
  const photo = str(r.photo)
  return { id: num(r.id), name: str(r.name), position: str(r.position), photo: photo !== '' ? photo : null }
}

/** crm.item.get / add / update answer `{ item: {...} }`. */
export function mapItemEnvelope(result: unknown): CrmItem {
  const item = ((result ?? {}) as Raw).item as Raw | undefined
  if (!item || typeof item !== 'object') throw new TypeError('crm.item answer has no item')
  return { ...item, id: num(item.id) }
}
