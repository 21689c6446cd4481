// Russian plural forms in the locale files («ждёт 1 день / 3 дня / 5 дней», never «дн.»): messages
// written `один | несколько | много` pick their form by `n` through PLURAL_RULES.
import { describe, expect, it } from 'vitest'
import { createTranslator, russianPlural } from '../../src/locales/index.ts'
import ruArchive from '../../src/locales/ru/archive.json'
import enArchive from '../../src/locales/en/archive.json'
import ruSettings from '../../src/locales/ru/settings.json'

describe('plural forms', () => {
  it('picks one / few / many as Russian does', () => {
    expect([1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111, 0].map((n) => russianPlural(n, 3))).toEqual([0, 1, 1, 2, 2, 2, 0, 1, 2, 0, 2, 2])
    expect(russianPlural(1.5, 3)).toBe(1)
  })

  it('renders the texts the reviewer asked for', () => {
    const ru = createTranslator('ru', { ...ruArchive, ...ruSettings })
    expect([1, 3, 5, 21].map((n) => ru('archive.waiting.days', { n }))).toEqual(['ждёт 1 день', 'ждёт 3 дня', 'ждёт 5 дней', 'ждёт 21 день'])
    expect(ru('archive.card.days', { n: 2 })).toBe('2 дня')
    expect(ru('settings.step.slaText', { n: 24 })).toBe('срок 24 часа')
    expect(ru('settings.reminders.days', { n: 1 })).toBe('За 1 день')
    expect(ru('settings.reminders.minutes', { n: 15 })).toBe('За 15 минут')
    const en = createTranslator('en', enArchive)
    expect([1, 3].map((n) => en('archive.waiting.days', { n }))).toEqual(['waiting 1 day', 'waiting 3 days'])
  })
})
