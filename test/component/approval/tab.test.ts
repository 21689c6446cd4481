/**
 * The approval tab on a real portal (emulator in a child process, real SDK): what each person
 * sees and may do, that a decision is written through the emulator and shown, that a double
 * click records one event, that refusals read as sentences, and that the tab follows someone
 * else's decision without a reload.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises } from '@vue/test-utils'
import ContractTabView from '../../../src/placements/ContractTabView.vue'
import { useSessionStore } from '../../../src/stores/session.ts'
import { useContractCardStore } from '../../../src/stores/contractCard.ts'
import { parseContractSpace, type ContractSpace } from '../../../src/services/approval/context.ts'
import { act, type Intent } from '../../../src/services/approval/actions.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../../src/domain/route.ts'
import { startPortalProcess, type PortalProcess } from '../../support/portal-process.ts'
import type { NodePort } from '../../support/node-port.ts'
import { mountApp, waitFor } from '../setup.ts'
import { PEOPLE } from '../../support/people.ts'

const ADMIN = PEOPLE.admin
const AUTHOR = PEOPLE.salesManager
const LAWYER = PEOPLE.lawyer
const CFO = PEOPLE.cfo
const CEO = PEOPLE.ceo
const ARCHIVIST = PEOPLE.archivist

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'ui', name: 'Тестовый маршрут', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист и финансы', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: LAWYER }, { kind: 'user', userId: CFO }] },
      { title: 'Генеральный директор', mode: 'all', slaHours: 48, approvers: [{ kind: 'user', userId: CEO }] },
    ],
  }],
}

let portal: PortalProcess
let space: ContractSpace

async function draft(title: string): Promise<number> {
  const f = space.fields
  const res = await portal.rest<{ item: { id: number } }>(AUTHOR, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: { title, assignedById: AUTHOR, [f.number]: 'UI-1', [f.amount]: '250000|RUB', opportunity: 250000, currencyId: 'RUB' },
  })
  return Number(res.item.id)
}

/** Someone acting in another tab: the real writer over that person's own port. */
async function actAs(userId: number, itemId: number, intent: Intent) {
  const res = await act(portal.portAs(userId), space, {
    itemId, actor: { id: userId, name: `User ${userId}` }, eventId: crypto.randomUUID(), at: new Date().toISOString(), intent,
  }, { tuning: { settleMs: 40 } })
  if (!res.ok) throw new Error(`act refused: ${res.reason}`)
  return res
}

async function mountTab(userId: number, itemId: number, locale: 'ru' | 'en' = 'ru', port: NodePort = portal.portAs(userId)) {
  const pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().start(async () => port)
  const before = port.requestCount()
  const mounted = mountApp(ContractTabView, { locale, pinia, props: { entityTypeId: space.entityTypeId, itemId } })
  await waitFor(() => mounted.wrapper.find('[data-testid="approval-header"]').exists() || mounted.wrapper.find('[data-testid="contract-unavailable"]').exists())
  return { ...mounted, port, before, store: useContractCardStore() }
}

beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'demo' })
  const opts = await portal.rest<Record<string, unknown>>(ADMIN, 'app.option.get')
  const parsed = parseContractSpace(opts[APP_OPTION_KEYS.install])
  if (!parsed) throw new Error('no ca_install on the demo portal')
  space = parsed
  await portal.rest(ADMIN, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
}, 60_000)

