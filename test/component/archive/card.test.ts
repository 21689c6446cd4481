/**
 * The card's originals block on the demo portal (emulator in a child process, the real SDK):
 * a contract awaiting originals says since when and takes the receipt right there; once filed,
 * the card says where the paper is, since when and who took it. In English too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises } from '@vue/test-utils'
import { nextTick } from 'vue'
import ContractTabView from '../../../src/placements/ContractTabView.vue'
import { useContractCardStore } from '../../../src/stores/contractCard.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import { parseContractSpace, type ContractSpace } from '../../../src/services/approval/context.ts'
import { APP_OPTION_KEYS, stageId } from '../../../src/domain/schema.ts'
import { startPortalProcess, type PortalProcess } from '../../support/portal-process.ts'
import { mountApp, waitFor } from '../setup.ts'
import { PEOPLE } from '../../support/people.ts'

const ADMIN = PEOPLE.admin
const ARCHIVIST = PEOPLE.archivist

let portal: PortalProcess
let space: ContractSpace

async function idsIn(code: 'ORIGINALS' | 'SUCCESS', more: Record<string, unknown> = {}): Promise<number[]> {
  const res = await portal.rest<{ items: { id: number }[] }>(ADMIN, 'crm.item.list', {
    entityTypeId: space.entityTypeId, filter: { stageId: stageId(space.entityTypeId, space.categoryId, code), ...more }, select: ['id'], order: { id: 'ASC' },
  })
  return res.items.map((i) => Number(i.id))
}

async function mountCard(userId: number, itemId: number, locale: 'ru' | 'en' = 'ru') {
  const pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().start(async () => portal.portAs(userId))
  const mounted = mountApp(ContractTabView, { locale, pinia, props: { entityTypeId: space.entityTypeId, itemId } })
  await waitFor(() => mounted.wrapper.find('[data-testid="approval-header"]').exists(), 10_000)
  await flushPromises()
  return { ...mounted, store: useContractCardStore() }
}

beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'demo' })
  const opts = await portal.rest<Record<string, unknown>>(ADMIN, 'app.option.get')
  space = parseContractSpace(opts[APP_OPTION_KEYS.install]) as ContractSpace
}, 180_000)

afterAll(async () => {
  await portal?.close()
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the card\'s originals block', () => {
  it('awaiting: says since when, records the receipt in the card, then shows where the paper is', async () => {
    const [itemId] = await idsIn('ORIGINALS')
    const { wrapper, store } = await mountCard(ARCHIVIST, itemId as number)
    const block = wrapper.get('[data-testid="approval-originals"]')
    expect(block.attributes('data-state')).toBe('waiting')
    expect(block.text()).toContain('Ждём бумажный оригинал')
    expect(block.text()).toMatch(/Договор согласован \d{2}\.\d{2}\.\d{4}/)

    // Only the archivist has the action (the admin named her: Settings → Archivists).
    await waitFor(() => wrapper.find('[data-testid="approval-receive"]').exists(), 10_000)
    await wrapper.get('[data-testid="approval-receive"]').trigger('click')
    await waitFor(() => document.body.querySelector('[data-testid="archive-receive-dialog"]') !== null)
    const storage = document.body.querySelector<HTMLInputElement>('[data-testid="archive-receive-storage"]') as HTMLInputElement
    storage.value = 'Сейф бухгалтерии, ячейка 5'
    storage.dispatchEvent(new Event('input'))
    await nextTick()
    document.body.querySelector<HTMLElement>('[data-testid="archive-receive-confirm"]')?.click()
    await waitFor(() => wrapper.find('[data-testid="approval-originals"][data-state="archived"]').exists(), 15_000)
    expect(store.projection.stageCode).toBe('SUCCESS')
    expect(wrapper.get('[data-testid="approval-stage"]').attributes('data-stage')).toBe('SUCCESS')
    expect(wrapper.get('[data-testid="approval-originals-storage"]').text()).toBe('Сейф бухгалтерии, ячейка 5')
    expect(wrapper.get('[data-testid="approval-originals-by"]').text()).toBe('Татьяна Павлова')
    // Nothing more to do with the originals: no receipt button, in the timeline both moves.
    expect(wrapper.find('[data-testid="approval-receive"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('Татьяна Павлова: Отметила получение оригиналов')
    expect(wrapper.text()).toContain('Татьяна Павлова: Передала в архив')
    wrapper.unmount()
  })

  it('awaiting, as its author: where the paper is, and no receipt action', async () => {
    const [, itemId] = await idsIn('ORIGINALS')
    const item = await portal.rest<{ item: { assignedById: number } }>(ADMIN, 'crm.item.get', { entityTypeId: space.entityTypeId, id: itemId })
    const { wrapper } = await mountCard(Number(item.item.assignedById), itemId as number)
    expect(wrapper.get('[data-testid="approval-originals"]').attributes('data-state')).toBe('waiting')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 500))
    expect(wrapper.find('[data-testid="approval-receive"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('archived (seeded): where the original is kept, in English', async () => {
    // One the seed filed (the other test files one of its own).
    const [itemId] = await idsIn('SUCCESS', { [`%${space.fields.storageLocation}`]: 'Архив, стеллаж' })
    const { wrapper } = await mountCard(ADMIN, itemId as number, 'en')
    const block = wrapper.get('[data-testid="approval-originals"]')
    expect(block.attributes('data-state')).toBe('archived')
    expect(block.text()).toContain('Original archived')
    expect(wrapper.get('[data-testid="approval-originals-storage"]').text()).toMatch(/^Архив, стеллаж \d, папка \d+$/)
    expect(wrapper.get('[data-testid="approval-originals-received"]').text()).toMatch(/\d{2}\/\d{2}\/\d{4}/)
    wrapper.unmount()
  })
})
