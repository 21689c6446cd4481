/**
 * Reading a large list the way Bitrix24 advises (settings/performance/huge-data.md): order by id,
 * `>id` of the last row received, `start: -1` (no count) — also chained inside one batch through
 * `$result[…]` references (settings/how-to-call-rest-api/batch.md). The emulator reads such a
 * page as a database reads its primary key (emulator/rest/methods/crm-item.ts, idScanPage); these
 * tests hold it to the same rows as counting, sorting and slicing everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { parseContractSpace } from '../../src/services/approval/context.ts'
import { PEOPLE } from '../support/people.ts'
import { restAs, start } from './helpers.ts'

let emu: Emulator
let entityTypeId: number
let categoryId: number

beforeAll(async () => {
  emu = await start({ seed: 'demo', scaleContracts: 400 })
  const space = parseContractSpace(emu.ctx.db.app.options.ca_install)
  if (!space) throw new Error('demo not installed')
  entityTypeId = space.entityTypeId
  categoryId = space.categoryId
}, 180_000)
afterAll(async () => {
  await emu?.close()
})

type Item = { id: number; stageId?: string }
const ids = (items: Item[]): number[] => items.map((i) => Number(i.id))

async function list(userId: number, params: Record<string, unknown>): Promise<{ items: Item[]; total?: number }> {
  const r = await restAs(emu, userId, 'crm.item.list', { entityTypeId, select: ['id', 'stageId'], ...params })
  expect(r.status).toBe(200)
  return { items: (r.body.result as { items: Item[] }).items, total: r.body.total as number | undefined }
}

/** Every row the user may read under a filter, by offset pages (counted, the general path). */
async function everything(userId: number, filter: Record<string, unknown>): Promise<number[]> {
  const out: number[] = []
  for (let startAt = 0; ; startAt += 50) {
    const page = await list(userId, { order: { id: 'ASC' }, filter, start: startAt })
    out.push(...ids(page.items))
    if (page.items.length < 50) return out
  }
}

describe('large lists by id (huge-data.md)', () => {
  for (const [who, userId] of [['the admin', PEOPLE.admin], ['a manager with own rights', PEOPLE.salesManager]] as const) {
    it(`${who}: pages after the last id with start -1 give the same rows as offset pages, and no total`, async () => {
      const stage = `DT${entityTypeId}_${categoryId}:APPROVAL`
      for (const filter of [{}, { stageId: stage }]) {
        const all = await everything(userId, filter)
        expect(all.length).toBeGreaterThan(0)
        const keyset: number[] = []
        let after = 0
        for (;;) {
          const page = await list(userId, { order: { id: 'ASC' }, filter: { ...filter, '>id': after }, start: -1 })
          expect(page.total).toBeUndefined()
          keyset.push(...ids(page.items))
          if (page.items.length < 50) break
          after = Number(page.items[page.items.length - 1]?.id)
        }
        expect(keyset).toEqual(all)
      }
    })
  }

  it('chains pages in one batch through $result[page][items][49][id]', async () => {
    const all = await everything(PEOPLE.admin, {})
    const cmd: Record<string, string> = {}
    for (let i = 0; i < 5; i++) {
      const after = i === 0 ? '0' : `$result[p${i - 1}][items][49][id]`
      cmd[`p${i}`] = `crm.item.list?entityTypeId=${entityTypeId}&order[id]=ASC&filter[>id]=${after}&select[0]=id&start=-1`
    }
    const r = await restAs(emu, PEOPLE.admin, 'batch', { halt: 0, cmd })
    const result = (r.body.result as { result: Record<string, { items: Item[] }> }).result
    const chained = Object.keys(cmd).flatMap((k) => ids(result[k]?.items ?? []))
    expect(chained).toEqual(all.slice(0, 250))
  })

  it('follows writes: a contract added after a page was read is on the next page', async () => {
    const all = await everything(PEOPLE.admin, {})
    const last = all[all.length - 1] as number
    const before = await list(PEOPLE.admin, { order: { id: 'ASC' }, filter: { '>id': last }, start: -1 })
    expect(before.items).toEqual([])
    const added = await restAs(emu, PEOPLE.admin, 'crm.item.add', { entityTypeId, fields: { title: 'Новый договор' } })
    const id = Number((added.body.result as { item: { id: number } }).item.id)
    const after = await list(PEOPLE.admin, { order: { id: 'ASC' }, filter: { '>id': last }, start: -1 })
    expect(ids(after.items)).toEqual([id])
  })

  it('an order other than id ascending still sorts everything (the general path)', async () => {
    const desc = await list(PEOPLE.admin, { order: { id: 'DESC' }, filter: { '>id': 0 }, start: -1 })
    const all = await everything(PEOPLE.admin, {})
    expect(ids(desc.items)).toEqual([...all].reverse().slice(0, 50))
  })
})
