/**
 * Step "routes" and the install record. A portal the installer knows nothing about gets one
 * route anyone can use at once (the author's department head, then the admin who installed);
 * the admin edits it in Settings. Routes that exist are never overwritten, valid or not.
 */
import { APP_OPTION_KEYS, itemFieldNames } from '../../domain/schema.ts'
import { parseRouteSet, serializeRouteSet } from '../../domain/route.ts'
import type { RouteSet } from '../../domain/route.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { InstallRecord, StepState } from './types.ts'

export function starterRoutes(adminId: number, lang: string, at: string): RouteSet {
  const ru = lang === 'ru'
  return {
    v: 1,
    version: 1,
    updatedAt: at,
    updatedBy: adminId,
    routes: [
      {
        id: 'standard',
        name: ru ? 'Стандартный маршрут' : 'Standard route',
        isDefault: true,
        conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
        steps: [
          { title: ru ? 'Руководитель отдела' : 'Head of department', approvers: [{ kind: 'departmentHead' }], mode: 'any', slaHours: 24 },
          { title: ru ? 'Администратор' : 'Administrator', approvers: [{ kind: 'user', userId: adminId }], mode: 'all', slaHours: 48 },
        ],
      },
    ],
  }
}

export async function ensureRoutes(port: BitrixPort, fallback: () => Promise<RouteSet>, state: StepState): Promise<void> {
  const raw = await port.appOption<unknown>(APP_OPTION_KEYS.routes)
  const parsed = parseRouteSet(raw)
  if (!parsed.ok || parsed.set.routes.length > 0) {
    state.found.push(APP_OPTION_KEYS.routes)
    return
  }
  const set = await fallback()
  await port.setAppOption(APP_OPTION_KEYS.routes, serializeRouteSet(set))
  state.created.push(...set.routes.map((r) => r.name))
}

export function buildRecord(typeId: number, entityTypeId: number, categoryId: number, at: string, appCode?: string): InstallRecord {
  return { version: 1, typeId, entityTypeId, categoryId, fields: itemFieldNames(typeId), installedAt: at, ...(appCode ? { appCode } : {}) }
}

/** Reads the stored record: an object or its JSON (portals differ in how they keep options). */
export function parseInstallRecord(raw: unknown): InstallRecord | undefined {
  let data = raw
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw)
    } catch {
      return undefined
    }
  }
  if (typeof data !== 'object' || data === null) return undefined
  const r = data as Record<string, unknown>
  const typeId = Number(r.typeId)
  const entityTypeId = Number(r.entityTypeId)
  const categoryId = Number(r.categoryId)
  if (!(typeId > 0 && entityTypeId > 0 && Number.isInteger(categoryId) && categoryId >= 0)) return undefined
  return {
    version: 1,
    typeId,
    entityTypeId,
    categoryId,
    fields: itemFieldNames(typeId),
    installedAt: typeof r.installedAt === 'string' ? r.installedAt : '',
    ...(typeof r.appCode === 'string' && r.appCode !== '' ? { appCode: r.appCode } : {}),
  }
}
