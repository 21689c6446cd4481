/**
 * The unmodified @bitrix24/b24jssdk against the emulator over real HTTP: if these pass, the
 * app's SDK calls behave against the emulator the way they do against a portal (envelope,
 * paging, batch, token refresh, rate-limit retries, error surfacing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { startSeededEmulator } from '../support/seeded-emulator.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import type { InstallInfo } from '../../emulator/seed/demo.ts'
import { sdkClientFor } from './sdk-client.ts'

let emu: Emulator
let install: InstallInfo

beforeAll(async () => {
  emu = await startSeededEmulator({ seed: 'demo', scaleContracts: 120, rateLimit: false })
  install = emu.ctx.db.app.options.ca_install as InstallInfo
})

afterAll(async () => {
  await emu?.close()
})

describe('real SDK against the emulator', () => {
  it('makes a call and reads the envelope', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.admin)
    const res = await b24.actions.v2.call.make<{ ID: string; NAME: string }>({ method: 'user.current' })
    expect(res.isSuccess).toBe(true)
    expect(res.getData()?.result.ID).toBe('1')
  })

  it('callList pages through more than 50 items', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.admin)
    const res = await b24.actions.v2.callList.make<{ id: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: install.entityTypeId, select: ['id', 'title'] },
      idKey: 'id',
      customKeyForResult: 'items',
    })
    expect(res.isSuccess).toBe(true)
    const ids = (res.getData() ?? []).map((i) => i.id)
    const stored = Object.keys(emu.ctx.db.crm.items[String(install.entityTypeId)] ?? {}).length
    expect(stored).toBeGreaterThan(150)
    expect(ids).toHaveLength(stored)
    expect(new Set(ids).size).toBe(stored)
  })

  it('fetchList yields pages of 50 until the end', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.admin)
    const sizes: number[] = []
    for await (const chunk of b24.actions.v2.fetchList.make<{ id: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: install.entityTypeId, select: ['id'] },
      idKey: 'id',
      customKeyForResult: 'items',
    })) sizes.push(chunk.length)
    expect(sizes.slice(0, -1).every((n) => n === 50)).toBe(true)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(Object.keys(emu.ctx.db.crm.items[String(install.entityTypeId)] ?? {}).length)
  })

  it('fetchList respects CRM rights: an "own" author sees only their contracts', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.procurementManager)
    const seen: { id: number; assignedById: number }[] = []
    for await (const chunk of b24.actions.v2.fetchList.make<{ id: number; assignedById: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: install.entityTypeId, select: ['id', 'assignedById'] },
      idKey: 'id',
      customKeyForResult: 'items',
    })) seen.push(...chunk)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((i) => i.assignedById === PEOPLE.procurementManager)).toBe(true)
  })

  it('runs a batch with $result references', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.lawyer)
    const res = await b24.actions.v2.batch.make({
      calls: {
        me: { method: 'user.current' },
        dept: { method: 'department.get', params: { ID: '$result[me][UF_DEPARTMENT][0]' } },
      },
      options: { isHaltOnError: true },
    })
    expect(res.isSuccess).toBe(true)
    const data = res.getData() as { me: { ID: string }; dept: { ID: string; NAME: string }[] }
    expect(data.me.ID).toBe(String(PEOPLE.lawyer))
    expect(data.dept[0]?.NAME).toBe('Юридический отдел')
  })

  it('refreshes an expired token through /oauth/token/ and retries the call', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.cfo)
    expect((await b24.actions.v2.call.make({ method: 'profile' })).isSuccess).toBe(true)
    emu.ctx.auth.expireAll(PEOPLE.cfo)
    const before = emu.ctx.stats.calls['profile'] ?? 0
    const res = await b24.actions.v2.call.make<{ ID: number }>({ method: 'profile' })
    expect(res.isSuccess).toBe(true)
    expect(res.getData()?.result.ID).toBe(PEOPLE.cfo)
    // One refused call (401 expired_token) and one retried call after the refresh.
    expect((emu.ctx.stats.calls['profile'] ?? 0) - before).toBe(2)
  })

  it('rides out a QUERY_LIMIT_EXCEEDED storm by retrying', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.admin)
    const limitedBefore = emu.ctx.stats.limited
    emu.ctx.faults.limitStormUntil = Date.now() + 500
    const res = await b24.actions.v2.call.make({ method: 'server.time' })
    expect(res.isSuccess).toBe(true)
    expect(emu.ctx.stats.limited).toBeGreaterThan(limitedBefore)
  })

  it('surfaces ACCESS_DENIED as an error', async () => {
    const b24 = sdkClientFor(emu, PEOPLE.noAccess)
    const anyId = Number(Object.keys(emu.ctx.db.crm.items[String(install.entityTypeId)] ?? {})[0])
    let code: string | undefined
    try {
      const res = await b24.actions.v2.call.make({ method: 'crm.item.get', params: { entityTypeId: install.entityTypeId, id: anyId } })
      code = res.isSuccess ? 'success' : String(res.getErrors().next().value?.code ?? 'unknown')
    } catch (e) {
      code = (e as { code?: string }).code
    }
    expect(code).toBe('ACCESS_DENIED')
  })
})
