/** Side-effect methods the approval flow uses: log messages, to-dos, notifications, options. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import type { InstallInfo } from '../../emulator/seed/demo.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { rest, restAs, start } from './helpers.ts'

let emu: Emulator
let inst: InstallInfo
let contractId: number
beforeAll(async () => {
  emu = await start({ seed: 'demo' })
  inst = emu.ctx.db.app.options.ca_install as InstallInfo
  const r = await restAs(emu, PEOPLE.salesManager, 'crm.item.add', { entityTypeId: inst.entityTypeId, fields: { title: 'Для хроники' } })
  contractId = (r.body.result as { item: { id: number } }).item.id
})
afterAll(async () => {
  await emu.close()
})

describe('timeline', () => {
  it('lists log messages newest first, 10 per page', async () => {
    for (let i = 1; i <= 12; i++) {
      const r = await restAs(emu, PEOPLE.lawyer, 'crm.timeline.logmessage.add', { fields: { entityTypeId: inst.entityTypeId, entityId: contractId, title: `Шаг ${i}`, text: 'Согласовано' } })
      expect(r.status).toBe(200)
    }
    const page1 = await rest(emu, 'crm.timeline.logmessage.list', { entityTypeId: inst.entityTypeId, entityId: contractId })
    expect((page1.body.result as { title: string }[]).map((m) => m.title).slice(0, 2)).toEqual(['Шаг 12', 'Шаг 11'])
    expect(page1.body).toMatchObject({ total: 12, next: 10 })
    const page2 = await rest(emu, 'crm.timeline.logmessage.list', { entityTypeId: inst.entityTypeId, entityId: contractId, start: 10 })
    expect((page2.body.result as unknown[]).length).toBe(2)
  })

  it('refuses log messages on contracts the caller cannot read', async () => {
    const r = await restAs(emu, PEOPLE.procurementManager, 'crm.timeline.logmessage.add', { fields: { entityTypeId: inst.entityTypeId, entityId: contractId, title: 't', text: 't' } })
    expect(r.body.error).toBe('ACCESS_DENIED')
  })

  it('creates a to-do for an approver and closes it with crm.activity.update COMPLETED=Y', async () => {
    const add = await restAs(emu, PEOPLE.salesManager, 'crm.activity.todo.add', {
      ownerTypeId: inst.entityTypeId, ownerId: contractId, deadline: '2026-12-01T18:00:00', title: 'Согласовать договор', responsibleId: PEOPLE.cfo,
    })
    const id = (add.body.result as { id: number }).id
    const open = await restAs(emu, PEOPLE.cfo, 'crm.activity.list', { filter: { RESPONSIBLE_ID: PEOPLE.cfo, COMPLETED: 'N', PROVIDER_ID: 'CRM_TODO' } })
    expect((open.body.result as { ID: string }[]).map((a) => a.ID)).toContain(String(id))
    const done = await restAs(emu, PEOPLE.cfo, 'crm.activity.update', { id, fields: { COMPLETED: 'Y' } })
    expect(done.body.result).toBe(true)
    const got = await restAs(emu, PEOPLE.cfo, 'crm.activity.get', { id })
    expect(got.body.result).toMatchObject({ COMPLETED: 'Y', DEADLINE: '2026-12-01T18:00:00+03:00', OWNER_TYPE_ID: String(inst.entityTypeId) })
  })
})

describe('notifications and options', () => {
  it('stores notifications for the shell, replacing one with the same TAG', async () => {
    // The demo's approval histories already rang the lawyer's bell: only this test's count here.
    const seeded = new Set(emu.ctx.db.notifications.map((n) => n.id))
    await restAs(emu, PEOPLE.salesManager, 'im.notify.system.add', { USER_ID: PEOPLE.lawyer, MESSAGE: 'Первое', TAG: 'CA|1' })
    await restAs(emu, PEOPLE.salesManager, 'im.notify.system.add', { USER_ID: PEOPLE.lawyer, MESSAGE: 'Второе', TAG: 'CA|1' })
    await restAs(emu, PEOPLE.salesManager, 'im.notify.personal.add', { USER_ID: PEOPLE.lawyer, MESSAGE: 'Лично' })
    const mine = emu.ctx.db.notifications.filter((n) => n.userId === PEOPLE.lawyer && !seeded.has(n.id))
    expect(mine.map((n) => [n.kind, n.message])).toEqual([['system', 'Второе'], ['personal', 'Лично']])
    expect(mine[1]?.fromUserId).toBe(PEOPLE.salesManager)
    expect((await restAs(emu, PEOPLE.salesManager, 'im.notify.system.add', { USER_ID: 9999, MESSAGE: 'x' })).body.error).toBe('NOT_FOUND')
  })

  it('keeps user options per user and app options for all', async () => {
    await restAs(emu, PEOPLE.lawyer, 'user.option.set', { options: { view: 'compact' } })
    expect((await restAs(emu, PEOPLE.lawyer, 'user.option.get', { option: 'view' })).body.result).toBe('compact')
    expect((await restAs(emu, PEOPLE.cfo, 'user.option.get', { option: 'view' })).body.result).toBeNull()
    const all = await restAs(emu, PEOPLE.cfo, 'app.option.get')
    expect(Object.keys(all.body.result as object)).toContain('ca_install')
  })
})
