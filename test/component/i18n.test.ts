import { afterEach, describe, expect, it } from 'vitest'
import { createAppI18n, loadLocale, pickLocale } from '../../src/i18n.ts'
import AppErrorState from '../../src/components/app/AppErrorState.vue'
import { AppError } from '../../src/platform/errors.ts'
import type { AppErrorKind } from '../../src/platform/errors.ts'
import { createTestI18n, mountApp } from './setup.ts'

describe('i18n', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it.each([
    ['ru', 'ru'],
    ['ua', 'ru'],
    ['kz', 'ru'],
    ['by', 'ru'],
    ['RU', 'ru'],
    [' ru ', 'ru'],
    ['', 'ru'],
    [null, 'ru'],
    [undefined, 'ru'],
    ['en', 'en'],
    ['de', 'en'],
    ['la', 'en'],
  ] as const)('picks %s → %s', (lang, expected) => {
    expect(pickLocale(lang)).toBe(expected)
  })

  // Before the session knows the portal's language only the shell's Russian texts are there;
  // the language's chunk brings the rest.
  it('starts in Russian with the shell only, then loads the portal language', async () => {
    const i18n = createAppI18n()
    expect(i18n.global.locale.value).toBe('ru')
    expect(i18n.global.t('app.loading')).toBe('Загрузка…')
    expect(i18n.global.te('workspace.tabs.inbox')).toBe(false)
    await loadLocale(i18n.global, 'en')
    expect(i18n.global.locale.value).toBe('en')
    expect(i18n.global.t('workspace.tabs.inbox')).toBe('My approvals')
    await loadLocale(i18n.global, 'ru')
    expect(i18n.global.t('workspace.tabs.inbox')).toBe('Мои согласования')
  })

  const kinds: AppErrorKind[] = ['auth', 'access', 'notFound', 'validation', 'rateLimit', 'network', 'outsideBitrix', 'unknown']

  it.each(kinds)('has a Russian and an English message for error kind %s', (kind) => {
    const ru = createTestI18n('ru').global
    const en = createTestI18n('en').global
    expect(ru.te(`errors.${kind}`)).toBe(true)
    expect(en.te(`errors.${kind}`)).toBe(true)
    expect(ru.t(`errors.${kind}`)).not.toBe(en.t(`errors.${kind}`))
  })

  it('shows an AppError by its kind in the chosen language', () => {
    const error = new AppError('access', 'ACCESS_DENIED', 'raw portal text')
    const ruView = mountApp(AppErrorState, { locale: 'ru', props: { error } }).wrapper
    expect(ruView.text()).toContain('Недостаточно прав для этого действия в Битрикс24.')
    expect(ruView.text()).toContain('ACCESS_DENIED')
    ruView.unmount()
    const enView = mountApp(AppErrorState, { locale: 'en', props: { error } }).wrapper
    expect(enView.text()).toContain('You do not have the Bitrix24 permissions for this action.')
    expect(enView.get('[data-testid="app-error"]').attributes('data-error-kind')).toBe('access')
    enView.unmount()
  })
})
