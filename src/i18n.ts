/**
 * Interface language. Russian is the app's first language; the portal's language (the SDK's
 * getLang()) switches to English for portals that are neither Russian- nor CIS-language.
 */
import { createI18n } from 'vue-i18n'
import ru from './locales/ru.json'
import en from './locales/en.json'

export type AppLocale = 'ru' | 'en'

export type MessageSchema = typeof ru

// Bitrix24 interface languages whose users read Russian (ua, kz, by portals default to it).
const RUSSIAN_READERS = new Set(['ru', 'ua', 'kz', 'by'])

/** The app locale for a Bitrix24 language code; Russian when unknown or empty. */
export function pickLocale(lang: string | null | undefined): AppLocale {
  const code = (lang ?? '').trim().toLowerCase()
  if (code === '' || RUSSIAN_READERS.has(code)) return 'ru'
  return 'en'
}

export function createAppI18n(locale: AppLocale = 'ru') {
  return createI18n<[MessageSchema], AppLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'ru',
    messages: { ru, en },
  })
}

export type AppI18n = ReturnType<typeof createAppI18n>
