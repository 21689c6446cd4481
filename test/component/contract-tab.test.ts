/**
 * The contract card tab and the workspace on the demo portal through the real SDK and the
 * emulator: the greeting the smoke test looks for, the contract title, the ONE request of the
 * first render, and an honest message when CRM rights hide the contract.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import App from '../../src/App.vue'
import ContractTabView from '../../src/placements/ContractTabView.vue'
import { useSessionStore } from '../../src/stores/session.ts'
import { CONTRACT_TYPE, PLACEMENTS } from '../../src/domain/schema.ts'
import type { Locale } from '../../src/locales/index.ts'
import { startPortalProcess } from '../support/portal-process.ts'
import type { PortalProcess } from '../support/portal-process.ts'
import type { NodePort } from '../support/node-port.ts'
import { mountApp, waitFor } from './setup.ts'
import { PEOPLE } from '../support/people.ts'

const ADMIN = PEOPLE.admin
const SALES_MANAGER = 2 // CRM rights: own contracts only
const LAWYER = 5 // reads every contract

interface Item { id: number; title: string; assignedById: number; createdBy: number }

let portal: PortalProcess
let entityTypeId: number
let items: Item[]

async function fullName(userId: number): Promise<string> {
  const me = await portal.rest<{ NAME: string; LAST_NAME: string }>(userId, 'user.current')
  return `${me.NAME} ${me.LAST_NAME}`
}

async function mountTab(userId: number, itemId: number | null, locale: Locale = 'ru') {
  const port = portal.portAs(userId)
  // As App.vue does: a placement view is rendered only once the session is connected.
  const pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().start(async () => port)
  const before = port.requestCount()
  const mounted = mountApp(ContractTabView, { locale, pinia, props: { entityTypeId, itemId } })
  return { ...mounted, port, before }
}

beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'demo' })
  const { types } = await portal.rest<{ types: { title: string; entityTypeId: number }[] }>(ADMIN, 'crm.type.list')
  const type = types.find((t) => t.title === CONTRACT_TYPE.title)
  if (!type) throw new Error('the demo seed has no contracts smart process')
  entityTypeId = Number(type.entityTypeId)
  const list = await portal.rest<{ items: Item[] }>(ADMIN, 'crm.item.list', { entityTypeId, select: ['id', 'title', 'assignedById', 'createdBy'] })
  items = list.items
}, 60_000)

afterAll(async () => {
  await portal?.close()
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('contract tab', () => {
  it('greets the user by full name and shows the contract title, in one REST request', async () => {
    const item = items[0]!
    const { wrapper, port, before } = await mountTab(LAWYER, item.id)
    await waitFor(() => wrapper.find('[data-testid="greeting"]').exists())
    expect(wrapper.get('[data-testid="greeting"]').text()).toBe(`Здравствуйте, ${await fullName(LAWYER)}!`)
    expect(wrapper.get('[data-testid="contract-id"]').text()).toContain(String(item.id))
    expect(wrapper.get('[data-testid="contract-title"]').text()).toBe(item.title)
    expect(port.requestCount() - before).toBe(1)
    wrapper.unmount()
  })

  it('says the contract is hidden by CRM rights, and still greets', async () => {
    const foreign = items.find((i) => Number(i.assignedById) !== SALES_MANAGER && Number(i.createdBy) !== SALES_MANAGER)
    if (!foreign) throw new Error('the demo seed has no contract foreign to the sales manager')
    const { wrapper } = await mountTab(SALES_MANAGER, foreign.id)
    await waitFor(() => wrapper.find('[data-testid="contract-unavailable"]').exists())
    const alert = wrapper.get('[data-testid="contract-unavailable"]')
    expect(alert.attributes('data-error-kind')).toBe('access')
    expect(alert.text()).toContain('У вас нет доступа к этому договору в CRM')
    expect(wrapper.find('[data-testid="contract-title"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="greeting"]').text()).toContain(await fullName(SALES_MANAGER))
    wrapper.unmount()
  })

  it('says the contract was not found when it does not exist', async () => {
    const { wrapper } = await mountTab(LAWYER, 987_654_321, 'en')
    await waitFor(() => wrapper.find('[data-testid="contract-unavailable"]').exists())
    expect(wrapper.get('[data-testid="contract-unavailable"]').attributes('data-error-kind')).toBe('notFound')
    expect(wrapper.text()).toContain('The contract was not found')
    wrapper.unmount()
  })

  it('sends no request when Bitrix24 passed no contract id', async () => {
    const { wrapper, port, before } = await mountTab(LAWYER, null)
    await waitFor(() => wrapper.find('[data-testid="no-contract-id"]').exists())
    expect(port.requestCount()).toBe(before)
    wrapper.unmount()
  })
})

describe('App dispatch on a real port', () => {
  function withPlacement(port: NodePort, code: string, options: Record<string, unknown> = {}): NodePort {
    return { ...port, placement: { code, options } }
  }

  it('opens the workspace for LEFT_MENU and the tab for the detail-tab placement', async () => {
    const menu = mountApp(App, { props: { connect: async () => withPlacement(portal.portAs(LAWYER), PLACEMENTS.leftMenu) } }).wrapper
    await waitFor(() => menu.find('[data-testid="workspace"] [data-testid="greeting"]').exists())
    expect(menu.get('[data-testid="greeting"]').text()).toContain(await fullName(LAWYER))
    expect(menu.text()).toContain('Мои согласования')
    menu.unmount()

    const item = items[0]!
    const tab = mountApp(App, {
      props: { connect: async () => withPlacement(portal.portAs(LAWYER), PLACEMENTS.detailTab(entityTypeId), { ID: String(item.id) }) },
    }).wrapper
    await waitFor(() => tab.find('[data-testid="contract-title"]').exists())
    expect(tab.get('[data-testid="contract-tab"]').text()).toContain(item.title)
    tab.unmount()
  })

  it('switches to English for an English-speaking portal', async () => {
    const port = { ...withPlacement(portal.portAs(LAWYER), PLACEMENTS.leftMenu), lang: 'en' }
    const { wrapper } = mountApp(App, { props: { connect: async () => port } })
    await waitFor(() => wrapper.find('[data-testid="workspace"] [data-testid="greeting"]').exists())
    expect(wrapper.text()).toContain('My approvals')
    expect(wrapper.get('[data-testid="greeting"]').text()).toMatch(/^Hello, /)
    wrapper.unmount()
  })
})
