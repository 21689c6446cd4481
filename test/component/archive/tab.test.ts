/**
 * The «Оригиналы и архив» tab on the demo portal (emulator in a child process, the real SDK in
 * Node): the one-request start, the waiting list oldest first with days waiting, recording a
 * receipt through the dialog (the row moves to the archive), the archive search, empty states.
 */
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import ArchiveOriginals from '../../../src/components/archive/ArchiveOriginals.vue'
import type { BitrixPort } from '../../../src/platform/port.ts'
import { parseContractSpace, type ContractSpace } from '../../../src/services/approval/context.ts'
import { APP_OPTION_KEYS, cardPath, stageId } from '../../../src/domain/schema.ts'
import { useArchiveStore } from '../../../src/stores/archive.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import type { NodePort } from '../../support/node-port.ts'
import { startPortalProcess, type PortalProcess } from '../../support/portal-process.ts'
import { createTestI18n, waitFor } from '../setup.ts'
import { PEOPLE } from '../../support/people.ts'

/** «день / дня / дней» by Russian plural rules (no «дн.»). */
const ruDays = (n: number): string => ({ one: 'день', few: 'дня' } as Record<string, string>)[new Intl.PluralRules('ru').select(n)] ?? 'дней'

/** Demo-portal people (emulator/seed/people.ts). */
const ADMIN = PEOPLE.admin
const ARCHIVIST = PEOPLE.archivist
const NO_ACCESS = PEOPLE.noAccess

let portal: PortalProcess
let options: Record<string, unknown>
let space: ContractSpace

beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'demo' })
  options = await portal.rest<Record<string, unknown>>(ADMIN, 'app.option.get')
  space = parseContractSpace(options[APP_OPTION_KEYS.install]) as ContractSpace
}, 180_000)
afterAll(async () => {
  await portal?.close()
})

async function mountTab(userId: number) {
  // Each mount is a fresh page: no query left in the address by an earlier search.
  history.replaceState(null, '', '/')
  const pinia = createPinia()
  setActivePinia(pinia)
  const opened: string[] = []
  const port: NodePort = { ...portal.portAs(userId), initialAppOptions: options, openPath: async (p: string) => void opened.push(p) }
  await useSessionStore().start(async () => port as BitrixPort)
  const store = useArchiveStore()
  const wrapper = mount(ArchiveOriginals, { attachTo: document.body, global: { plugins: [pinia, createTestI18n('ru'), b24UiPlugin] } })
  await waitFor(() => store.state === 'done' || store.state === 'error')
  await nextTick()
  return { wrapper, port, store, opened }
}

type W = Awaited<ReturnType<typeof mountTab>>['wrapper']
const waitingRows = (w: W) => w.findAll('[data-testid="archive-waiting"] [data-testid="archive-row"]')
const archiveRows = (w: W) => w.findAll('[data-testid="archive-browser"] [data-testid="archive-row"]')
const $ = (sel: string) => document.body.querySelector<HTMLElement>(`[data-testid="${sel}"]`)

/** The kit's input puts the test id on the <input> itself or on its wrapper. */
function field(w: W, id: string): HTMLInputElement {
  const el = w.get(`[data-testid="${id}"]`).element as HTMLElement
  return (el.tagName === 'INPUT' ? el : el.querySelector('input')) as HTMLInputElement
}

async function type(el: HTMLInputElement, value: string): Promise<void> {
  el.value = value
  el.dispatchEvent(new Event('input'))
  await nextTick()
}

