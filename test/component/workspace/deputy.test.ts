/**
 * The workspace's «Отпуск и заместитель» panel for a person who is not an administrator, on a
 * portal whose app was installed before the deputies storage existed (seed «people»: no storage):
 * the form's localized checks, a clear message when the storage is missing and cannot be made,
 * and otherwise the storage made on first use, the deputy shown, then removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import WorkspaceDeputy from '../../../src/components/workspace/WorkspaceDeputy.vue'
import type { BitrixPort, PickedUser } from '../../../src/platform/port.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import { localDay } from '../../../src/stores/deputies.ts'
import { startPortalProcess, type PortalProcess } from '../../support/portal-process.ts'
import { PEOPLE } from '../../support/people.ts'
import { mountApp, waitFor } from '../setup.ts'
import { flush } from './helpers.ts'

let portal: PortalProcess
beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'people' })
}, 60_000)
afterAll(async () => {
  await portal?.close()
})

const CFO = { id: PEOPLE.cfo, name: 'Сергей Морозов' }
const HEAD = { id: PEOPLE.salesHead, name: 'Игорь Кузнецов' }
const shift = (days: number) => {
  const d = new Date(`${localDay()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The panel as the CFO; the employee selector answers `picks` in turn. */
async function mountPanel(picks: PickedUser[]) {
  const base = portal.portAs(CFO.id)
  const port = { ...base, selectUser: async () => picks.shift() ?? null } as unknown as BitrixPort
  const pinia = createPinia()
  setActivePinia(pinia)
  const session = useSessionStore(pinia)
  await session.start(async () => port)
  session.setUser({ id: CFO.id, name: 'Сергей', lastName: 'Морозов', fullName: CFO.name, position: '', photo: null, departmentIds: [] })
  const { wrapper } = mountApp(WorkspaceDeputy, { pinia })
  await flush()
  return wrapper
}

type W = Awaited<ReturnType<typeof mountPanel>>
const button = (w: W, label: string) => {
  const b = w.findAll('button').find((x) => x.text() === label)
  if (!b) throw new Error(`no button «${label}»: ${w.text()}`)
  return b
}
const input = (w: W, label: string) => w.get(`input[aria-label="${label}"]`)
const picked = (u: { id: number; name: string }): PickedUser => ({ id: u.id, name: u.name, position: '', photo: null })

describe('my deputy (a person who is not an administrator)', () => {
  it('says what is wrong in plain Russian and keeps Save off', async () => {
    const w = await mountPanel([picked(CFO), picked(HEAD)])
    await waitFor(() => w.text().includes('Назначьте заместителя'))
    await button(w, 'Назначить заместителя').trigger('click')
    await flush()
    await button(w, 'Выбрать').trigger('click')
    await waitFor(() => w.text().includes('Нельзя назначить заместителем самого себя.'))
    expect(button(w, 'Сохранить').attributes('disabled')).toBeDefined()
    await button(w, 'Выбрать').trigger('click')
    await waitFor(() => w.text().includes(HEAD.name))
    await input(w, 'Первый день').setValue(shift(3))
    await input(w, 'Последний день').setValue(shift(1))
    await waitFor(() => w.text().includes('Последний день раньше первого.'))
    await input(w, 'Первый день').setValue(shift(-9))
    await input(w, 'Последний день').setValue(shift(-2))
    await waitFor(() => w.text().includes('Эти дни уже прошли: выберите период, который ещё не закончился.'))
    expect(button(w, 'Сохранить').attributes('disabled')).toBeDefined()
    w.unmount()
  })

  it('when the storage is missing and cannot be made, says so and whom to ask', async () => {
    await portal.control({ failMethods: { 'entity.add': 20 } })
    try {
      const w = await mountPanel([picked(HEAD)])
      await button(w, 'Назначить заместителя').trigger('click')
      await flush()
      await button(w, 'Выбрать').trigger('click')
      await waitFor(() => w.text().includes(HEAD.name))
      await button(w, 'Сохранить').trigger('click')
      await waitFor(() => w.text().includes('Хранилище заместителей на портале ещё не создано'), 60_000)
      expect(w.text()).toContain('Попросите администратора портала открыть приложение и повторить установку.')
      w.unmount()
    } finally {
      await portal.control({ failMethods: { 'entity.add': 0 } })
    }
  }, 90_000)

  it('otherwise makes the storage on first use, shows the deputy for the days, and removes it', async () => {
    const w = await mountPanel([picked(HEAD)])
    await button(w, 'Назначить заместителя').trigger('click')
    await flush()
    await button(w, 'Выбрать').trigger('click')
    await waitFor(() => w.text().includes(HEAD.name))
    await input(w, 'Первый день').setValue(shift(0))
    await input(w, 'Последний день').setValue(shift(4))
    await button(w, 'Сохранить').trigger('click')
    await waitFor(() => w.text().includes('(5 дней) ваши новые согласования получает Игорь Кузнецов.'), 30_000)
    expect(w.text()).toContain('Сохранено: с ')
    await button(w, 'Отменить замещение').trigger('click')
    await waitFor(() => w.text().includes('Назначьте заместителя'), 30_000)
    w.unmount()
  }, 60_000)
})
