/**
 * The workspace's "My approvals" and "My contracts" on the demo portal (emulator in a child
 * process, the real SDK in Node): what each person sees, the overdue highlight and the round
 * badge, the empty states, the stage filter, paging past 50 and the view's one-request start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WorkspaceInbox from '../../../src/components/workspace/WorkspaceInbox.vue'
import WorkspaceMyContracts from '../../../src/components/workspace/WorkspaceMyContracts.vue'
import WorkspaceView from '../../../src/placements/WorkspaceView.vue'
import { APP_OPTION_KEYS, cardPath } from '../../../src/domain/schema.ts'
import { parseContractSpace, type ContractSpace } from '../../../src/services/approval/context.ts'
import { startPortalProcess, type PortalProcess } from '../../support/portal-process.ts'
import { waitFor } from '../setup.ts'
import { flush, mountAs } from './helpers.ts'
import { PEOPLE } from '../../support/people.ts'

/** Demo-portal people (emulator/seed/people.ts) and the resubmitted contract (stories.ts). */
const ADMIN = PEOPLE.admin
const SALES = PEOPLE.salesManager
const PROCUREMENT = PEOPLE.procurementManager
const LAWYER = PEOPLE.lawyer
const NO_ACCESS = PEOPLE.noAccess
const RESUBMITTED_NUMBER = 'СЕВ-П-2026/0777'

let portal: PortalProcess
let options: Record<string, unknown>
let space: ContractSpace

beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'demo' })
  options = await portal.rest<Record<string, unknown>>(ADMIN, 'app.option.get')
  space = parseContractSpace(options[APP_OPTION_KEYS.install]) as ContractSpace
}, 60_000)
afterAll(async () => {
  await portal?.close()
})

const rows = (w: { findAll(s: string): { attributes(n: string): string | undefined; text(): string }[] }) => w.findAll('[data-testid="workspace-row"]')

describe('My approvals', () => {
  it('lists what waits on the lawyer, overdue first and highlighted, the resubmission marked round 2', async () => {
    const { wrapper, opened, store } = await mountAs(portal, LAWYER, WorkspaceInbox)
    const shown = rows(wrapper)
    expect(shown.length).toBeGreaterThanOrEqual(3)
    expect(wrapper.find('[data-testid="workspace-inbox-count"]').text()).toContain(String(shown.length))
    const overdue = shown.map((r) => r.attributes('data-overdue') === 'true')
    expect(overdue[0]).toBe(true)
    expect(overdue.lastIndexOf(true)).toBeLessThan(overdue.indexOf(false))
    const late = wrapper.find('[data-testid="workspace-row"][data-overdue="true"] [data-testid="workspace-row-deadline"]')
    expect(late.text()).toMatch(/^Просрочено: срок истёк /)
    expect(late.classes().join(' ')).toContain('alert')

    const again = shown.find((r) => r.text().includes(RESUBMITTED_NUMBER))
    expect(again?.text()).toContain('Повторно — круг 2')
    expect(wrapper.findAll('[data-testid="workspace-row-round"]')).toHaveLength(1)
    // Author and counterparty are named, not shown as ids.
    expect(again?.text()).toContain('Автор: Мария Козлова')
    expect(wrapper.find('[data-testid="workspace-row-company"]').exists()).toBe(true)

    // A click opens the card in the portal's slider, then the lists refresh.
    const id = Number(again?.attributes('data-id'))
    await wrapper.get(`[data-testid="workspace-row"][data-id="${id}"]`).trigger('click')
    await waitFor(() => opened.length === 1 && !store.refreshing)
    expect(opened).toEqual([cardPath(space.entityTypeId, id)])
    wrapper.unmount()
  })

  it('a user without CRM rights gets the empty states', async () => {
    const inbox = await mountAs(portal, NO_ACCESS, WorkspaceInbox)
    expect(inbox.wrapper.find('[data-testid="workspace-inbox-empty"]').text()).toContain('Нет договоров, ждущих вашего решения')
    expect(rows(inbox.wrapper)).toHaveLength(0)
    inbox.wrapper.unmount()
    const mine = await mountAs(portal, NO_ACCESS, WorkspaceMyContracts, { locale: 'en' })
    expect(mine.wrapper.find('[data-testid="workspace-mine-empty"]').text()).toContain('You have no contracts')
    mine.wrapper.unmount()
  })
})

