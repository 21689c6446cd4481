/**
 * The archivist's counts on a portal with more than a page waiting for originals and in the
 * archive: the store holds the portal's totals after the ONE-request first render, a search
 * counts what it found, and a receipt moves one contract from one count to the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { PEOPLE } from '../../../emulator/seed/people.ts'
import { PAGE_SIZE } from '../../../src/services/workspace/queries.ts'
import type { BitrixPort } from '../../../src/platform/port.ts'
import { stageCodeOf, stageId } from '../../../src/domain/schema.ts'
import { useArchiveStore } from '../../../src/stores/archive.ts'
import { DEFAULT_QUERY } from '../../../src/domain/archive.ts'
import { localToday } from '../../../src/components/archive/receipt.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import type { NodePort } from '../../support/node-port.ts'
import { ADMIN, startPortal, type Portal } from '../approval/helpers.ts'

const ADDED = 57

let portal: Portal

const framed = (userId: number): NodePort => ({ ...portal.port(userId), initialAppOptions: { ...portal.emu.ctx.db.app.options } })

function stored(): Record<string, unknown>[] {
  const all = (portal.emu.ctx.db as unknown as { crm: { items: Record<string, Record<string, Record<string, unknown>>> } }).crm.items
  return Object.values(all[String(portal.space.entityTypeId)] ?? {})
}
const inStage = (code: string) => stored().filter((it) => stageCodeOf(String(it.stageId)) === code)

async function storeAs(userId: number): Promise<{ store: ReturnType<typeof useArchiveStore>; port: NodePort }> {
  setActivePinia(createPinia())
  const port = framed(userId)
  await useSessionStore().start(async () => port as BitrixPort)
  return { store: useArchiveStore(), port }
}

beforeAll(async () => {
  portal = await startPortal()
  const f = portal.space.fields
  const { entityTypeId, categoryId } = portal.space
  // Imported over REST as an admin would: more than a page in each list.
  for (let i = 0; i < ADDED; i++) {
    await portal.emu.ctx.callAs(ADMIN, 'crm.item.add', {
      entityTypeId, fields: { title: `Ждёт оригинала ${i}`, stageId: stageId(entityTypeId, categoryId, 'ORIGINALS'), [f.number]: `W-${i}` },
    })
    await portal.emu.ctx.callAs(ADMIN, 'crm.item.add', {
      entityTypeId, fields: { title: `В архиве ${i}`, stageId: stageId(entityTypeId, categoryId, 'SUCCESS'), [f.number]: `A-${i}`, [f.storageLocation]: 'Шкаф 1' },
    })
  }
})
afterAll(async () => {
  await portal?.close()
})

describe('exact counts in «Оригиналы и архив»', () => {
  it('both lists show the portal\'s totals after ONE request; "show more" pages by next', async () => {
    const waiting = inStage('ORIGINALS').length
    const archived = inStage('SUCCESS').length
    expect(waiting).toBeGreaterThan(PAGE_SIZE)
    expect(archived).toBeGreaterThan(PAGE_SIZE)
    const { store, port } = await storeAs(PEOPLE.archivist)
    const before = port.requestCount()
    await store.load()
    expect(store.state).toBe('done')
    expect(port.requestCount() - before).toBe(1)
    expect(store.waiting.total).toBe(waiting)
    expect(store.archive.total).toBe(archived)
    expect(store.waiting.rows).toHaveLength(PAGE_SIZE)
    expect(store.waiting.next).toBe(PAGE_SIZE)

    await store.loadMore('waiting')
    expect(store.waiting.rows).toHaveLength(waiting)
    expect(store.waiting.next).toBeNull()
    expect(store.waiting.total).toBe(waiting)
  })

  it('a search counts what it found', async () => {
    const { store } = await storeAs(PEOPLE.archivist)
    await store.load()
    await store.search({ ...DEFAULT_QUERY, number: 'A-1' })
    // … A-19: the number contains the text.
    const found = inStage('SUCCESS').filter((it) => String(it[portal.space.fields.number] ?? '').includes('A-1')).length
    expect(found).toBe(11)
    expect(store.archive.total).toBe(found)
    expect(store.archive.rows).toHaveLength(found)
  })

  it('a receipt moves one contract from the waiting count to the archive count', async () => {
    const { store } = await storeAs(PEOPLE.archivist)
    await store.load()
    const waiting = store.waiting.total ?? 0
    const archived = store.archive.total ?? 0
    const row = store.waiting.rows[0]
    if (!row) throw new Error('nothing waits for originals')
    // Between the approval (these were imported at "awaiting originals" today) and today.
    const res = await store.receive(row.id, { receivedAt: localToday(), storageLocation: 'Шкаф 2, полка 1' })
    expect(res).toEqual({ ok: true })
    expect(store.waiting.total).toBe(waiting - 1)
    expect(store.archive.total).toBe(archived + 1)
    await store.refresh()
    expect(store.waiting.total).toBe(waiting - 1)
    expect(store.archive.total).toBe(archived + 1)
  })
})
