/**
 * Step "type": find the contracts smart process or create it. Our own type carries
 * CONTRACT_TYPE_CODE, so a rerun after a crash (even one right after crm.type.add succeeded)
 * finds it and never creates a second one; a foreign type named like contracts is only used when
 * the admin chose to adopt it, and then gets ADOPTED_TYPE_CODE (if it had no code) so a rerun
 * resumes with it too.
 */
import { ADOPTED_TYPE_CODE, CONTRACT_TYPE, CONTRACT_TYPE_CODE } from '../../domain/schema.ts'
import { AppError, toAppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { AdoptCandidate, InstallOptions, InstallRecord, StepState } from './types.ts'

export interface TypeInfo {
  id: number
  entityTypeId: number
  title: string
  code: string
  flags: Record<string, string>
}

/** Flags the app relies on: stages for the workflow, client for the counterparty, dates for the term. */
const REQUIRED_FLAGS = ['isStagesEnabled', 'isClientEnabled', 'isBeginCloseDatesEnabled'] as const

/**
 * What crm.type.add gets. Categories off (one funnel is the approval workflow); automation and
 * business processes on, so customers keep their robots; recycle bin and observers as Bitrix24's
 * own defaults for a new smart process.
 */
function newTypeFields(lang: string): Record<string, unknown> {
  return {
    title: lang === 'ru' ? CONTRACT_TYPE.title : CONTRACT_TYPE.titleEn,
    code: CONTRACT_TYPE_CODE,
    isStagesEnabled: 'Y',
    isCategoriesEnabled: 'N',
    isClientEnabled: 'Y',
    isBeginCloseDatesEnabled: 'Y',
    isAutomationEnabled: 'Y',
    isBizProcEnabled: 'Y',
    isObserversEnabled: 'Y',
    isRecyclebinEnabled: 'Y',
    isDocumentsEnabled: 'Y',
    isUseInUserfieldEnabled: 'Y',
  }
}

function toTypeInfo(raw: unknown): TypeInfo {
  const r = (raw ?? {}) as Record<string, unknown>
  const flags: Record<string, string> = {}
  for (const [k, v] of Object.entries(r)) if (k.startsWith('is') && typeof v === 'string') flags[k] = v
  return {
    id: Number(r.id),
    entityTypeId: Number(r.entityTypeId),
    title: String(r.title ?? ''),
    code: String(r.code ?? ''),
    flags,
  }
}

async function getType(port: BitrixPort, id: number): Promise<TypeInfo | null> {
  try {
    const res = await port.call<{ type?: unknown }>('crm.type.get', { id })
    return res?.type ? toTypeInfo(res.type) : null
  } catch (e) {
    const err = toAppError(e)
    // A deleted type is "not there": the installer recreates it. Any other error stops the run.
    if (err.kind === 'notFound') return null
    throw err
  }
}

async function listTypes(port: BitrixPort): Promise<TypeInfo[]> {
  const rows = await port.list<unknown>('crm.type.list', {}, { resultKey: 'types' })
  return rows.map(toTypeInfo)
}

export function isAdoptable(title: string): boolean {
  const wanted: readonly string[] = CONTRACT_TYPE.adoptableTitles
  return wanted.includes(title.trim().toLowerCase())
}

/**
 * `own`: the installer created this type (now or in an interrupted run), so it may shape the
 * funnel freely; an adopted type is the customer's and keeps its stages.
 */
export type TypeOutcome = { type: TypeInfo; own: boolean } | { candidates: AdoptCandidate[] }

/**
 * Finds or creates the smart process. Order: the stored record → a type with our code → the
 * admin's adopt choice → (no choice yet and a contracts-like type exists) ask → create.
 */
export async function ensureSmartProcess(
  port: BitrixPort,
  stored: InstallRecord | undefined,
  opts: Pick<InstallOptions, 'adopt'> & { lang: string },
  state: StepState,
): Promise<TypeOutcome> {
  let type: TypeInfo | null = null
  if (stored) type = await getType(port, stored.typeId)
  if (!type) {
    const all = await listTypes(port)
    type = all.find((t) => t.code === CONTRACT_TYPE_CODE) ?? all.find((t) => t.code === ADOPTED_TYPE_CODE) ?? null
    if (!type && opts.adopt && opts.adopt !== 'create') {
      const typeId = opts.adopt.typeId
      type = all.find((t) => t.id === typeId) ?? null
      if (!type) throw new AppError('notFound', 'INSTALL_ADOPT_NOT_FOUND', `Smart process ${typeId} chosen for adoption no longer exists`)
    }
    if (!type && opts.adopt === undefined) {
      const candidates = all.filter((t) => isAdoptable(t.title)).map(({ id, entityTypeId, title }) => ({ id, entityTypeId, title }))
      if (candidates.length > 0) return { candidates }
    }
  }
  if (!type) {
    const res = await port.call<{ type?: unknown }>('crm.type.add', { fields: newTypeFields(opts.lang) })
    type = toTypeInfo(res?.type)
    if (!(type.id > 0 && type.entityTypeId > 0)) throw new AppError('unknown', 'INSTALL_BAD_TYPE', 'crm.type.add returned no type')
    state.created.push(type.title)
    return { type, own: true }
  }
  state.found.push(type.title)
  const missing = REQUIRED_FLAGS.filter((f) => type.flags[f] !== 'Y')
  const fields: Record<string, string> = {}
  for (const f of missing) fields[f] = 'Y'
  // An adopted type gets our code, so a rerun interrupted before the record is stored resumes
  // with it instead of asking the admin again.
  if (type.code === '') fields.code = ADOPTED_TYPE_CODE
  if (Object.keys(fields).length > 0) {
    await port.call('crm.type.update', { id: type.id, fields })
    state.updated.push(...Object.keys(fields))
  }
  return { type, own: type.code === CONTRACT_TYPE_CODE }
}
