/**
 * Exact counts on a portal where one author has well over a page of contracts and the lawyer
 * more than a page waiting: the store shows the portal's totals («137», not «50+»), the first
 * render still costs ONE request, and "show more" follows the portal's `next`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { PEOPLE } from '../../../emulator/seed/people.ts'
import { PAGE_SIZE } from '../../../src/services/workspace/queries.ts'
import type { BitrixPort } from '../../../src/platform/port.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import { useWorkspaceStore } from '../../../src/stores/workspace.ts'
import type { NodePort } from '../../support/node-port.ts'
import { ADMIN, startPortal, type Portal } from '../approval/helpers.ts'

const AUTHOR = PEOPLE.procurementManager
const MINE = 137
const INBOX_ADDED = 63

let portal: Portal

const framed = (userId: number): NodePort => ({ ...portal.port(userId), initialAppOptions: { ...portal.emu.ctx.db.app.options } })

function stored(): Record<string, unknown>[] {
  const all = (portal.emu.ctx.db as unknown as { crm: { items: Record<string, Record<string, Record<string, unknown>>> } }).crm.items
  return Object.values(all[String(portal.space.entityTypeId)] ?? {})
}
const approversOf = (it: Record<string, unknown>): number[] => ((it[portal.space.fields.approvers] as unknown[] | undefined) ?? []).map(Number)

async function storeAs(userId: number): Promise<{ store: ReturnType<typeof useWorkspaceStore>; port: NodePort }> {
  setActivePinia(createPinia())
  const port = framed(userId)
  await useSessionStore().start(async () => port as BitrixPort)
  return { store: useWorkspaceStore(), port }
}

beforeAll(async () => {
  portal = await startPortal()
  const f = portal.space.fields
  // Created over REST as the admin would import them: the author is responsible for all of them.
  const have = stored().filter((it) => Number(it.assignedById) === AUTHOR).length
  for (let i = have; i < MINE; i++) {
    await portal.emu.ctx.callAs(ADMIN, 'crm.item.add', {
      entityTypeId: portal.space.entityTypeId, fields: { title: `Договор ${i}`, assignedById: AUTHOR, [f.number]: `C-${i}` },
    })
  }
  for (let i = 0; i < INBOX_ADDED; i++) {
    await portal.emu.ctx.callAs(ADMIN, 'crm.item.add', {
      entityTypeId: portal.space.entityTypeId, fields: { title: `На согласование ${i}`, assignedById: PEOPLE.salesManager, [f.approvers]: [PEOPLE.lawyer] },
    })
  }
})
afterAll(async () => {
  await portal?.close()
})

describe('exact counts in the workspace', () => {
  it('an author with 137 contracts sees «137» after ONE request, and "show more" pages by next', async () => {
    expect(stored().filter((it) => Number(it.assignedById) === AUTHOR)).toHaveLength(MINE)
    const { store, port } = await storeAs(AUTHOR)
    const before = port.requestCount()
    await store.load()
    expect(store.state).toBe('done')
    expect(port.requestCount() - before).toBe(1)
    expect(store.mineCount).toBe(String(MINE))
    expect(store.mine.total).toBe(MINE)
    expect(store.mine.rows).toHaveLength(PAGE_SIZE)
    expect(store.mine.next).toBe(PAGE_SIZE)

    await store.loadMore('mine')
    expect(store.mine.rows).toHaveLength(2 * PAGE_SIZE)
    expect(store.mine.next).toBe(2 * PAGE_SIZE)
    await store.loadMore('mine')
    expect(store.mine.rows).toHaveLength(MINE)
    expect(store.mine.next).toBeNull()
    expect(new Set(store.mine.rows.map((r) => r.id)).size).toBe(MINE)
    expect(store.mineCount).toBe(String(MINE))
  })

  it('the lawyer\'s inbox shows the exact number waiting, beyond a page', async () => {
    const waiting = stored().filter((it) => approversOf(it).includes(PEOPLE.lawyer)).length
    expect(waiting).toBeGreaterThan(PAGE_SIZE)
    const { store } = await storeAs(PEOPLE.lawyer)
    await store.load()
    expect(store.inboxCount).toBe(String(waiting))
    expect(store.inbox.rows).toHaveLength(PAGE_SIZE)
  })

  it('a stage filter counts that stage only', async () => {
    const { store } = await storeAs(AUTHOR)
    await store.load()
    await store.setMineStage('NEW')
    const drafts = stored().filter((it) => Number(it.assignedById) === AUTHOR && String(it.stageId).endsWith(':NEW')).length
    expect(drafts).toBeGreaterThan(PAGE_SIZE)
    expect(store.mine.total).toBe(drafts)
    expect(store.mineCount).toBe(String(drafts))
  })
})
