/**
 * The to-do's own reminders, as api-reference/crm/timeline/activities/todo/crm-activity-todo-add.md
 * documents them: `pingOffsets` is "an array containing integer values in minutes … For example,
 * `[0, 15]` means that 2 reminders will be created, one 15 minutes before the deadline and one at
 * the moment the deadline occurs. Default is an empty array, with no reminders". The page documents
 * no way to read them back (crm.activity.get answers the activity's classic fields), so the
 * emulator keeps them on the stored to-do only.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import type { InstallInfo } from '../../emulator/seed/demo.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { restAs, start } from './helpers.ts'

const example = JSON.parse(readFileSync(new URL('../fixtures/bitrix24-rest/crm.activity.todo.add.example.json', import.meta.url), 'utf8')) as {
  request: Record<string, unknown>
}

let emu: Emulator
let inst: InstallInfo
let contractId: number
beforeAll(async () => {
  emu = await start({ seed: 'demo' })
  inst = emu.ctx.db.app.options.ca_install as InstallInfo
  const r = await restAs(emu, PEOPLE.salesManager, 'crm.item.add', { entityTypeId: inst.entityTypeId, fields: { title: 'Напоминания' } })
  contractId = (r.body.result as { item: { id: number } }).item.id
})
afterAll(async () => {
  await emu.close()
})

const stored = (id: number) => emu.ctx.db.crm.activities.find((a) => a.id === id)

describe('crm.activity.todo.add pingOffsets', () => {
  it('keeps the documented example\'s reminders, [0, 15] minutes before the deadline', async () => {
    const r = await restAs(emu, PEOPLE.salesManager, 'crm.activity.todo.add', {
      ...example.request, ownerTypeId: inst.entityTypeId, ownerId: contractId, responsibleId: PEOPLE.cfo,
    })
    const id = (r.body.result as { id: number }).id
    expect(Object.keys(r.body.result as object)).toEqual(['id'])
    expect(stored(id)?.pingOffsets).toEqual([0, 15])
  })

  it('has no reminders by default (an empty array)', async () => {
    const r = await restAs(emu, PEOPLE.salesManager, 'crm.activity.todo.add', {
      ownerTypeId: inst.entityTypeId, ownerId: contractId, deadline: '2026-12-01T18:00:00', responsibleId: PEOPLE.cfo,
    })
    expect(stored((r.body.result as { id: number }).id)?.pingOffsets).toEqual([])
  })

  it('takes the minutes as integers, as a JSON or form-encoded request sends them', async () => {
    const r = await restAs(emu, PEOPLE.salesManager, 'crm.activity.todo.add', {
      ownerTypeId: inst.entityTypeId, ownerId: contractId, deadline: '2026-12-01T18:00:00', responsibleId: PEOPLE.cfo, pingOffsets: ['1440', '60'],
    })
    expect(stored((r.body.result as { id: number }).id)?.pingOffsets).toEqual([1440, 60])
  })
})
