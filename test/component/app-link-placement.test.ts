/**
 * The app opened by its own link (REST_APP_URI, api-reference/widgets/universal/app-url.md): the
 * handler gets PLACEMENT_OPTIONS `{"contract":"8061","URI":"/…"}` (the link's params as strings plus
 * the page it was followed from) and shows that contract's approval view — the card tab's view —
 * for the smart process the install record names; any other link shows the workspace.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import ContractTabView from '../../src/placements/ContractTabView.vue'
import WorkspaceView from '../../src/placements/WorkspaceView.vue'
import { resolvePlacement } from '../../src/placements/registry.ts'
import { useSessionStore } from '../../src/stores/session.ts'
import { APP_OPTION_KEYS, PLACEMENTS } from '../../src/domain/schema.ts'
import type { BitrixPort } from '../../src/platform/port.ts'
import { startPortalProcess, type PortalProcess } from '../support/portal-process.ts'
import { PEOPLE } from '../support/people.ts'
import { mountApp, waitFor } from './setup.ts'

const notInstalling = { installMode: false, firstRun: false }

describe('REST_APP_URI in the registry', () => {
  it('a link with a contract opens ContractTabView on that contract (the installed smart process)', async () => {
    const entry = resolvePlacement({ code: PLACEMENTS.appLink, options: { contract: '8061', URI: '/crm/type/1032/list/' } }, notInstalling)
    expect(entry.view).toBe('contractTab')
    expect(entry.props).toEqual({ entityTypeId: null, itemId: 8061 })
    expect((await entry.load()).default).toBe(ContractTabView)
  })

  it('any other link opens the workspace', async () => {
    for (const options of [{ URI: '/' }, { contract: 'abc', URI: '/' }, { contract: '0', URI: '/' }, { docId: '42', URI: '/' }]) {
      const entry = resolvePlacement({ code: 'REST_APP_URI', options }, notInstalling)
      expect(entry.view).toBe('workspace')
      expect((await entry.load()).default).toBe(WorkspaceView)
    }
  })
})

describe('ContractTabView opened by a link', () => {
  let portal: PortalProcess
  let item: { id: number; title: string }

  beforeAll(async () => {
    portal = await startPortalProcess({ seed: 'demo' })
  }, 60_000)
  afterAll(async () => {
    await portal?.close()
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  /** The port as a frame has it: APP_OPTIONS from getInitData (the Node port has no frame). */
  async function framedPort(userId: number): Promise<BitrixPort> {
    const port = portal.portAs(userId)
    const options = await portal.rest<Record<string, unknown>>(PEOPLE.admin, 'app.option.get')
    return new Proxy(port, {
      get(target, key) {
        if (key === 'initialAppOptions') return options
        const v = Reflect.get(target, key, target) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    }) as unknown as BitrixPort
  }

  it('shows the approval view of the contract from the link', async () => {
    const port = await framedPort(PEOPLE.lawyer)
    const options = port.initialAppOptions as Record<string, { entityTypeId: number }>
    const entityTypeId = options[APP_OPTION_KEYS.install]?.entityTypeId as number
    const list = await portal.rest<{ items: { id: number; title: string }[] }>(PEOPLE.admin, 'crm.item.list', { entityTypeId, select: ['id', 'title'] })
    item = list.items[0] as { id: number; title: string }
    const entry = resolvePlacement({ code: PLACEMENTS.appLink, options: { contract: String(item.id), URI: '/company/personal/user/1/blog/' } }, notInstalling)

    const pinia = createPinia()
    setActivePinia(pinia)
    await useSessionStore().start(async () => port)
    const { wrapper } = mountApp(ContractTabView, { pinia, props: entry.props })
    await waitFor(() => wrapper.find('[data-testid="contract-title"]').exists())
    expect(wrapper.get('[data-testid="contract-title"]').text()).toBe(item.title)
    expect(wrapper.get('[data-testid="contract-id"]').text()).toContain(String(item.id))
    expect(wrapper.find('[data-testid="no-contract-id"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('with no install record in the frame it says so instead of guessing', async () => {
    const port = portal.portAs(PEOPLE.lawyer)
    const pinia = createPinia()
    setActivePinia(pinia)
    await useSessionStore().start(async () => port)
    const { wrapper } = mountApp(ContractTabView, { pinia, props: { entityTypeId: null, itemId: 1 } })
    expect(wrapper.find('[data-testid="no-contract-id"]').exists()).toBe(true)
    wrapper.unmount()
  })
})
