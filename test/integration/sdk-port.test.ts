/**
 * The SDK-backed port against the emulator, through the real SDK (B24OAuth over HTTP, the same
 * REST client code the frame uses). What the views rely on: one HTTP request for a batch,
 * per-command errors that do not sink the batch, every page of a list, AppError kinds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { startSeededEmulator } from '../support/seeded-emulator.ts'
import type { PortalUser } from '../../emulator/core/types.ts'
import { AppError } from '../../src/platform/errors.ts'
import { CONTRACT_TYPE } from '../../src/domain/schema.ts'
import { createNodePort } from '../support/node-port.ts'
import type { NodePort } from '../support/node-port.ts'

let emu: Emulator
let entityTypeId: number

function portFor(user: PortalUser): NodePort {
  return createNodePort({ origin: emu.origin, userId: user.ID, ctx: emu.ctx })
}

function userWhere(pred: (u: PortalUser) => boolean): PortalUser {
  const user = emu.ctx.db.users.find((u) => u.ACTIVE && pred(u))
  if (!user) throw new Error('the demo seed has no such user')
  return user
}

async function firstContractId(): Promise<number> {
  const admin = userWhere((u) => u.IS_ADMIN)
  const { result } = await emu.ctx.callAs(admin.ID, 'crm.item.list', { entityTypeId, select: ['id'], order: { id: 'ASC' } })
  const items = (result as { items: { id: number }[] }).items
  if (!items[0]) throw new Error('the demo seed has no contracts')
  return Number(items[0].id)
}

beforeAll(async () => {
  emu = await startSeededEmulator({ port: 0, host: '127.0.0.1', seed: 'demo', rateLimit: false })
  const admin = userWhere((u) => u.IS_ADMIN)
  const { result } = await emu.ctx.callAs(admin.ID, 'crm.type.list', {})
  const types = (result as { types: { title: string; entityTypeId: number }[] }).types
  const type = types.find((t) => t.title === CONTRACT_TYPE.title)
  if (!type) throw new Error('the demo seed has no contracts smart process')
  entityTypeId = Number(type.entityTypeId)
})

afterAll(async () => {
  await emu?.close()
})

describe('SDK port against the emulator', () => {
  it('reads the current user with a full name', async () => {
    const user = userWhere((u) => u.crmRead === 'all')
    const me = await portFor(user).currentUser()
    expect(me.id).toBe(user.ID)
    expect(me.fullName).toBe(`${user.NAME} ${user.LAST_NAME}`.trim())
  })

  it('runs the contract tab batch (user.current + crm.item.get) in ONE HTTP request', async () => {
    const user = userWhere((u) => u.crmRead === 'all')
    const id = await firstContractId()
    const port = portFor(user)
    const before = port.requestCount()
    const outcome = await port.batch({
      me: { method: 'user.current' },
      item: { method: 'crm.item.get', params: { entityTypeId, id } },
    })
    expect(port.requestCount() - before).toBe(1)
    expect(outcome.errors).toEqual({})
    expect((outcome.results.me as { ID: unknown }).ID).toEqual(expect.anything())
    expect(Number((outcome.results.item as { item: { id: number } }).item.id)).toBe(id)
  })

  it('reports a denied item per command and still answers the others', async () => {
    const user = userWhere((u) => u.crmRead === 'none')
    const id = await firstContractId()
    const outcome = await portFor(user).batch({
      me: { method: 'user.current' },
      item: { method: 'crm.item.get', params: { entityTypeId, id } },
    })
    expect(Number((outcome.results.me as { ID: unknown }).ID)).toBe(user.ID)
    expect(outcome.results.item).toBeUndefined()
    expect(outcome.errors.item).toBeInstanceOf(AppError)
    expect(outcome.errors.item?.kind).toBe('access')
  })

  it('rejects a missing item with kind notFound', async () => {
    const user = userWhere((u) => u.crmRead === 'all')
    const error = await portFor(user).getItem(entityTypeId, 987_654_321).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).kind).toBe('notFound')
  })

  it('lists every contract across pages', async () => {
    const admin = userWhere((u) => u.IS_ADMIN)
    const { result, total } = await emu.ctx.callAs(admin.ID, 'crm.item.list', { entityTypeId, select: ['id'] })
    const expected = total ?? (result as { items: unknown[] }).items.length
    const items = await portFor(admin).listItems(entityTypeId, { select: ['title'] })
    expect(items).toHaveLength(expected)
    expect(new Set(items.map((i) => i.id)).size).toBe(expected)
  })

  it('carries each counted list\'s total and next offset; start -1 lists and non-lists carry none', async () => {
    const admin = userWhere((u) => u.IS_ADMIN)
    const count = async () => (await emu.ctx.callAs(admin.ID, 'crm.item.list', { entityTypeId, select: ['id'] })).total ?? 0
    // Well over two pages, so the middle page has both a total and a next.
    for (let n = await count(); n < 2 * 50 + 7; n++) {
      await emu.ctx.callAs(admin.ID, 'crm.item.add', { entityTypeId, fields: { title: `Договор для подсчёта ${n}` } })
    }
    const all = await count()
    const expectedNext = (await emu.ctx.callAs(admin.ID, 'crm.item.list', { entityTypeId, select: ['id'], start: 50 })).next
    const port = portFor(admin)
    const before = port.requestCount()
    const outcome = await port.batch({
      me: { method: 'user.current' },
      first: { method: 'crm.item.list', params: { entityTypeId, select: ['id'], start: 0 } },
      middle: { method: 'crm.item.list', params: { entityTypeId, select: ['id'], start: 50 } },
      last: { method: 'crm.item.list', params: { entityTypeId, select: ['id'], start: 100 } },
      none: { method: 'crm.item.list', params: { entityTypeId, select: ['id'], filter: { title: 'нет такого договора' }, start: 0 } },
      uncounted: { method: 'crm.item.list', params: { entityTypeId, select: ['id'], start: -1 } },
    })
    expect(port.requestCount() - before).toBe(1)
    expect(outcome.errors).toEqual({})
    expect(outcome.totals).toEqual({ first: all, middle: all, last: all, none: 0 })
    expect(expectedNext).toBe(100)
    expect(outcome.next).toEqual({ first: 50, middle: expectedNext })
    expect((outcome.results.uncounted as { items: unknown[] }).items).toHaveLength(50)
  })

  it('reads users by id', async () => {
    const [a, b] = emu.ctx.db.users.filter((u) => u.ACTIVE)
    if (!a || !b) throw new Error('the demo seed needs two users')
    const users = await portFor(a).getUsers([b.ID, a.ID, b.ID])
    expect(users.map((u) => u.id).sort()).toEqual([a.ID, b.ID].sort())
  })

  it('refuses app options to a non-admin and stores them for an admin', async () => {
    const nonAdmin = userWhere((u) => !u.IS_ADMIN)
    const denied = await portFor(nonAdmin).setAppOption('ca_test', { v: 1 }).catch((e: unknown) => e)
    expect((denied as AppError).kind).toBe('access')
    const admin = userWhere((u) => u.IS_ADMIN)
    await portFor(admin).setAppOption('ca_test', { v: 2 })
    expect(await portFor(nonAdmin).appOption('ca_test')).toEqual({ v: 2 })
  })

  it('refuses a batch over 50 commands before sending it', async () => {
    const user = userWhere((u) => u.crmRead === 'all')
    const port = portFor(user)
    const commands: Record<string, { method: string }> = {}
    for (let i = 0; i < 51; i++) commands[`c${i}`] = { method: 'user.current' }
    const error = await port.batch(commands).catch((e: unknown) => e)
    expect((error as AppError).kind).toBe('validation')
    expect(port.requestCount()).toBe(0)
  })
})
