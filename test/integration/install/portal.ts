/**
 * An empty emulated portal for installer tests (seed 'none': the admin only, no smart process),
 * plus what the tests read back through REST as the admin to judge what the installer did.
 */
import { startEmulator } from '../../../emulator/server.ts'
import type { PortalUser } from '../../../emulator/core/types.ts'
import { APP_OPTION_KEYS, CONTRACT_TYPE_CODE, stageEntityId } from '../../../src/domain/schema.ts'
import { createNodePort } from '../../support/node-port.ts'
import type { NodePort } from '../../support/node-port.ts'

export type Emulator = Awaited<ReturnType<typeof startEmulator>>

export const HANDLER = 'http://127.0.0.1:5173/'
export const ADMIN_ID = 1
export const EMPLOYEE_ID = 2

export async function emptyPortal(): Promise<Emulator> {
  const emu = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'none', rateLimit: false, devMode: true, handlerUrl: HANDLER })
  // The installer needs someone who is not an administrator to refuse.
  const employee: PortalUser = {
    ID: EMPLOYEE_ID, ACTIVE: true, NAME: 'Ирина', LAST_NAME: 'Сотрудникова', SECOND_NAME: '', EMAIL: 'irina@example.test',
    WORK_POSITION: 'Менеджер', PERSONAL_PHOTO: null, UF_DEPARTMENT: [1], IS_ADMIN: false, crmRead: 'all', crmWrite: 'all',
    webhookSecret: 'employee-secret', LANG: 'ru',
  }
  emu.ctx.db.users.push(employee)
  return emu
}

export function portAs(emu: Emulator, userId: number, extra: { isAdmin?: boolean } = {}): NodePort {
  return createNodePort({ origin: emu.origin, userId, ctx: emu.ctx, ...extra })
}

/** The next `count` calls of `method` fail with HTTP 500, through the emulator's control endpoint. */
export async function failNext(emu: Emulator, method: string, count = 1): Promise<void> {
  const res = await fetch(`${emu.origin}/_emulator/control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Emulator-Token': emu.ctx.controlToken },
    body: JSON.stringify({ failMethods: { [method]: count } }),
  })
  if (!res.ok) throw new Error(`control endpoint answered ${res.status}`)
}

async function rest<T>(emu: Emulator, method: string, params: Record<string, unknown> = {}): Promise<T> {
  return (await emu.ctx.callAs(ADMIN_ID, method, params)).result as T
}

export interface TypeRow {
  id: number
  entityTypeId: number
  title: string
  code: string
}

export interface PortalState {
  types: TypeRow[]
  /** Stage codes of each type's default funnel, in sort order. */
  stages: Record<number, { code: string; name: string; semantics: string | null }[]>
  /** User field names per type id. */
  fields: Record<number, string[]>
  placements: { placement: string; handler: string }[]
  options: Record<string, unknown>
}

/** Everything the installer may have touched, read back with REST as the admin. */
export async function portalState(emu: Emulator): Promise<PortalState> {
  const types = (await rest<{ types: TypeRow[] }>(emu, 'crm.type.list')).types
  const state: PortalState = { types, stages: {}, fields: {}, placements: [], options: {} }
  for (const t of types) {
    const cats = (await rest<{ categories: { id: number; isDefault: string }[] }>(emu, 'crm.category.list', { entityTypeId: t.entityTypeId })).categories
    const cat = cats.find((c) => c.isDefault === 'Y') ?? cats[0]
    const rows = cat
      ? await rest<{ STATUS_ID: string; NAME: string; SEMANTICS: string | null }[]>(emu, 'crm.status.list', {
        filter: { ENTITY_ID: stageEntityId(t.entityTypeId, cat.id) },
        order: { SORT: 'ASC' },
      })
      : []
    state.stages[t.id] = rows.map((r) => ({ code: r.STATUS_ID.split(':')[1] ?? '', name: r.NAME, semantics: r.SEMANTICS }))
    const names: string[] = []
    for (let start: number | undefined = 0; start !== undefined;) {
      const page: { result: unknown; next?: number } = await emu.ctx.callAs(ADMIN_ID, 'userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${t.id}` }, start })
      names.push(...(page.result as { fields: { fieldName: string }[] }).fields.map((f) => f.fieldName))
      start = page.next
    }
    state.fields[t.id] = names.sort()
  }
  state.placements = (await rest<{ placement: string; handler: string }[]>(emu, 'placement.get')).map((p) => ({ placement: p.placement, handler: p.handler }))
  for (const key of Object.values(APP_OPTION_KEYS)) state.options[key] = await rest<unknown>(emu, 'app.option.get', { option: key })
  return state
}

export function ourType(state: PortalState): TypeRow | undefined {
  return state.types.find((t) => t.code === CONTRACT_TYPE_CODE)
}
