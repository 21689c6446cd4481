/**
 * The install store against a real (emulated) portal: one run at a time however often the
 * button is pressed, and Retry repeating the admin's adopt answer rather than asking again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useInstallStore } from '../../../src/stores/install.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import { startPortalProcess } from '../../support/portal-process.ts'
import type { PortalProcess } from '../../support/portal-process.ts'

const HANDLER = 'http://127.0.0.1:5173/'
const ADMIN_ID = 1

let portal: PortalProcess

beforeEach(async () => {
  portal = await startPortalProcess({ seed: 'none', handlerUrl: HANDLER })
  setActivePinia(createPinia())
  await useSessionStore().start(async () => portal.portAs(ADMIN_ID))
})

afterEach(async () => {
  await portal.close()
})

const types = async () => (await portal.rest<{ types: { id: number }[] }>(ADMIN_ID, 'crm.type.list')).types

describe('install store', () => {
  it('shares one run between concurrent presses of Install', async () => {
    const store = useInstallStore()
    await Promise.all([store.install({ handlerUrl: HANDLER }), store.install({ handlerUrl: HANDLER })])
    expect(store.phase).toBe('done')
    // Each run reads the funnel once: a second run would show up here.
    expect((await portal.calls())['crm.category.list']).toBe(1)
    expect(await types()).toHaveLength(1)
  })

  it('retries with the adopt answer the admin already gave', async () => {
    const existing = (await portal.rest<{ type: { id: number } }>(ADMIN_ID, 'crm.type.add', { fields: { title: 'Contracts' } })).type
    const store = useInstallStore()
    await store.install({ handlerUrl: HANDLER })
    expect(store.phase).toBe('choice')
    expect(store.candidates.map((c) => c.id)).toEqual([existing.id])

    await portal.control({ failMethods: { 'placement.get': 1 } })
    await store.choose({ typeId: existing.id })
    expect(store.phase).toBe('failed')
    expect(store.failedStep).toBe('placements')
    expect(store.notAdmin).toBe(false)

    await store.retry()
    expect(store.phase).toBe('done')
    expect(store.record?.typeId).toBe(existing.id)
    expect(await types()).toHaveLength(1)
  })
})
