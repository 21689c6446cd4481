/**
 * The route editor against a real (emulated) portal through the real SDK: what the admin can
 * change, what the domain's validation blocks, that a save is stored and read back, and that
 * everyone else only reads. Issue texts come from validateRoute / validateRouteSet codes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseRouteSet } from '../../../src/domain/route.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { startPortalProcess } from '../../support/portal-process.ts'
import type { PortalProcess } from '../../support/portal-process.ts'
import { ADMIN, ARCHIVIST, CFO, LAWYER, flush, input, mountSettings, selectRoute, stepTitles, storeSeedRoutes, type } from './helpers.ts'

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

describe('settings: route list', () => {
  it('lists the stored routes with conditions, step counts, the default badge and who saved', async () => {
    const { wrapper } = await mountSettings(portal, ADMIN)
    const items = wrapper.findAll('[data-testid="settings-route"]')
    expect(items.map((i) => i.attributes('data-route-id'))).toEqual(['small', 'large', 'standard'])
    // Intl separates thousands with a narrow no-break space.
    const summary = (i: number) => items[i]?.get('[data-testid="settings-route-summary"]').text().replace(/\s/g, ' ')
    expect(summary(0)).toBe('до 300 000 ₽')
    expect(summary(1)).toBe('от 1 000 000 ₽')
    expect(summary(2)).toBe('Все остальные договоры')
    expect(items[1]?.get('[data-testid="settings-route-steps"]').text()).toBe('Шагов: 4')
    expect(items[2]?.find('[data-testid="settings-route-default"]').exists()).toBe(true)
    expect(items[0]?.find('[data-testid="settings-route-default"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="settings-version"]').text()).toMatch(/^Версия 1 · сохранил Алексей Смирнов, /)
    // Approvers are shown by name (user.get through the port), not by id.
    await selectRoute(wrapper, 'large')
    const approvers = wrapper.findAll('[data-testid="settings-step"]')[2]?.text() ?? ''
    expect(approvers).toContain('Сергей Морозов')
    expect(approvers).not.toContain('Сотрудник #')
    wrapper.unmount()
  })
})

describe('settings: validation', () => {
  it('shows an inline error for an empty step title and a step without approvers, and disables save', async () => {
    const { wrapper } = await mountSettings(portal, ADMIN)
    await selectRoute(wrapper, 'small')
    expect(wrapper.get('[data-testid="settings-save"]').attributes('disabled')).toBeDefined() // nothing changed yet

    await type(input(wrapper, 'settings-step-title', 1), '   ')
    const step = wrapper.findAll('[data-testid="settings-step"]')[1]
    expect(step?.text()).toContain('Укажите название шага.')

    await step?.get('[data-testid="settings-approver-remove"]').trigger('click')
    await flush()
    expect(wrapper.findAll('[data-testid="settings-step"]')[1]?.text()).toContain('Добавьте хотя бы одного согласующего.')
    expect(wrapper.get('[data-testid="settings-blocked"]').text()).toBe('Исправьте ошибки, чтобы сохранить: 2')
    expect(wrapper.get('[data-testid="settings-save"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="settings-route"][data-route-id="small"]').find('[data-testid="settings-route-errors"]').exists()).toBe(true)

    await type(input(wrapper, 'settings-step-title', 1), 'Юрист')
    await wrapper.findAll('[data-testid="settings-step"]')[1]?.get('[data-testid="settings-add-head"]').trigger('click')
    await flush()
    expect(wrapper.find('[data-testid="settings-blocked"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="settings-save"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('flags a route without steps, an empty name and a bad amount range', async () => {
    const { wrapper } = await mountSettings(portal, ADMIN)
    await wrapper.get('[data-testid="settings-add-route"]').trigger('click')
    await flush()
    const editor = wrapper.get('[data-testid="settings-route-editor"]')
    expect(editor.get('[data-testid="settings-route-issue"][data-code="noSteps"]').text()).toContain('В маршруте нет ни одного шага.')
    expect(editor.text()).toContain('Укажите название маршрута.')

    await type(input(wrapper, 'settings-amount-from'), '500000')
    await type(input(wrapper, 'settings-amount-to'), '100000')
    expect(wrapper.get('[data-testid="settings-conditions"]').text()).toContain('«Сумма от» должна быть меньше «Суммы до»')
    expect(wrapper.get('[data-testid="settings-save"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('warns about overlapping conditions on both routes without blocking the save', async () => {
    const { wrapper, store } = await mountSettings(portal, ADMIN)
    await selectRoute(wrapper, 'small')
    await type(input(wrapper, 'settings-amount-to'), '2000000')
    for (const id of ['small', 'large']) {
      expect(wrapper.get(`[data-testid="settings-route"][data-route-id="${id}"]`).find('[data-testid="settings-route-overlap"]').exists()).toBe(true)
    }
    expect(wrapper.get('[data-testid="settings-route"][data-route-id="standard"]').find('[data-testid="settings-route-overlap"]').exists()).toBe(false)
    const onSmall = wrapper.get('[data-testid="settings-route-issue"][data-code="overlappingConditions"]')
    expect(onSmall.attributes('data-severity')).toBe('warning')
    expect(onSmall.text()).toContain('«Крупные сделки (от 1 000 000 ₽)»')
    await selectRoute(wrapper, 'large')
    expect(wrapper.get('[data-testid="settings-route-issue"][data-code="overlappingConditions"]').text()).toContain('«Малые договоры (до 300 000 ₽)»')
    expect(store.canSave).toBe(true)
    expect(wrapper.get('[data-testid="settings-save"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })
})

describe('settings: steps', () => {
  it('adds, moves and removes steps and adds approvers from the portal picker', async () => {
    const { wrapper } = await mountSettings(portal, ADMIN, {
      picks: [{ id: ARCHIVIST, name: 'Татьяна Павлова', position: 'Архивариус', photo: null }],
    })
    await selectRoute(wrapper, 'large')
    expect(stepTitles(wrapper)).toEqual(['Юрист', 'Служба безопасности', 'Финансовый директор', 'Генеральный директор'])
    expect(input(wrapper, 'settings-step-title', 0).element.value).toBe('Юрист')
    // The first step cannot move up, the last cannot move down.
    expect(wrapper.findAll('[data-testid="settings-step-up"]')[0]?.attributes('disabled')).toBeDefined()
    expect(wrapper.findAll('[data-testid="settings-step-down"]')[3]?.attributes('disabled')).toBeDefined()

    await wrapper.findAll('[data-testid="settings-step-down"]')[0]?.trigger('click')
    await flush()
    expect(stepTitles(wrapper)).toEqual(['Служба безопасности', 'Юрист', 'Финансовый директор', 'Генеральный директор'])
    await wrapper.findAll('[data-testid="settings-step-up"]')[3]?.trigger('click')
    await flush()
    expect(stepTitles(wrapper)).toEqual(['Служба безопасности', 'Юрист', 'Генеральный директор', 'Финансовый директор'])

    await wrapper.findAll('[data-testid="settings-step-remove"]')[1]?.trigger('click')
    await flush()
    expect(stepTitles(wrapper)).toEqual(['Служба безопасности', 'Генеральный директор', 'Финансовый директор'])
    expect(wrapper.get('[data-testid="settings-route"][data-route-id="large"] [data-testid="settings-route-steps"]').text()).toBe('Шагов: 3')

    await wrapper.get('[data-testid="settings-add-step"]').trigger('click')
    await flush()
    expect(stepTitles(wrapper)).toHaveLength(4)
    await type(input(wrapper, 'settings-step-title', 3), 'Архив')
    await wrapper.findAll('[data-testid="settings-step"]')[3]?.get('[data-testid="settings-pick-approvers"]').trigger('click')
    await flush()
    const added = wrapper.findAll('[data-testid="settings-step"]')[3]
    expect(added?.get(`[data-testid="settings-approver"][data-approver="u${ARCHIVIST}"]`).text()).toContain('Татьяна Павлова')
    expect(wrapper.get('[data-testid="settings-save"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })
})

describe('settings: route order', () => {
  it('moves a route up the list, which decides which of two matching routes wins', async () => {
    const { wrapper } = await mountSettings(portal, ADMIN)
    await selectRoute(wrapper, 'large')
    expect(wrapper.get('[data-testid="settings-route-up"]').attributes('disabled')).toBeUndefined()
    await wrapper.get('[data-testid="settings-route-up"]').trigger('click')
    await flush()
    const order = () => wrapper.findAll('[data-testid="settings-route"]').map((i) => i.attributes('data-route-id'))
    expect(order()).toEqual(['large', 'small', 'standard'])
    expect(wrapper.get('[data-testid="settings-route-up"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="settings-route-down"]').trigger('click')
    await flush()
    expect(order()).toEqual(['small', 'large', 'standard'])
    wrapper.unmount()
  })
})

describe('settings: saving', () => {
  it('stores the next version, reads it back and says who saved it', async () => {
    const { wrapper, store } = await mountSettings(portal, ADMIN, {
      picks: [{ id: CFO, name: 'Сергей Морозов', position: 'Финансовый директор', photo: null }],
    })
    await selectRoute(wrapper, 'standard')
    await type(input(wrapper, 'settings-step-sla', 0), '72')
    await wrapper.findAll('[data-testid="settings-step"]')[0]?.get('[data-testid="settings-pick-approvers"]').trigger('click')
    await flush()
    await wrapper.get('[data-testid="settings-save"]').trigger('click')
    await waitForSaved(store)
    await flush()

    const stored = await storedSet()
    expect(stored.version).toBe(2)
    expect(stored.updatedBy).toBe(ADMIN)
    const lawyerStep = stored.routes.find((r) => r.id === 'standard')?.steps[0]
    expect(lawyerStep?.slaHours).toBe(72)
    expect(lawyerStep?.approvers).toEqual([{ kind: 'user', userId: LAWYER }, { kind: 'user', userId: CFO }])
    expect(wrapper.get('[data-testid="settings-version"]').text()).toMatch(/^Версия 2 · сохранил Алексей Смирнов/)
    expect(wrapper.get('[data-testid="settings-saved"]').text()).toBe('Изменения сохранены.')
    expect(wrapper.get('[data-testid="settings-save"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('refuses to overwrite an edition someone else saved meanwhile', async () => {
    const { wrapper, store } = await mountSettings(portal, ADMIN)
    // Another admin saves version 5 after this editor loaded version 1.
    const other = await storedSet()
    await portal.rest(ADMIN, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: JSON.stringify({ ...other, version: 5 }) } })
    await selectRoute(wrapper, 'standard')
    await type(input(wrapper, 'settings-step-sla', 0), '12')
    await wrapper.get('[data-testid="settings-save"]').trigger('click')
    await waitForSaved(store)
    await flush()
    expect(wrapper.get('[data-testid="settings-save-error"]').attributes('data-kind')).toBe('conflict')
    expect((await storedSet()).version).toBe(5)
    wrapper.unmount()
  })

  it('shows the portal refusing a save (a stale admin flag) as a localized access error', async () => {
    const { wrapper, store } = await mountSettings(portal, LAWYER, { isAdmin: true })
    await selectRoute(wrapper, 'standard')
    await type(input(wrapper, 'settings-step-sla', 0), '12')
    await wrapper.get('[data-testid="settings-save"]').trigger('click')
    await waitForSaved(store)
    await flush()
    const error = wrapper.get('[data-testid="settings-save-error"]')
    expect(error.attributes('data-kind')).toBe('access')
    expect(error.text()).toContain('Недостаточно прав для этого действия в Битрикс24.')
    expect((await storedSet()).version).toBe(1)
    wrapper.unmount()
  })
})

describe('settings: language', () => {
  it('speaks English on an English portal', async () => {
    const { wrapper } = await mountSettings(portal, LAWYER, { locale: 'en' })
    expect(wrapper.get('h2').text()).toBe('Approval routes')
    expect(wrapper.get('[data-testid="settings-readonly"]').text()).toContain('Only a Bitrix24 administrator can change routes.')
    expect(wrapper.get('[data-testid="settings-route"][data-route-id="large"] [data-testid="settings-route-summary"]').text().replace(/\s/g, ' ')).toBe('from 1,000,000 ₽')
    wrapper.unmount()
  })
})

describe('settings: non-admin', () => {
  it('shows the routes read-only with a note why', async () => {
    const { wrapper, store } = await mountSettings(portal, LAWYER)
    expect(wrapper.get('[data-testid="settings"]').attributes('data-readonly')).toBe('true')
    expect(wrapper.get('[data-testid="settings-readonly"]').text()).toContain('Менять маршруты может только администратор Битрикс24')
    expect(wrapper.findAll('[data-testid="settings-route"]')).toHaveLength(3)
    await selectRoute(wrapper, 'large')
    expect(wrapper.get('[data-testid="settings-route-title"]').text()).toBe('Крупные сделки (от 1 000 000 ₽)')
    expect(wrapper.findAll('[data-testid="settings-step-title-text"]').map((e) => e.text())).toEqual(['Юрист', 'Служба безопасности', 'Финансовый директор', 'Генеральный директор'])
    expect(wrapper.findAll('[data-testid="settings-step-rule"]').map((e) => e.text())).toEqual([
      'Любой из согласующих · срок 24 часа', 'Любой из согласующих · срок 24 часа', 'Все согласующие · срок 48 часов', 'Все согласующие · срок 48 часов',
    ])
    expect(wrapper.findAll('[data-testid="settings-step"]')[2]?.text()).toContain('Сергей Морозов')
    // Nothing to type into: the routes are text, not disabled fields.
    expect(wrapper.findAll('[data-testid="settings"] input')).toHaveLength(0)
    for (const id of ['settings-save-bar', 'settings-add-route', 'settings-add-step', 'settings-step-remove', 'settings-pick-approvers', 'settings-approver-remove']) {
      expect(wrapper.find(`[data-testid="${id}"]`).exists()).toBe(false)
    }
    // Even if a control were reached, the store does not save for a non-admin.
    store.updateStep('large', 0, { slaHours: 5 })
    expect(store.canSave).toBe(false)
    expect(await store.save()).toBe(false)
    wrapper.unmount()
  })
})

async function waitForSaved(store: { saving: boolean }): Promise<void> {
  const until = Date.now() + 10_000
  await flush()
  while (store.saving) {
    if (Date.now() > until) throw new Error('save did not finish')
    await new Promise((r) => setTimeout(r, 20))
  }
}
