/**
 * The application's data storages, `entity.*`, as the docs (bitrix24/b24restdocs) describe them:
 * - api-reference/entity/index.md (identifier rules, access levels R / W / X, codes U<id> G<id> AU)
 * - api-reference/entity/entities/entity-add.md, entity-get.md, entity-rights.md
 * - api-reference/entity/items/entity-item-add.md, entity-item-get.md, entity-item-update.md,
 *   entity-item-delete.md
 * The documented requests and replies are in test/fixtures/bitrix24-rest/entity/ and are replayed
 * here with an application token (these methods refuse a webhook: no application context).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { rest, restAs, start } from './helpers.ts'
import { shapeMismatches } from './shape.ts'

interface Example {
  source: string
  method: string
  request: Record<string, unknown>
  response: Record<string, unknown>
  errors: Record<string, unknown>[]
}

const example = (method: string): Example =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, `../fixtures/bitrix24-rest/entity/${method}.example.json`), 'utf8')) as Example

let emu: Emulator
beforeAll(async () => {
  emu = await start({ seed: 'demo' })
})
afterAll(async () => {
  await emu.close()
})

const as = (user: number, method: string, params: Record<string, unknown>) => restAs(emu, user, method, params)
const ADMIN = PEOPLE.admin

describe('entity.* documented examples (api-reference/entity/)', () => {
  it('entity.add creates the storage; the creator is granted X (entity-add.md)', async () => {
    const ex = example('entity.add')
    const r = await as(ADMIN, ex.method, ex.request)
    expect(r.status).toBe(200)
    expect(shapeMismatches(ex.response as never, r.body)).toEqual([])
    expect(r.body.result).toBe(true)
    const rights = await as(PEOPLE.lawyer, 'entity.rights', { ENTITY: 'dish' })
    expect(rights.body.result).toEqual({ U1: 'X', AU: 'R' })
  })

  it('entity.get returns one storage by ENTITY, or the list (entity-get.md)', async () => {
    const ex = example('entity.get')
    await as(ADMIN, 'entity.add', { ENTITY: 'dish_v2', NAME: 'Dishes v2', ACCESS: { AU: 'W' } })
    const r = await as(PEOPLE.lawyer, ex.method, ex.request)
    expect(shapeMismatches(ex.response as never, r.body)).toEqual([])
    expect(r.body.result).toMatchObject({ IBLOCK_TYPE_ID: 'rest_entity', ENTITY: 'dish_v2', NAME: 'Dishes v2' })
    const all = await as(PEOPLE.lawyer, 'entity.get', {})
    expect((all.body.result as { ENTITY: string }[]).map((e) => e.ENTITY)).toEqual(expect.arrayContaining(['dish', 'dish_v2']))
    const missing = await as(ADMIN, 'entity.get', { ENTITY: 'nothing' })
    expect(missing.status).toBe(400)
    expect(missing.body).toEqual(ex.errors[0])
  })

  it('entity.rights: only an X holder changes them, and keeps X (entity-rights.md)', async () => {
    const ex = example('entity.rights')
    const refused = await as(PEOPLE.lawyer, ex.method, ex.request)
    expect(refused.body).toMatchObject({ error: 'ACCESS_DENIED', error_description: 'Access denied!' })
    // The documented caller (U577) held X; here the lawyer is given it first.
    await as(ADMIN, ex.method, { ENTITY: 'dish', ACCESS: { [`U${PEOPLE.lawyer}`]: 'X' } })
    const r = await as(PEOPLE.lawyer, ex.method, ex.request)
    const doc = JSON.parse(JSON.stringify(ex.response).replace('"U577"', `"U${PEOPLE.lawyer}"`)) as never
    expect(shapeMismatches(doc, r.body)).toEqual([])
    // The documented reply shows the caller's own X beside the requested entries.
    expect(r.body.result).toEqual({ U1: 'W', AU: 'R', [`U${PEOPLE.lawyer}`]: 'X' })
    // The administrator now holds W only: no level of their own beyond the codes (index.md).
    expect((await as(ADMIN, ex.method, ex.request)).body.error).toBe('ACCESS_DENIED')
    await as(PEOPLE.lawyer, ex.method, { ENTITY: 'dish', ACCESS: { U1: 'X' } })
    const odd = await as(ADMIN, 'entity.rights', { ENTITY: 'dish', ACCESS: { AU: 'R', U5: 'Z' } })
    expect(odd.body.result).toEqual({ AU: 'R', U1: 'X' })
    expect((await as(PEOPLE.lawyer, 'entity.rights', { ENTITY: 'nothing' })).body.result).toBeNull()
  })

  it('entity.item.add / get / update / delete as documented (entity-item-*.md)', async () => {
    // The documented example adds to `dish` and names item 2333 in update and delete.
    await as(ADMIN, 'entity.rights', { ENTITY: 'dish', ACCESS: { AU: 'W' } })
    emu.ctx.db.seq.entityItem = 2332
    const add = example('entity.item.add')
    const added = await as(PEOPLE.lawyer, add.method, add.request)
    expect(shapeMismatches(add.response as never, added.body)).toEqual([])
    expect(added.body.result).toBe(2333)

    const get = example('entity.item.get')
    await as(PEOPLE.lawyer, 'entity.item.add', { ENTITY: 'dish_v2', NAME: 'Test Item', DATE_ACTIVE_FROM: '2026-03-10T00:00:00+01:00' })
    await as(PEOPLE.lawyer, 'entity.item.add', { ENTITY: 'dish_v2', NAME: 'April', DATE_ACTIVE_FROM: '2026-04-10T00:00:00+01:00' })
    const listed = await as(PEOPLE.cfo, get.method, get.request)
    expect(shapeMismatches(get.response as never, listed.body)).toEqual([])
    expect((listed.body.result as { NAME: string }[]).map((i) => i.NAME)).toEqual(['Test Item'])
    expect(listed.body.total).toBe(1)

    const upd = example('entity.item.update')
    const updated = await as(PEOPLE.lawyer, upd.method, upd.request)
    expect(shapeMismatches(upd.response as never, updated.body)).toEqual([])
    const one = await as(PEOPLE.lawyer, 'entity.item.get', { ENTITY: 'dish', FILTER: { ID: 2333 } })
    expect((one.body.result as { NAME: string }[])[0]?.NAME).toBe('Hello, updated world!')

    const del = example('entity.item.delete')
    const deleted = await as(PEOPLE.lawyer, del.method, del.request)
    expect(shapeMismatches(del.response as never, deleted.body)).toEqual([])
    const again = await as(PEOPLE.lawyer, del.method, del.request)
    expect(again.body).toEqual(del.errors[0])
  })

  it('answers the documented argument errors', async () => {
    const add = example('entity.add')
    const empty = await as(ADMIN, 'entity.add', { ENTITY: '$%', NAME: 'x' })
    expect(empty.status).toBe(400)
    expect(empty.body).toEqual(add.errors[0])
    const again = await as(ADMIN, 'entity.add', { ENTITY: 'dish', NAME: 'x' })
    expect(again.body.error).toBe('ERROR_ENTITY_ALREADY_EXISTS')
    // 50 - strlen("APP_<clientId>_") characters at most (entity/index.md#entity-id).
    const max = 50 - `APP_${emu.ctx.db.app.clientId}_`.length
    const long = await as(ADMIN, 'entity.get', { ENTITY: 'x'.repeat(max + 1) })
    expect(long.body).toEqual({ error: 'ERROR_ARGUMENT', error_description: `Entity code is too long. Max length is ${max} characters.`, argument: '' })
    expect((await as(ADMIN, 'entity.item.add', { ENTITY: 'nothing', NAME: 'x' })).body).toEqual(example('entity.item.add').errors[0])
    expect((await as(ADMIN, 'entity.item.update', { ENTITY: 'dish', NAME: 'x' })).body).toMatchObject({ error: 'ERROR_ARGUMENT', error_description: "Argument 'ID' is null or empty" })
    expect((await as(ADMIN, 'entity.item.update', { ENTITY: 'dish', ID: 999999 })).body).toEqual(example('entity.item.update').errors[0])
    expect((await as(ADMIN, 'entity.item.get', {})).body).toEqual(example('entity.item.get').errors[0])
  })

  it('needs an application context: a webhook is refused', async () => {
    const r = await rest(emu, 'entity.get', {})
    expect(r.body).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied! Application context required' })
  })
})

describe('entity.* rights and authorship', () => {
  it('R reads, W writes, nothing refuses (entity/index.md#access-levels)', async () => {
    await as(ADMIN, 'entity.add', { ENTITY: 'levels', NAME: 'Levels', ACCESS: { AU: 'R', [`U${PEOPLE.lawyer}`]: 'W' } })
    expect((await as(PEOPLE.cfo, 'entity.item.add', { ENTITY: 'levels', NAME: 'x' })).body).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied!' })
    const id = (await as(PEOPLE.lawyer, 'entity.item.add', { ENTITY: 'levels', NAME: 'by lawyer' })).body.result as number
    expect((await as(PEOPLE.cfo, 'entity.item.get', { ENTITY: 'levels' })).body.total).toBe(1)
    expect((await as(PEOPLE.cfo, 'entity.item.update', { ENTITY: 'levels', ID: id, NAME: 'cfo' })).body.error).toBe('ACCESS_DENIED')
    expect((await as(PEOPLE.cfo, 'entity.item.delete', { ENTITY: 'levels', ID: id })).body.error).toBe('ACCESS_DENIED')
    // The lawyer may write but not manage: the rights stay as they are.
    expect((await as(PEOPLE.lawyer, 'entity.rights', { ENTITY: 'levels', ACCESS: { AU: 'W' } })).body.error).toBe('ACCESS_DENIED')
    await as(ADMIN, 'entity.rights', { ENTITY: 'levels', ACCESS: {} })
    expect((await as(PEOPLE.cfo, 'entity.item.get', { ENTITY: 'levels' })).body.error).toBe('ACCESS_DENIED')
  })

  it('CREATED_BY and MODIFIED_BY come from the caller, never from the parameters', async () => {
    await as(ADMIN, 'entity.add', { ENTITY: 'authors', NAME: 'Authors', ACCESS: { AU: 'W' } })
    const id = (await as(PEOPLE.lawyer, 'entity.item.add', { ENTITY: 'authors', NAME: 'mine', CREATED_BY: PEOPLE.ceo, MODIFIED_BY: PEOPLE.ceo, ACTIVE: 'N' })).body.result as number
    const read = async () => ((await as(ADMIN, 'entity.item.get', { ENTITY: 'authors', FILTER: { ID: id } })).body.result as Record<string, string>[])[0]
    expect(await read()).toMatchObject({ CREATED_BY: String(PEOPLE.lawyer), MODIFIED_BY: String(PEOPLE.lawyer), ACTIVE: 'Y', SORT: '500', DATE_ACTIVE_FROM: '', ENTITY: 'authors' })
    await as(PEOPLE.cfo, 'entity.item.update', { ENTITY: 'authors', ID: id, NAME: 'changed', MODIFIED_BY: PEOPLE.lawyer })
    expect(await read()).toMatchObject({ NAME: 'changed', CREATED_BY: String(PEOPLE.lawyer), MODIFIED_BY: String(PEOPLE.cfo) })
  })

  it('filters with the documented prefixes, sorts, and pages by 50 (entity-item-get.md)', async () => {
    await as(ADMIN, 'entity.add', { ENTITY: 'many', NAME: 'Many', ACCESS: { AU: 'W' } })
    const ids: number[] = []
    for (let i = 1; i <= 55; i++) {
      const r = await as(ADMIN, 'entity.item.add', { ENTITY: 'many', NAME: `n${i}`, ...(i % 2 ? { DATE_ACTIVE_TO: `2026-05-${String(i % 28 + 1).padStart(2, '0')}T00:00:00+03:00` } : {}) })
      ids.push(r.body.result as number)
    }
    const id = (n: number) => ids[n - 1] as number
    const first = await as(ADMIN, 'entity.item.get', { ENTITY: 'many' })
    expect(first.body).toMatchObject({ total: 55, next: 50 })
    expect((first.body.result as unknown[]).length).toBe(50)
    const second = await as(ADMIN, 'entity.item.get', { ENTITY: 'many', start: 50 })
    expect((second.body.result as { NAME: string }[]).map((i) => i.NAME)).toEqual(['n51', 'n52', 'n53', 'n54', 'n55'])
    const names = async (FILTER: Record<string, unknown>, SORT?: Record<string, string>) =>
      ((await as(ADMIN, 'entity.item.get', { ENTITY: 'many', FILTER, ...(SORT ? { SORT } : {}) })).body.result as { NAME: string }[]).map((i) => i.NAME)
    expect(await names({ '><ID': [id(3), id(5)] })).toEqual(['n3', 'n4', 'n5'])
    expect((await names({ '!><ID': [id(2), id(55)] }))).toEqual(['n1'])
    expect((await names({ '?DATE_ACTIVE_TO': null, '<=ID': id(4) }))).toEqual(['n2', 'n4'])
    expect((await names({ '>=DATE_ACTIVE_TO': '2026-05-27T00:00:00+03:00' }, { ID: 'DESC' }))).toEqual(['n55', 'n27'])
    expect((await as(ADMIN, 'entity.item.get', { ENTITY: 'many', FILTER: { '><ID': 5 } })).body).toMatchObject({ error: 'ERROR_ARGUMENT', error_description: 'Filter validator errors' })
    expect((await names({ '%NAME': 'n5', '!NAME': 'n50' }))).toEqual(['n5', 'n51', 'n52', 'n53', 'n54', 'n55'])
  })
})
