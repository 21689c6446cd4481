/** crm.item.* semantics the app relies on: rights, file keep-by-id, string size limit, value formats. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import type { InstallInfo } from '../../emulator/seed/demo.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { stageId } from '../../src/domain/schema.ts'
import { TEXT_COLUMN_BYTES } from '../../emulator/rest/methods/item-values.ts'
import { rest, restAs, start } from './helpers.ts'

let emu: Emulator
let inst: InstallInfo
beforeAll(async () => {
  emu = await start({ seed: 'demo' })
  inst = emu.ctx.db.app.options.ca_install as InstallInfo
})
afterAll(async () => {
  await emu.close()
})

type Item = Record<string, unknown> & { id: number }
const add = async (userId: number, fields: Record<string, unknown>): Promise<Item> => {
  const r = await restAs(emu, userId, 'crm.item.add', { entityTypeId: inst.entityTypeId, fields })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return (r.body.result as { item: Item }).item
}

describe('CRM rights', () => {
  it('lets an "own" author see only their items in lists and refuses get/update/delete of others', async () => {
    const mine = await add(PEOPLE.salesManager, { title: 'Мой договор' })
    const theirs = await add(PEOPLE.procurementManager, { title: 'Чужой договор' })
    const list = await restAs(emu, PEOPLE.salesManager, 'crm.item.list', { entityTypeId: inst.entityTypeId, filter: { '@id': [mine.id, theirs.id] } })
    expect((list.body.result as { items: Item[] }).items.map((i) => i.id)).toEqual([mine.id])
    expect(list.body.total).toBe(1)
    for (const method of ['crm.item.get', 'crm.item.update', 'crm.item.delete']) {
      const r = await restAs(emu, PEOPLE.salesManager, method, { entityTypeId: inst.entityTypeId, id: theirs.id, fields: { title: 'x' } })
      expect([r.status, r.body.error], method).toEqual([400, 'ACCESS_DENIED'])
    }
    expect((await restAs(emu, PEOPLE.salesManager, 'crm.item.update', { entityTypeId: inst.entityTypeId, id: mine.id, fields: { title: 'Мой договор, ред. 2' } })).status).toBe(200)
  })

  it('gives readers with "all" every item and users with "none" nothing', async () => {
    const total = Object.keys(emu.ctx.db.crm.items[String(inst.entityTypeId)] ?? {}).length
    const all = await restAs(emu, PEOPLE.archivist, 'crm.item.list', { entityTypeId: inst.entityTypeId, select: ['id'] })
    expect(all.body.total).toBe(total)
    const none = await restAs(emu, PEOPLE.noAccess, 'crm.item.list', { entityTypeId: inst.entityTypeId })
    expect(none.body.total).toBe(0)
    expect((await restAs(emu, PEOPLE.noAccess, 'crm.item.add', { entityTypeId: inst.entityTypeId, fields: { title: 'x' } })).body.error).toBe('ACCESS_DENIED')
  })

  it("applies a user's own rights to calls through their webhook", async () => {
    const user = emu.ctx.db.users.find((u) => u.ID === PEOPLE.noAccess)!
    const url = `${emu.origin}/rest/${user.ID}/${user.webhookSecret}/crm.item.list`
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ entityTypeId: inst.entityTypeId }) })
    expect(((await r.json()) as { total: number }).total).toBe(0)
  })

  it('answers NOT_FOUND for a missing item', async () => {
    const r = await rest(emu, 'crm.item.get', { entityTypeId: inst.entityTypeId, id: 987654 })
    expect([r.status, r.body.error]).toEqual([400, 'NOT_FOUND'])
  })
})

describe('file fields', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64')
  it('keeps files passed back as {id}, stores new ones, deletes the rest; downloads need auth', async () => {
    const docs = inst.fields.documents
    const item = await add(PEOPLE.salesManager, { title: 'С файлами', [docs]: [['a.txt', b64('A')], ['b.txt', b64('B')]] })
    const [a, b] = item[docs] as { id: number; urlMachine: string }[]
    expect(a && b).toBeTruthy()
    const upd = await restAs(emu, PEOPLE.salesManager, 'crm.item.update', {
      entityTypeId: inst.entityTypeId, id: item.id, fields: { [docs]: [{ id: b!.id }, ['c.txt', b64('C')]] },
    })
    const files = (upd.body.result as { item: Item }).item[docs] as { id: number; urlMachine: string }[]
    expect(files.map((f) => f.id)[0]).toBe(b!.id)
    expect(files).toHaveLength(2)
    expect(emu.ctx.db.files[String(a!.id)]).toBeUndefined()
    const download = await fetch(files[1]!.urlMachine)
    expect(download.status).toBe(200)
    expect(await download.text()).toBe('C')
    const noAuth = await fetch(files[1]!.urlMachine.replace(/auth=[^&]+/, 'auth=bad'))
    expect(noAuth.status).toBe(401)
    const other = emu.ctx.auth.issue(PEOPLE.procurementManager).accessToken
    const denied = await fetch(files[1]!.urlMachine.replace(/auth=[^&]+/, `auth=${other}`))
    expect(denied.status).toBe(403)
  })
})

describe('values', () => {
  // A TEXT column: userfieldconfig-add.md has no length check for strings unless MAX_LENGTH is set.
  it('cuts a string field over 65,535 bytes at a character boundary instead of refusing it', async () => {
    const item = await add(PEOPLE.salesManager, { title: 'Лимит' })
    const big = 'ж'.repeat(Math.floor(TEXT_COLUMN_BYTES / 2) + 1)
    const r = await restAs(emu, PEOPLE.salesManager, 'crm.item.update', { entityTypeId: inst.entityTypeId, id: item.id, fields: { [inst.fields.approvalLog]: big } })
    expect(r.status).toBe(200)
    expect(((r.body.result as { item: Item }).item[inst.fields.approvalLog] as string).length).toBe(Math.floor(TEXT_COLUMN_BYTES / 2))
    const ok = 'ж'.repeat(Math.floor(TEXT_COLUMN_BYTES / 2))
    const r2 = await restAs(emu, PEOPLE.salesManager, 'crm.item.update', { entityTypeId: inst.entityTypeId, id: item.id, fields: { [inst.fields.approvalLog]: ok } })
    expect(((r2.body.result as { item: Item }).item[inst.fields.approvalLog] as string).length).toBe(ok.length)
  })

  it('formats money, employees, booleans, dates; ignores unknown fields; sets stage semantics', async () => {
    const f = inst.fields
    const item = await add(PEOPLE.salesManager, {
      title: 'Форматы', [f.amount]: 300, [f.approvers]: ['5', 6], [f.originalsReceived]: true, [f.date]: '2026-03-01',
      [f.deadline]: '2026-03-05T18:00:00', noSuchField: 'x', stageId: stageId(inst.entityTypeId, inst.categoryId, 'SUCCESS'),
    })
    expect(item[f.amount]).toBe('300|RUB')
    expect(item[f.approvers]).toEqual([5, 6])
    expect(item[f.originalsReceived]).toBe('Y')
    expect(item[f.date]).toBe('2026-03-01T00:00:00+03:00')
    expect(item[f.deadline]).toBe('2026-03-05T18:00:00+03:00')
    expect(item.noSuchField).toBeUndefined()
    expect(item.stageSemanticId).toBe('S')
    const wrong = await restAs(emu, PEOPLE.salesManager, 'crm.item.update', { entityTypeId: inst.entityTypeId, id: item.id, fields: { stageId: 'DT1_1:NOPE' } })
    expect(wrong.body.error).toBe('INVALID_ARG_VALUE')
  })
})
