/**
 * The routes store on its own, over the real SDK against the emulator: one read for concurrent
 * loads, draft edits that never touch the stored edition, and what happens when the stored value
 * is unreadable (an admin can replace it; saving then writes a valid edition).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { parseRouteSet } from '../../../src/domain/route.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { useRoutesStore } from '../../../src/stores/routes.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import { startPortalProcess } from '../../support/portal-process.ts'
import type { NodePort } from '../../support/node-port.ts'
import type { PortalProcess } from '../../support/portal-process.ts'
import { ADMIN, CEO, LAWYER, storeSeedRoutes } from './helpers.ts'

let portal: PortalProcess

beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'demo' })
})

afterAll(async () => {
  await portal.close()
})

beforeEach(async () => {
  await storeSeedRoutes(portal)
})

async function storeAs(userId: number): Promise<{ store: ReturnType<typeof useRoutesStore>; port: NodePort }> {
  setActivePinia(createPinia())
  const port = portal.portAs(userId)
  await useSessionStore().start(async () => port)
  return { store: useRoutesStore(), port }
}

describe('routes store', () => {
  it('shares one read between concurrent loads and resolves approver names in the same batch', async () => {
    const { store, port } = await storeAs(ADMIN)
    const before = port.requestCount()
    await Promise.all([store.load(), store.load(), store.load()])
    // app.option.get, then one batch of user.get for every approver and the last editor.
    expect(port.requestCount() - before).toBe(2)
    expect(store.state).toBe('done')
    expect(store.saved.version).toBe(1)
    expect(store.people[CEO]?.name).toBe('Андрей Лебедев')
    await store.load()
    expect(port.requestCount() - before).toBe(2)
  })

  it('edits a draft without touching the stored edition, and discard brings it back', async () => {
    const { store } = await storeAs(ADMIN)
    await store.load()
    const stored = JSON.stringify(store.saved)
    store.moveStep('large', 0, -1) // already first: nothing moves
    expect(store.dirty).toBe(false)
    store.updateStep('large', 0, { slaHours: 5 })
    store.addApprovers('large', 0, [{ kind: 'user', userId: LAWYER }, { kind: 'departmentHead' }, { kind: 'departmentHead' }])
    expect(store.route('large')?.steps[0]?.approvers).toEqual([{ kind: 'user', userId: LAWYER }, { kind: 'departmentHead' }])
    store.setDefault('small', true)
    expect(store.draft.filter((r) => r.isDefault).map((r) => r.id)).toEqual(['small'])
    expect(store.dirty).toBe(true)
    expect(JSON.stringify(store.saved)).toBe(stored)
    store.discard()
    expect(store.dirty).toBe(false)
    expect(store.draft.find((r) => r.isDefault)?.id).toBe('standard')
  })

  it('reports an unreadable stored value, and an admin can replace it with a valid edition', async () => {
    await portal.rest(ADMIN, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: '{"v":1,"routes":' } })
    const { store } = await storeAs(ADMIN)
    await store.load()
    expect(store.parseError).toBe('invalidJson')
    expect(store.draft).toEqual([])
    expect(store.issues.map((i) => i.code)).toEqual(['noRoutes'])

    const id = store.addRoute('Все договоры')
    expect(store.route(id)?.isDefault).toBe(true)
    store.addStep(id, 'Юрист')
    store.addApprovers(id, 0, [{ kind: 'user', userId: LAWYER }])
    expect(store.canSave).toBe(true)
    expect(await store.save()).toBe(true)

    const stored = parseRouteSet(await portal.rest(ADMIN, 'app.option.get', { option: APP_OPTION_KEYS.routes }))
    expect(stored.ok && stored.set.routes.map((r) => r.name)).toEqual(['Все договоры'])
    expect(stored.ok && stored.set.version).toBe(1)
    expect(store.parseError).toBeNull()
  })

  it('a non-admin reads the routes but never writes them', async () => {
    const { store, port } = await storeAs(LAWYER)
    await store.load()
    expect(store.isAdmin).toBe(false)
    store.updateStep('standard', 0, { slaHours: 1 })
    const before = port.requestCount()
    expect(await store.save()).toBe(false)
    expect(port.requestCount()).toBe(before)
  })
})