afterAll(async () => {
  await portal?.close()
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('approval tab', () => {
  it('the author submits a draft; the first render took one request', async () => {
    const itemId = await draft('Договор на сервис с ООО «Ромашка»')
    const { wrapper, port, before, store } = await mountTab(AUTHOR, itemId)
    expect(port.requestCount() - before).toBe(1)
    expect(wrapper.get('[data-testid="contract-title"]').text()).toBe('Договор на сервис с ООО «Ромашка»')
    expect(wrapper.get('[data-testid="approval-stage"]').attributes('data-stage')).toBe('NEW')
    expect(wrapper.find('[data-testid="action-approve"]').exists()).toBe(false)
    await wrapper.get('[data-testid="action-submit"]').trigger('click')
    await waitFor(() => store.projection.stageCode === 'APPROVAL', 15_000)
    await flushPromises()
    expect(wrapper.get('[data-testid="approval-stage"]').attributes('data-stage')).toBe('APPROVAL')
    const current = wrapper.findAll('[data-testid="approval-current-approver"]').map((w) => Number(w.attributes('data-user-id')))
    expect(current.sort()).toEqual([LAWYER, CFO])
    expect(wrapper.find('[data-testid="action-withdraw"]').exists()).toBe(true)
    expect(wrapper.findAll('[data-testid="approval-history-item"]').map((w) => w.attributes('data-type'))).toEqual(['submitted'])
    wrapper.unmount()
  })

  it('in a frame, the first render reads exactly the people the card names, in one request', async () => {
    const itemId = await draft('Договор из фрейма')
    await actAs(AUTHOR, itemId, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] })
    await actAs(LAWYER, itemId, { type: 'approve', round: 1, step: 0 })
    // What the frame got with APP_OPTIONS at init.
    const appOptions = await portal.rest<Record<string, unknown>>(ADMIN, 'app.option.get')
    const port: NodePort = { ...portal.portAs(CFO), initialAppOptions: appOptions }
    const { wrapper, before, store } = await mountTab(CFO, itemId, 'ru', port)
    expect(port.requestCount() - before).toBe(1)
    expect([...store.users.keys()].sort((a, b) => a - b)).toEqual([AUTHOR, LAWYER, CFO, CEO])
    const cfo = await portal.rest<{ NAME: string; LAST_NAME: string }>(CFO, 'user.current')
    expect(wrapper.get('[data-testid="approval-current-approver"]').text()).toContain(`${cfo.NAME} ${cfo.LAST_NAME}`)
    // The history names the lawyer as the log recorded the decision.
    expect(wrapper.get('[data-testid="approval-history"]').text()).toContain('User 5')
    wrapper.unmount()
  })

  it('an approver approves once however often the button is clicked', async () => {
    const itemId = await draft('Договор двойного клика')
    await actAs(AUTHOR, itemId, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] })
    const { wrapper, store } = await mountTab(LAWYER, itemId)
    const button = wrapper.get('[data-testid="action-approve"]')
    await button.trigger('click')
    await button.trigger('click')
    await button.trigger('click')
    await waitFor(() => store.busy === null && store.projection.decisions.length === 1, 15_000)
    await flushPromises()
    expect(store.record?.stored.log.events.filter((e) => e.type === 'approved')).toHaveLength(1)
    expect(wrapper.find('[data-testid="action-approve"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="approval-read-only"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('a return needs a comment; the author then sees it, and the next round shows it with the earlier mark', async () => {
    const itemId = await draft('Договор с возвратом')
    await actAs(AUTHOR, itemId, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] })
    await actAs(LAWYER, itemId, { type: 'approve', round: 1, step: 0 })

    const cfo = await mountTab(CFO, itemId)
    await cfo.wrapper.get('[data-testid="action-return"]').trigger('click')
    await waitFor(() => document.body.querySelector('[data-testid="return-confirm"]') !== null)
    ;(document.body.querySelector('[data-testid="return-confirm"]') as HTMLButtonElement).click()
    await waitFor(() => document.body.querySelector('[data-testid="return-comment-required"]') !== null)
    expect(cfo.store.busy).toBeNull()
    const textarea = document.body.querySelector('[data-testid="return-comment"] textarea, textarea[data-testid="return-comment"]') as HTMLTextAreaElement
    textarea.value = 'Уточните график платежей'
    textarea.dispatchEvent(new Event('input'))
    ;(document.body.querySelector('[data-testid="return-confirm"]') as HTMLButtonElement).click()
    await waitFor(() => cfo.store.projection.stageCode === 'RETURNED', 15_000)
    cfo.wrapper.unmount()
    document.body.innerHTML = ''

    const author = await mountTab(AUTHOR, itemId)
    expect(author.wrapper.get('[data-testid="approval-return-notes"]').text()).toContain('Уточните график платежей')
    expect(author.wrapper.get('[data-testid="approval-return-notes"]').text()).toContain('Договор вернули на доработку')
    expect(author.wrapper.find('[data-testid="action-resubmit"]').exists()).toBe(true)
    author.wrapper.unmount()
    document.body.innerHTML = ''

    // The author fixes the amount before resubmitting.
    await portal.rest(AUTHOR, 'crm.item.update', { entityTypeId: space.entityTypeId, id: itemId, fields: { [space.fields.amount]: '300000|RUB' } })
    await actAs(AUTHOR, itemId, { type: 'resubmit', routeSet: ROUTES, departmentHeadIds: [] })
    const again = await mountTab(CFO, itemId)
    const changes = again.wrapper.findAll('[data-testid="approval-change"]')
    expect(changes.map((c) => c.attributes('data-field'))).toEqual(['amount'])
    expect(changes[0]?.text().replace(/\s/g, ' ')).toMatch(/Сумма: ?250 000,00 ₽ → 300 000,00 ₽/)
    expect(again.wrapper.get('[data-testid="approval-round-badge"]').text()).toBe('Повторно — круг 2')
    expect(again.wrapper.get('[data-testid="approval-return-notes"]').text()).toContain('В прошлом круге просили исправить')
    expect(again.wrapper.get('[data-testid="approval-return-notes"]').text()).toContain('Уточните график платежей')
    const marks = again.wrapper.findAll('[data-testid="approval-step-person"]')
      .filter((w) => Number(w.attributes('data-user-id')) === LAWYER)
      .map((w) => w.find('[data-testid="approval-reviewed-mark"]').text())
    expect(marks[0]).toMatch(/^уже согласовала в круге 1, /)
    again.wrapper.unmount()
  })

  it('shows a stale decision as a sentence, and follows another approver live', async () => {
    const itemId = await draft('Живой договор')
    await actAs(AUTHOR, itemId, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] })
    const { wrapper, store, pinia } = await mountTab(LAWYER, itemId, 'en')
    await actAs(CFO, itemId, { type: 'approve', round: 1, step: 0 })
    // The poll sees the change and reloads without a page reload.
    await store.poll()
    await flushPromises()
    expect(wrapper.findAll('[data-testid="approval-current-approver"]').map((w) => Number(w.attributes('data-user-id')))).toEqual([LAWYER])

    // The author withdraws (confirming in the dialog) behind the lawyer's back.
    const authorTab = await mountTab(AUTHOR, itemId)
    await authorTab.wrapper.get('[data-testid="action-withdraw"]').trigger('click')
    await waitFor(() => document.body.querySelector('[data-testid="withdraw-confirm"]') !== null)
    ;(document.body.querySelector('[data-testid="withdraw-confirm"]') as HTMLButtonElement).click()
    await waitFor(() => authorTab.store.projection.stageCode === 'WITHDRAWN', 15_000)
    authorTab.wrapper.unmount()
    // The lawyer's tab (a different Pinia) has not polled yet: the click is refused, in English.
    setActivePinia(pinia)
    await wrapper.get('[data-testid="action-approve"]').trigger('click')
    await waitFor(() => store.refusal !== null, 15_000)
    await flushPromises()
    expect(wrapper.get('[data-testid="approval-refusal"]').attributes('data-code')).toBe('wrongStage')
    expect(wrapper.get('[data-testid="approval-refusal"]').text()).toContain('This action is not available at this stage.')
    expect(wrapper.get('[data-testid="approval-stage"]').attributes('data-stage')).toBe('WITHDRAWN')
    wrapper.unmount()
  })

  it('refuses to act on history edited outside the app, and says where', async () => {
    const itemId = await draft('Договор с подправленной историей')
    await actAs(AUTHOR, itemId, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] })
    await actAs(LAWYER, itemId, { type: 'approve', round: 1, step: 0 })
    const f = space.fields
    const { item } = await portal.rest<{ item: Record<string, unknown> }>(ADMIN, 'crm.item.get', { entityTypeId: space.entityTypeId, id: itemId })
    const log = JSON.parse(String(item[f.approvalLog]))
    log.events[1].actor.name = 'Кто-то другой'
    await portal.rest(ADMIN, 'crm.item.update', { entityTypeId: space.entityTypeId, id: itemId, fields: { [f.approvalLog]: JSON.stringify(log) } })
    const { wrapper } = await mountTab(CFO, itemId)
    expect(wrapper.get('[data-testid="approval-broken-chain"]').text()).toContain('запись № 2')
    expect(wrapper.find('[data-testid="action-approve"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('is read-only for someone not on the route', async () => {
    const itemId = await draft('Чужой договор')
    await actAs(AUTHOR, itemId, { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] })
    const { wrapper } = await mountTab(ARCHIVIST, itemId)
    expect(wrapper.find('[data-testid="approval-read-only"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="approval-actions"] button').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="approval-step"]').map((w) => w.attributes('data-status'))).toEqual(['current', 'waiting'])
    wrapper.unmount()
  })
})
