import { afterEach, describe, expect, it } from 'vitest'
import ru from '../../src/locales/ru.json'
import en from '../../src/locales/en.json'
import { createAppI18n, pickLocale } from '../../src/i18n.ts'
import AppErrorState from '../../src/components/app/AppErrorState.vue'
import { AppError } from '../../src/platform/errors.ts'
import type { AppErrorKind } from '../../src/platform/errors.ts'
import { mountApp } from './setup.ts'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('i18n', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it.each([
    ['ru', 'ru'],
    ['ua', 'ru'],
    ['kz', 'ru'],
    ['RU', 'ru'],
    ['', 'ru'],
    [null, 'ru'],
    [undefined, 'ru'],
    ['en', 'en'],
    ['de', 'en'],
    ['la', 'en'],
  ] as const)('picks %s → %s', (lang, expected) => {
    expect(pickLocale(lang)).toBe(expected)
  })

  it('has the same keys in Russian and English', () => {
    expect(keys(en).sort()).toEqual(keys(ru).sort())
  })

  it('switches language at runtime', () => {
    const i18n = createAppI18n('en')
    expect(i18n.global.t('workspace.tabs.inbox')).toBe('My approvals')
    i18n.global.locale.value = 'ru'
    expect(i18n.global.t('workspace.tabs.inbox')).toBe('Мои согласования')
  })

  const kinds: AppErrorKind[] = ['auth', 'access', 'notFound', 'validation', 'rateLimit', 'network', 'outsideBitrix', 'unknown']

  it.each(kinds)('has a Russian and an English message for error kind %s', (kind) => {
    expect(ru.errors[kind]).toBeTruthy()
    expect(en.errors[kind]).toBeTruthy()
    expect(ru.errors[kind]).not.toBe(en.errors[kind])
  })

  it('shows an AppError by its kind in the chosen language', () => {
    const error = new AppError('access', 'ACCESS_DENIED', 'raw portal text')
    const ruView = mountApp(AppErrorState, { locale: 'ru', props: { error } }).wrapper
    expect(ruView.text()).toContain(ru.errors.access)
    expect(ruView.text()).toContain('ACCESS_DENIED')
    ruView.unmount()
    const enView = mountApp(AppErrorState, { locale: 'en', props: { error } }).wrapper
    expect(enView.text()).toContain(en.errors.access)
    expect(enView.get('[data-testid="app-error"]').attributes('data-error-kind')).toBe('access')
    enView.unmount()
  })
})
