/**
 * Step "storage": the app's data storage for the absences people set themselves
 * (domain/deputies.ts, `DEPUTIES_ENTITY`), with write rights for every authorized user
 * (`{"AU": "W"}`, b24restdocs api-reference/entity/index.md#access-levels). Idempotent: a storage
 * that exists is kept; its rights are widened to `AU: W` only when they lack it and the caller
 * manages the storage (`X`, which its creator holds). The app also calls this on first use, for
 * portals installed before the storage existed (entity.add is open to any user of the app).
 */
import { DEPUTIES_ENTITY } from '../../domain/deputies.ts'
import { isAppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { StepState } from './types.ts'

export const STORAGE_NAME = { ru: 'Заместители на время отсутствия', en: 'Deputies during absences' }
export const STORAGE_ACCESS: Readonly<Record<string, 'W'>> = { AU: 'W' }

const codeOf = (e: unknown): string => (isAppError(e) ? e.code : '')

/** Creates the storage if it is missing; reports what it found, created or updated. */
export async function ensureStorage(port: BitrixPort, lang: string, state?: StepState): Promise<void> {
  try {
    await port.call('entity.add', { ENTITY: DEPUTIES_ENTITY, NAME: lang === 'ru' ? STORAGE_NAME.ru : STORAGE_NAME.en, ACCESS: STORAGE_ACCESS })
    state?.created.push(DEPUTIES_ENTITY)
    return
  } catch (e) {
    if (codeOf(e) !== 'ERROR_ENTITY_ALREADY_EXISTS') throw e
  }
  state?.found.push(DEPUTIES_ENTITY)
  const rights = await port.call<Record<string, string> | null>('entity.rights', { ENTITY: DEPUTIES_ENTITY })
  const au = rights?.AU
  if (au === 'W' || au === 'X') return
  try {
    await port.call('entity.rights', { ENTITY: DEPUTIES_ENTITY, ACCESS: { ...(rights ?? {}), ...STORAGE_ACCESS } })
    state?.updated.push(`${DEPUTIES_ENTITY}: AU=W`)
  } catch (e) {
    // Only whoever manages the storage may change its rights; the storage itself is there.
    if (codeOf(e) !== 'ACCESS_DENIED') throw e
  }
}
