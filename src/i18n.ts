/**
 * The views' i18n: one global vue-i18n instance (composition API, runtime-only, messages
 * precompiled by the Vite plugin). It starts in Russian with the shell's texts only (loading,
 * outside Bitrix24, errors); once the session knows the portal's language, `loadLocale` fetches
 * that language's messages and switches to it.
 */
import { createI18n } from 'vue-i18n'
import shell from './locales/ru/app.json'
import { loadMessages, PLURAL_RULES } from './locales/index.ts'
import type { Locale, MessageSchema } from './locales/index.ts'

export { asLocale, pickLocale } from './locales/index.ts'
export type { Locale, MessageSchema } from './locales/index.ts'

// `t('…')` and `$t('…')` complete the keys of the Russian schema.
declare module 'vue-i18n' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the augmentation is the schema itself
  export interface DefineLocaleMessage extends MessageSchema {}
}

export function createAppI18n() {
  const i18n = createI18n({ legacy: false, locale: 'ru', fallbackLocale: 'ru', pluralRules: PLURAL_RULES })
  // Until the portal's language is loaded: what can show before (or without) a session. A part
  // of the schema on purpose, so the cast.
  i18n.global.setLocaleMessage('ru', shell as MessageSchema)
  return i18n
}

export type AppI18n = ReturnType<typeof createAppI18n>

/** What `loadLocale` needs of the global composer (`useI18n({ useScope: 'global' })` or `i18n.global`). */
export interface LocaleTarget {
  setLocaleMessage(locale: Locale, messages: MessageSchema): void
  locale: { value: string }
}

/** Puts one language's messages in and makes it current. */
export function applyLocale(target: LocaleTarget, locale: Locale, messages: MessageSchema): void {
  target.setLocaleMessage(locale, messages)
  target.locale.value = locale
}

/** Loads the portal's language (one chunk) and switches to it. */
export async function loadLocale(target: LocaleTarget, locale: Locale): Promise<void> {
  applyLocale(target, locale, await loadMessages(locale))
}
