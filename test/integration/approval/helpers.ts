/**
 * A demo portal with a contract and a route whose first step is an `all` step of N approvers,
 * and one Node port per person (the app's own sdk-port over the real SDK). Extra approvers are
 * added to the emulator's staff directly: the demo seed has a dozen people, these tests need 20.
 */
import type { Emulator } from '../../../emulator/server.ts'
import type { PortalUser } from '../../../emulator/core/types.ts'
import { createNodePort, type NodePort } from '../../support/node-port.ts'
import { startSeededEmulator } from '../../support/seeded-emulator.ts'
import { parseContractSpace, type ContractSpace } from '../../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../../src/domain/route.ts'
import { PEOPLE } from '../../support/people.ts'

export const AUTHOR = PEOPLE.salesManager
export const CEO = PEOPLE.ceo
export const ADMIN = PEOPLE.admin

export interface Portal {
  emu: Emulator
  space: ContractSpace
  port(userId: number): NodePort
  close(): Promise<void>
}

export async function startPortal(): Promise<Portal> {
  const emu = await startSeededEmulator({ port: 0, seed: 'demo', rateLimit: false, devMode: true })
  const space = parseContractSpace(emu.ctx.db.app.options[APP_OPTION_KEYS.install])
  if (!space) throw new Error('demo seed has no ca_install option')
  const ports = new Map<number, NodePort>()
  return {
    emu,
    space,
    port(userId) {
      let p = ports.get(userId)
      if (!p) {
        p = createNodePort({ origin: emu.origin, userId, ctx: emu.ctx, attempts: 3 })
        ports.set(userId, p)
      }
      return p
    },
    close: () => emu.close(),
  }
}

/** Adds `count` approvers (ids from 100) with full CRM rights; returns their ids. */
export function addApprovers(portal: Portal, count: number): number[] {
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const id = 100 + portal.emu.ctx.db.users.length + i
    const user: PortalUser = {
      ID: id, ACTIVE: true, NAME: `Согласующий${i + 1}`, LAST_NAME: 'Тестовый', SECOND_NAME: '', EMAIL: `approver${id}@example.test`,
      WORK_POSITION: 'Член комитета', PERSONAL_PHOTO: null, UF_DEPARTMENT: [1], IS_ADMIN: false, crmRead: 'all', crmWrite: 'all',
      webhookSecret: `s${id}`, LANG: 'ru',
    }
    ids.push(id)
    portal.emu.ctx.db.users.push(user)
  }
  return ids
}

export function committeeRoutes(approverIds: readonly number[], then: readonly number[] = [CEO]): RouteSet {
  return {
    v: 1, version: 1, updatedAt: null, updatedBy: null,
    routes: [{
      id: 'committee', name: 'Комитет', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
      steps: [
        { title: 'Комитет', mode: 'all', slaHours: 24, approvers: approverIds.map((userId) => ({ kind: 'user' as const, userId })) },
        { title: 'Генеральный директор', mode: 'all', slaHours: 48, approvers: then.map((userId) => ({ kind: 'user' as const, userId })) },
      ],
    }],
  }
}

export async function setRoutes(portal: Portal, set: RouteSet): Promise<void> {
  await portal.port(ADMIN).setAppOption(APP_OPTION_KEYS.routes, serializeRouteSet(set))
}

/** A fresh draft contract of the author. */
export async function createDraft(portal: Portal, title = 'Договор поставки с ООО «Тест»'): Promise<number> {
  const f = portal.space.fields
  const res = await portal.port(AUTHOR).call<{ item: { id: number } }>('crm.item.add', {
    entityTypeId: portal.space.entityTypeId,
    fields: { title, assignedById: AUTHOR, [f.number]: 'T-1', [f.amount]: '500000|RUB', opportunity: 500000, currencyId: 'RUB' },
  })
  return Number(res.item.id)
}

/** Test speed: the settle window is what takes time, the convergence logic is the same. */
export const FAST = { settleMs: 60, maxAttempts: 40 }

export function db(portal: Portal) {
  return portal.emu.ctx.db
}

export function logMessagesOf(portal: Portal, itemId: number) {
  return db(portal).crm.logMessages.filter((m) => m.entityTypeId === portal.space.entityTypeId && m.entityId === itemId)
}

export function todosOf(portal: Portal, itemId: number) {
  return db(portal).crm.activities.filter((a) => a.ownerTypeId === portal.space.entityTypeId && a.ownerId === itemId)
}

export function notificationsAbout(portal: Portal, itemId: number) {
  return db(portal).notifications.filter((n) => n.tag?.startsWith(`CA|${itemId}|`))
}
