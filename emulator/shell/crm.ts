import type { EmulatorContext } from '../core/types.ts'

/**
 * What the shell reads through REST (as the current user, so CRM rights apply). The shell is
 * Bitrix24: it knows nothing of the app's fields or stages — it reads types, fields, stages and
 * the card layout the way the portal's own UI does.
 */

export interface CrmType {
  typeId: number
  entityTypeId: number
  title: string
  /** The type's switches (crm.type.list): isClientEnabled, isBeginCloseDatesEnabled… */
  flags: Record<string, unknown>
}

export interface RestError {
  error: string
  error_description?: string
  status?: number
}

export function isRestError(e: unknown): e is RestError {
  return typeof e === 'object' && e !== null && typeof (e as RestError).error === 'string'
}

export type Row = Record<string, unknown>

function adminId(ctx: EmulatorContext): number | undefined {
  return ctx.db.users.find((u) => u.IS_ADMIN && u.ACTIVE)?.ID
}

/** Every smart process of the portal (the CRM menu shows them to everyone, so read as an admin). */
export async function listTypes(ctx: EmulatorContext): Promise<CrmType[]> {
  const userId = adminId(ctx)
  if (userId === undefined) return []
  try {
    const { result } = await ctx.callAs(userId, 'crm.type.list', {})
    return ((result as { types?: Row[] })?.types ?? []).map((t) => ({
      typeId: Number(t.id),
      entityTypeId: Number(t.entityTypeId),
      title: String(t.title ?? ''),
      flags: t,
    }))
  } catch {
    return []
  }
}

/** entityTypeIds whose card carries a tab of the app (CRM_DYNAMIC_{id}_DETAIL_TAB). */
export function appTabEntityTypeIds(ctx: EmulatorContext): number[] {
  return ctx.db.app.placements
    .map((b) => /^CRM_DYNAMIC_(\d+)_DETAIL_TAB$/.exec(b.placement)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number)
}

/** The smart process the app works with: the one its card tab is bound to, else the first one. */
export async function findAppType(ctx: EmulatorContext): Promise<CrmType | undefined> {
  const types = await listTypes(ctx)
  const bound = appTabEntityTypeIds(ctx)
  return types.find((t) => bound.includes(t.entityTypeId)) ?? types[0]
}

export async function typeByEntityTypeId(ctx: EmulatorContext, entityTypeId: number): Promise<CrmType | undefined> {
  return (await listTypes(ctx)).find((t) => t.entityTypeId === entityTypeId)
}

export interface StageView {
  id: string
  name: string
  color: string
}

const NEUTRAL = '#A8ADB4'

/** A funnel's stages as the portal has them (crm.status.list, ENTITY_ID DYNAMIC_{etid}_STAGE_{cat}). */
export async function funnelStages(ctx: EmulatorContext, userId: number, entityTypeId: number, categoryId: number): Promise<StageView[]> {
  try {
    const { result } = await ctx.callAs(userId, 'crm.status.list', {
      filter: { ENTITY_ID: `DYNAMIC_${entityTypeId}_STAGE_${categoryId}` },
      order: { SORT: 'ASC' },
    })
    return ((result as Row[]) ?? []).map((s) => {
      const extra = (s.EXTRA ?? {}) as Row
      return { id: String(s.STATUS_ID), name: String(s.NAME ?? s.STATUS_ID), color: String(s.COLOR ?? extra.COLOR ?? NEUTRAL) }
    })
  } catch {
    // Stage names are decoration: a failing status list must not hide the contracts.
    return []
  }
}

/** Stage names for the funnels of the given items. */
export async function stageNames(ctx: EmulatorContext, userId: number, entityTypeId: number, categoryIds: number[]): Promise<(stageId: string) => StageView> {
  const known = new Map<string, StageView>()
  for (const cat of new Set(categoryIds)) {
    for (const s of await funnelStages(ctx, userId, entityTypeId, cat)) known.set(s.id, s)
  }
  return (stageId: string) => known.get(stageId) ?? { id: stageId, name: stageId, color: NEUTRAL }
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

/** crm.item.fields: name → description (type, title, isMultiple, isReadOnly, upperName, settings, items…). */
export async function itemFields(ctx: EmulatorContext, userId: number, entityTypeId: number): Promise<Record<string, Row>> {
  const { result } = await ctx.callAs(userId, 'crm.item.fields', { entityTypeId })
  return ((result as { fields?: Record<string, Row> })?.fields ?? {})
}

export interface LayoutSection {
  name: string
  title: string
  elements: string[]
}

/**
 * The card layout everyone sees (crm.item.details.configuration.get, common scope "C").
 * undefined = no layout set (the method answers null, or is not there): the portal's default card.
 */
export async function cardLayout(ctx: EmulatorContext, userId: number, entityTypeId: number, categoryId?: number): Promise<LayoutSection[] | undefined> {
  try {
    const { result } = await ctx.callAs(userId, 'crm.item.details.configuration.get', {
      entityTypeId,
      scope: 'C',
      ...(categoryId === undefined ? {} : { extras: { categoryId } }),
    })
    if (!Array.isArray(result) || result.length === 0) return undefined
    return (result as Row[]).map((s) => ({
      name: String(s.name ?? ''),
      title: String(s.title ?? ''),
      elements: (Array.isArray(s.elements) ? (s.elements as Row[]) : []).map((e) => String(e.name ?? '')),
    }))
  } catch {
    // ERROR_METHOD_NOT_FOUND (a portal without the method) or any other failure: the default
    // card, as Bitrix24 shows when nobody has set a layout.
    return undefined
  }
}

export interface Company {
  id: number
  title: string
}

/** Companies the user can see, for the card's client field (a few pages at most). */
export async function listCompanies(ctx: EmulatorContext, userId: number): Promise<Company[]> {
  const out: Company[] = []
  let start: number | undefined = 0
  for (let page = 0; page < 4 && start !== undefined; page++) {
    try {
      const res = await ctx.callAs(userId, 'crm.item.list', { entityTypeId: 4, select: ['id', 'title'], order: { title: 'ASC' }, start })
      for (const c of ((res.result as { items?: Row[] })?.items ?? [])) out.push({ id: Number(c.id), title: String(c.title ?? `#${String(c.id)}`) })
      start = res.next
    } catch {
      break
    }
  }
  return out
}

/** The portal's current time as server.time gives it (`2026-12-02T01:50:55+03:00`). */
export async function serverTime(ctx: EmulatorContext, userId: number): Promise<string> {
  try {
    const { result } = await ctx.callAs(userId, 'server.time', {})
    return String(result ?? '')
  } catch {
    return ''
  }
}
