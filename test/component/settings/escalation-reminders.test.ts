/**
 * The route editor's reminders (the approver's to-do's `pingOffsets`) and escalation people, per
 * route and per step, stored in the versioned route set and read back (issue 10 point 7).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseRouteSet } from '../../../src/domain/route.ts'
import type { PickedUser } from '../../../src/platform/port.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { startPortalProcess, type PortalProcess } from '../../support/portal-process.ts'
import { ADMIN, ARCHIVIST, CEO, LAWYER, flush, mountSettings, selectRoute, storeSeedRoutes } from './helpers.ts'

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
afterEach(() => {
  document.body.innerHTML = ''
})

async function storedSet() {
  const parsed = parseRouteSet(await portal.rest(ADMIN, 'app.option.get', { option: APP_OPTION_KEYS.routes }))
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.set
}

async function saved(store: { saving: boolean }): Promise<void> {
  await flush()
  for (let i = 0; store.saving && i < 500; i++) await new Promise((r) => setTimeout(r, 20))
  await flush()
}

describe('settings: reminders and escalation', () => {
  it('a route saved before either field shows the defaults: no reminders, the approver\'s head', async () => {
    const { wrapper } = await mountSettings(portal, ADMIN)
    await selectRoute(wrapper, 'standard')
    const route = wrapper.get('[data-testid="settings-escalation"][data-scope="route"]')
    expect(route.get('[data-testid="settings-escalation-default"]').text()).toBe('Руководителю согласующего (по умолчанию)')
    // «Убрать …» names the person in the accusative.
    expect(wrapper.findAll('[data-testid="settings-approver-remove"]')[0]?.attributes('aria-label')).toBe('Убрать Елену Соколову из шага')
    const checked = wrapper.findAll('[data-testid="settings-reminders"] [role="checkbox"]').filter((c) => c.attributes('aria-checked') === 'true')
    expect(checked).toHaveLength(0)
    expect(wrapper.findAll('[data-testid="settings-reminders"] [data-slot="label"]').map((l) => l.text())).toEqual([
      'За 2 дня', 'За 1 день', 'За 3 часа', 'За 1 час', 'За 15 минут', 'В момент срока',
    ])
    wrapper.unmount()
  })

  it('names a person for the route and another for one step, sets reminders, and stores them', async () => {
    // The picker answers what `picks` holds at the moment.
    const picks: PickedUser[] = [{ id: CEO, name: 'Андрей Лебедев', position: 'Генеральный директор', photo: null }]
    const { wrapper, store } = await mountSettings(portal, ADMIN, { picks })
    await selectRoute(wrapper, 'standard')
    await wrapper.get('[data-testid="settings-escalation"][data-scope="route"] [data-testid="settings-escalation-pick"]').trigger('click')
    await flush()
    expect(wrapper.get('[data-testid="settings-escalation"][data-scope="route"]').text()).toContain('Андрей Лебедев')

    picks.splice(0, 1, { id: ARCHIVIST, name: 'Татьяна Павлова', position: 'Архивариус', photo: null })
    const step = wrapper.findAll('[data-testid="settings-step"]')[0]
    expect(step?.get('[data-testid="settings-escalation-default"]').text()).toBe('Тому, кто указан для всего маршрута')
    await step?.get('[data-testid="settings-escalation-pick"]').trigger('click')
    await flush()

    for (const m of ['1440', '60']) {
      await wrapper.get(`[data-testid="settings-reminders"] [role="checkbox"][data-minutes="${m}"]`).trigger('click')
      await flush()
    }
    await wrapper.get('[data-testid="settings-save"]').trigger('click')
    await saved(store)

    const route = (await storedSet()).routes.find((r) => r.id === 'standard')
    expect(route?.escalateTo).toEqual([CEO])
    expect(route?.steps[0]?.escalateTo).toEqual([ARCHIVIST])
    expect(route?.steps[1]?.escalateTo).toBeUndefined()
    expect(route?.reminders).toEqual([1440, 60])

    // Reset: the step falls back to the route's person.
    await wrapper.findAll('[data-testid="settings-step"]')[0]?.get('[data-testid="settings-escalation-clear"]').trigger('click')
    await flush()
    expect(store.draft.find((r) => r.id === 'standard')?.steps[0]?.escalateTo).toBeUndefined()
    wrapper.unmount()
  })

  it('shows them read-only to everyone else', async () => {
    const set = await storedSet()
    const routes = set.routes.map((r) => (r.id === 'standard' ? { ...r, escalateTo: [CEO], reminders: [1440, 0] } : r))
    await portal.rest(ADMIN, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: JSON.stringify({ ...set, routes }) } })
    const { wrapper } = await mountSettings(portal, LAWYER)
    await selectRoute(wrapper, 'standard')
    expect(wrapper.get('[data-testid="settings-reminders-summary"]').text()).toBe('Напоминания согласующему: За 1 день, В момент срока')
    expect(wrapper.get('[data-testid="settings-escalation"][data-scope="route"]').text()).toContain('Андрей Лебедев')
    expect(wrapper.find('[data-testid="settings-escalation-pick"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
