/**
 * Step "stages": the default funnel of the smart process gets the STAGES of schema.ts, named in
 * the portal's language from src/locales (`stages.*`). Bitrix24 creates NEW / PREPARATION /
 * CLIENT / SUCCESS / FAIL with every funnel: ours are renamed, the missing ones added with their semantics, and on our own type the other default stages are
 * removed while no item sits in them (an adopted type keeps its stages).
 */
import { STAGES, stageCodeOf, stageEntityId, stageId } from '../../domain/schema.ts'
import type { StageDef } from '../../domain/schema.ts'
import { pickLocale, translator } from '../../locales/index.ts'
import { AppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { StepState } from './types.ts'

interface StatusRow {
  ID: string | number
  STATUS_ID: string
  NAME: string
  SORT: string | number
  COLOR?: string | null
  SEMANTICS?: string | null
  SYSTEM?: string
}

const SEMANTICS_CODE: Record<StageDef['semantics'], string | null> = { process: null, success: 'S', failure: 'F' }

/** The default funnel's id: the category flagged default, else the first one. */
export async function defaultCategoryId(port: BitrixPort, entityTypeId: number): Promise<number> {
  const res = await port.call<{ categories?: { id: number | string; isDefault?: string }[] }>('crm.category.list', { entityTypeId })
  const cats = res?.categories ?? []
  const cat = cats.find((c) => c.isDefault === 'Y') ?? cats[0]
  if (!cat) throw new AppError('notFound', 'INSTALL_NO_CATEGORY', `Smart process ${entityTypeId} has no funnel`)
  return Number(cat.id)
}

async function funnelHasItems(port: BitrixPort, entityTypeId: number, statusId: string): Promise<boolean> {
  const res = await port.call<{ items?: unknown[] }>('crm.item.list', { entityTypeId, filter: { stageId: statusId }, select: ['id'], start: -1 })
  return (res?.items ?? []).length > 0
}

export async function ensureStages(
  port: BitrixPort,
  entityTypeId: number,
  categoryId: number,
  opts: { lang: string; ownType: boolean },
  state: StepState,
): Promise<void> {
  const entityId = stageEntityId(entityTypeId, categoryId)
  const rows = (await port.call<StatusRow[]>('crm.status.list', { filter: { ENTITY_ID: entityId } })) ?? []
  const byStatusId = new Map(rows.map((r) => [r.STATUS_ID, r]))
  // Stage names are the app's texts (src/locales `stages.*`), in the portal's language.
  const t = await translator(pickLocale(opts.lang))

  for (const def of STAGES) {
    const statusId = stageId(entityTypeId, categoryId, def.code)
    const name = t(`stages.${def.code}`)
    const row = byStatusId.get(statusId)
    if (!row) {
      const fields: Record<string, unknown> = { ENTITY_ID: entityId, STATUS_ID: statusId, NAME: name, SORT: def.sort, COLOR: def.color }
      const semantics = SEMANTICS_CODE[def.semantics]
      if (semantics) fields.SEMANTICS = semantics
      await port.call('crm.status.add', { fields })
      state.created.push(def.code)
      continue
    }
    const changes: Record<string, unknown> = {}
    if (row.NAME !== name) changes.NAME = name
    if (Number(row.SORT) !== def.sort) changes.SORT = def.sort
    if ((row.COLOR ?? '').toUpperCase() !== def.color.toUpperCase()) changes.COLOR = def.color
    if (Object.keys(changes).length === 0) {
      state.found.push(def.code)
    } else {
      await port.call('crm.status.update', { id: Number(row.ID), fields: changes })
      state.updated.push(def.code)
    }
  }

  if (!opts.ownType) return
  for (const row of rows) {
    if (stageCodeOf(row.STATUS_ID) || row.SYSTEM === 'Y') continue
    if (await funnelHasItems(port, entityTypeId, row.STATUS_ID)) continue
    await port.call('crm.status.delete', { id: Number(row.ID) })
    state.removed.push(row.STATUS_ID.slice(row.STATUS_ID.indexOf(':') + 1))
  }
}