describe('the originals and archive tab', () => {
  it('starts in ONE request: the waiting list oldest first with days waiting, and the archive', async () => {
    const { wrapper, port, store } = await mountTab(ARCHIVIST)
    expect(port.requestCount()).toBe(1)
    const rows = waitingRows(wrapper)
    expect(rows.length).toBeGreaterThanOrEqual(3)
    const days = rows.map((r) => Number(r.get('[data-testid="archive-row-days"]').attributes('data-days')))
    expect(days).toEqual([...days].sort((a, b) => b - a))
    expect(days[0]).toBeGreaterThan(0)
    expect(rows[0]?.get('[data-testid="archive-row-days"]').text()).toBe(`ждёт ${days[0]} ${ruDays(days[0] as number)}`)
    expect(wrapper.get('[data-testid="archive-waiting-count"]').text()).toContain(String(rows.length))
    expect(rows[0]?.find('[data-testid="archive-row-company"]').exists()).toBe(true)
    const archived = archiveRows(wrapper)
    expect(archived.length).toBe(store.archive.rows.length)
    expect(archived.length).toBeGreaterThan(0)
    expect(archived[0]?.get('[data-testid="archive-row-storage"]').text()).toMatch(/Место хранения: \S+/)
    wrapper.unmount()
  })

  it('records a receipt through the dialog: the row leaves the waiting list for the archive', async () => {
    const { wrapper, port, store, opened } = await mountTab(ARCHIVIST)
    const first = waitingRows(wrapper)[0]
    const id = Number(first?.attributes('data-id'))
    const before = waitingRows(wrapper).length
    await first?.get('[data-testid="archive-row-receive"]').trigger('click')
    await waitFor(() => $('archive-receive-dialog') !== null)
    await type($('archive-receive-storage') as HTMLInputElement, 'Шкаф 7, полка 1, папка 3')
    $('archive-receive-confirm')?.click()
    await waitFor(() => store.receiving === null && !waitingRows(wrapper).some((r) => Number(r.attributes('data-id')) === id))
    await nextTick()
    expect(waitingRows(wrapper)).toHaveLength(before - 1)
    const filed = wrapper.get(`[data-testid="archive-browser"] [data-testid="archive-row"][data-id="${id}"]`)
    expect(filed.get('[data-testid="archive-row-storage"]').text()).toContain('Шкаф 7, полка 1, папка 3')
    expect(wrapper.get('[data-testid="archive-done"]').text()).toContain('передан в архив')

    // The portal agrees, as a fresh reader sees it.
    const item = await portal.rest<{ item: Record<string, unknown> }>(ADMIN, 'crm.item.get', { entityTypeId: space.entityTypeId, id })
    expect(String(item.item.stageId)).toMatch(/:SUCCESS$/)
    expect(item.item[space.fields.storageLocation]).toBe('Шкаф 7, полка 1, папка 3')
    expect(Number(item.item[space.fields.archivist])).toBe(ARCHIVIST)

    // Searching the archive by the number finds it; a click opens its card.
    const number = String(item.item[space.fields.number])
    const requests = port.requestCount()
    await type(field(wrapper, 'archive-filter-number'), number)
    field(wrapper, 'archive-filter-number').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))
    await waitFor(() => !store.searching && archiveRows(wrapper).length === 1)
    expect(port.requestCount() - requests).toBe(1)
    expect(archiveRows(wrapper)[0]?.attributes('data-id')).toBe(String(id))
    // Enter again on the query already shown (as after the pause that searched by itself) asks nothing.
    field(wrapper, 'archive-filter-number').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))
    await new Promise((r) => setTimeout(r, 50))
    expect(port.requestCount() - requests).toBe(1)
    await archiveRows(wrapper)[0]?.get('[data-testid="archive-row-open"]').trigger('click')
    expect(opened).toEqual([cardPath(space.entityTypeId, id)])

    await type(field(wrapper, 'archive-search'), 'нет-такого-договора-999')
    field(wrapper, 'archive-search').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))
    await waitFor(() => !store.searching && wrapper.find('[data-testid="archive-empty"]').exists())
    expect(wrapper.get('[data-testid="archive-empty"]').text()).toContain('Ничего не найдено')
    // The search is in the page address: a reload of the page starts with it.
    expect(new URLSearchParams(location.search).get('ca_q')).toBe('нет-такого-договора-999')
    wrapper.unmount()
  })

  it('a user without CRM rights sees «no access», not "all originals received" or "the archive is empty"', async () => {
    const { wrapper } = await mountTab(NO_ACCESS)
    expect(wrapper.get('[data-testid="archive-no-access"]').text()).toContain('Нет доступа к договорам')
    expect(wrapper.find('[data-testid="archive-waiting-empty"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="archive-empty"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('anyone but the archivist sees where the paper is, without the receipt action', async () => {
    const { wrapper, store } = await mountTab(PEOPLE.ceo)
    expect(store.mayReceive).toBe(false)
    expect(waitingRows(wrapper).length).toBeGreaterThan(0)
    expect(wrapper.find('[data-testid="archive-row-receive"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="archive-scan"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="archive-not-archivist"]').text()).toContain('архивариус')
    expect(waitingRows(wrapper)[0]?.get('[data-testid="archive-row-bringer"]').text()).toMatch(/Оригинал приносит: \S+/)
    // And the store refuses even if asked directly.
    const res = await store.receive(Number(waitingRows(wrapper)[0]?.attributes('data-id')), { receivedAt: '2026-11-30', storageLocation: 'У меня в столе' })
    expect(res).toEqual({ ok: false, refusal: 'notArchivist', error: null })
    wrapper.unmount()
  })

  it('counts every contract, not the page shown: «Договоров: 63» waiting, the archive\'s total and a search\'s', async () => {
    const waitingStage = stageId(space.entityTypeId, space.categoryId, 'ORIGINALS')
    const have = await portal.rest<{ items: unknown[] }>(ADMIN, 'crm.item.list', { entityTypeId: space.entityTypeId, filter: { stageId: waitingStage }, select: ['id'], start: -1 })
    const total = 63
    for (let i = have.items.length; i < total; i++) {
      await portal.rest(ADMIN, 'crm.item.add', { entityTypeId: space.entityTypeId, fields: { title: `Ждёт оригинала ${i}`, stageId: waitingStage } })
    }
    const archived = await portal.rest<{ items: unknown[] }>(ADMIN, 'crm.item.list', { entityTypeId: space.entityTypeId, filter: { stageId: stageId(space.entityTypeId, space.categoryId, 'SUCCESS') }, select: ['id'], start: 0 })
    // The demo archive fits one page, so its rows are its count.
    expect(archived.items.length).toBeLessThan(50)
    const { wrapper, store } = await mountTab(ARCHIVIST)
    expect(waitingRows(wrapper)).toHaveLength(50)
    expect(wrapper.get('[data-testid="archive-waiting-count"]').text()).toContain(`Договоров: ${total}`)
    expect(wrapper.get('[data-testid="archive-count"]').text()).toContain(`Договоров: ${archived.items.length}`)

    await type(field(wrapper, 'archive-search'), 'нет-такого-договора-999')
    field(wrapper, 'archive-search').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))
    await waitFor(() => !store.searching && wrapper.find('[data-testid="archive-empty"]').exists())
    expect(wrapper.get('[data-testid="archive-count"]').text()).toContain('Найдено: 0')
    wrapper.unmount()
  })
})
