import type { EmulatorContext } from '../core/types.ts'
import { APP_OPTION_KEYS, CONTRACT_TYPE, STAGES, stageCodeOf, stageEntityId } from '../../src/domain/schema.ts'
import type { Lang } from './session.ts'

/** What the shell reads through REST (as the current user, so CRM rights apply). */

export interface ContractType {
  typeId: number
  entityTypeId: number
  title: string
}

export interface RestError {
  error: string
  error_description?: string
  status?: number
}

export function isRestError(e: unknown): e is RestError {
  return typeof e === 'object' && e !== null && typeof (e as RestError).error === 'string'
}

type Row = Record<string, unknown>

function adminId(ctx: EmulatorContext): number | undefined {
  return ctx.db.users.find((u) => u.IS_ADMIN && u.ACTIVE)?.ID
}

function installRecord(ctx: EmulatorContext): Row | undefined {
  let raw = ctx.db.app.options[APP_OPTION_KEYS.install]
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw)
    } catch {
      return undefined
    }
  }
  return typeof raw === 'object' && raw !== null ? (raw as Row) : undefined
}

async function listTypes(ctx: EmulatorContext): Promise<Row[]> {
  // Type metadata is what the portal's own menu shows everyone, so read it with admin rights.
  const userId = adminId(ctx)
  if (userId === undefined) return []
  try {
    const { result } = await ctx.callAs(userId, 'crm.type.list', {})
    return ((result as { types?: Row[] })?.types ?? [])
  } catch {
    return []
  }
}

/** The contracts smart process: from the installer's record, else by its title. */
export async function findContractType(ctx: EmulatorContext): Promise<ContractType | undefined> {
  const rec = installRecord(ctx)
  if (rec && Number(rec.entityTypeId) > 0 && Number(rec.typeId) > 0) {
    return { typeId: Number(rec.typeId), entityTypeId: Number(rec.entityTypeId), title: CONTRACT_TYPE.title }
  }
  const titles: readonly string[] = CONTRACT_TYPE.adoptableTitles
  const found = (await listTypes(ctx)).find((t) => titles.includes(String(t.title ?? '').toLowerCase()))
  return found ? { typeId: Number(found.id), entityTypeId: Number(found.entityTypeId), title: String(found.title) } : undefined
}

export async function typeByEntityTypeId(ctx: EmulatorContext, entityTypeId: number): Promise<ContractType | undefined> {
  const rec = installRecord(ctx)
  if (rec && Number(rec.entityTypeId) === entityTypeId && Number(rec.typeId) > 0) {
    return { typeId: Number(rec.typeId), entityTypeId, title: CONTRACT_TYPE.title }
  }
  const found = (await listTypes(ctx)).find((t) => Number(t.entityTypeId) === entityTypeId)
  return found ? { typeId: Number(found.id), entityTypeId, title: String(found.title) } : undefined
}

export interface StageView {
  name: string
  color: string
}

/** Stage names as the portal has them (crm.status.list), falling back to the app's schema. */
export async function stageNames(
  ctx: EmulatorContext,
  userId: number,
  entityTypeId: number,
  categoryIds: number[],
  lang: Lang,
): Promise<(stageId: string) => StageView> {
  const known = new Map<string, StageView>()
  for (const cat of new Set(categoryIds)) {
    try {
      const { result } = await ctx.callAs(userId, 'crm.status.list', { filter: { ENTITY_ID: stageEntityId(entityTypeId, cat) } })
      for (const s of (result as Row[]) ?? []) {
        const extra = (s.EXTRA ?? {}) as Row
        known.set(String(s.STATUS_ID), { name: String(s.NAME ?? s.STATUS_ID), color: String(s.COLOR ?? extra.COLOR ?? '#A8ADB4') })
      }
    } catch {
      // Stage names are decoration: a failing status list must not hide the contracts.
    }
  }
  return (stageId: string) => {
    const hit = known.get(stageId)
    if (hit) return hit
    const def = STAGES.find((s) => s.code === stageCodeOf(stageId))
    return def ? { name: def.name[lang], color: def.color } : { name: stageId, color: '#A8ADB4' }
  }
}

export interface ItemPage {
  items: Row[]
  total?: number
  next?: number
}

export async function listItems(ctx: EmulatorContext, userId: number, entityTypeId: number, start: number): Promise<ItemPage> {
  const res = await ctx.callAs(userId, 'crm.item.list', { entityTypeId, order: { id: 'DESC' }, start })
  return { items: ((res.result as { items?: Row[] })?.items ?? []), total: res.total, next: res.next }
}

export async function getItem(ctx: EmulatorContext, userId: number, entityTypeId: number, id: number): Promise<Row> {
  const { result } = await ctx.callAs(userId, 'crm.item.get', { entityTypeId, id })
  return ((result as { item?: Row })?.item ?? {})
}