describe('My contracts', () => {
  it('shows the author\'s contracts with stages, highlights the returned ones and filters by stage', async () => {
    const { wrapper, store } = await mountAs(portal, SALES, WorkspaceMyContracts)
    const shown = rows(wrapper)
    expect(shown.length).toBeGreaterThan(5)
    expect(new Set(shown.map((r) => r.attributes('data-stage'))).size).toBeGreaterThan(3)
    const returned = wrapper.findAll('[data-testid="workspace-row"][data-stage="RETURNED"]')
    expect(returned.length).toBeGreaterThan(0)
    for (const r of returned) expect(r.find('[data-testid="workspace-row-needs-you"]').text()).toBe('Нужны ваши правки')
    // Who holds a contract on approval is named.
    const holders = wrapper.find('[data-testid="workspace-row"][data-stage="APPROVAL"] [data-testid="workspace-row-holders"]')
    expect(holders.text()).toMatch(/^Сейчас согласу(ет|ют): [А-ЯЁ][а-яё]+ [А-ЯЁ]/)
    expect(wrapper.get('[data-testid="workspace-returned-alert"]').text()).toContain(`Возвращены вам на доработку: ${returned.length}`)

    await wrapper.get('[data-testid="workspace-stage-RETURNED"]').trigger('click')
    await waitFor(() => store.mineStage === 'RETURNED' && !store.mine.loadingMore)
    await flush()
    expect(rows(wrapper).map((r) => r.attributes('data-stage'))).toEqual(returned.map(() => 'RETURNED'))
    expect(wrapper.find('[data-testid="workspace-returned-alert"]').exists()).toBe(false)

    await wrapper.get('[data-testid="workspace-stage-WITHDRAWN"]').trigger('click')
    await waitFor(() => store.mineStage === 'WITHDRAWN' && !store.mine.loadingMore)
    await flush()
    const withdrawn = rows(wrapper)
    expect(withdrawn.every((r) => r.attributes('data-stage') === 'WITHDRAWN')).toBe(true)
    expect(withdrawn.length).toBeGreaterThan(0)
    wrapper.unmount()
  })

  it('pages past 50 with "show more" until everything is shown', async () => {
    const before = await portal.rest<{ items: unknown[] }>(ADMIN, 'crm.item.list', { entityTypeId: space.entityTypeId, filter: { assignedById: PROCUREMENT }, select: ['id'], start: -1 })
    const total = 57
    for (let i = before.items.length; i < total; i++) {
      await portal.rest(ADMIN, 'crm.item.add', { entityTypeId: space.entityTypeId, fields: { title: `Черновик поставки ${i}`, assignedById: PROCUREMENT } })
    }
    const { wrapper, store, port } = await mountAs(portal, PROCUREMENT, WorkspaceMyContracts)
    expect(rows(wrapper)).toHaveLength(50)
    // The portal's count, not the rows on the page («50+»).
    expect(wrapper.get('[data-testid="workspace-mine-count"]').text()).toContain(`Договоров: ${total}`)
    const requests = port.requestCount()
    await wrapper.get('[data-testid="workspace-show-more"]').trigger('click')
    await waitFor(() => store.mine.next === null && !store.mine.loadingMore)
    await flush()
    expect(port.requestCount() - requests).toBe(1)
    expect(rows(wrapper)).toHaveLength(total)
    expect(new Set(rows(wrapper).map((r) => r.attributes('data-id'))).size).toBe(total)
    expect(wrapper.find('[data-testid="workspace-show-more"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

describe('the workspace view', () => {
  it('starts in ONE request: greeting, inbox count in the tab, the inbox; returning to the page refreshes', async () => {
    const { wrapper, port, store } = await mountAs(portal, LAWYER, WorkspaceView, { frameOptions: options, load: false })
    await waitFor(() => wrapper.find('[data-testid="greeting"]').exists() && rows(wrapper).length > 0)
    expect(port.requestCount()).toBe(1)
    expect(wrapper.get('[data-testid="greeting"]').text()).toContain('Елена Соколова')
    expect(wrapper.get('[data-testid="workspace-tabs"]').text()).toContain(`Мои согласования${store.inboxCount}`)

    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
    document.dispatchEvent(new Event('visibilitychange'))
    await waitFor(() => port.requestCount() === 2 && !store.refreshing)
    wrapper.unmount()
  })
})

describe('the workspace view before the app is installed', () => {
  it('still greets the user and says why there are no lists', async () => {
    const bare = await startPortalProcess({ seed: 'people' })
    try {
      const { wrapper } = await mountAs(bare, ADMIN, WorkspaceView, { load: false })
      await waitFor(() => wrapper.find('[data-testid="app-error"]').exists() && wrapper.find('[data-testid="greeting"]').exists())
      expect(wrapper.get('[data-testid="app-error"]').attributes('data-error-kind')).toBe('validation')
      expect(rows(wrapper)).toHaveLength(0)
      wrapper.unmount()
    } finally {
      await bare.close()
    }
  })
})
