/**
 * The app's one locale system. Texts live in `{ru,en}/<feature>.json` (Russian first: its shape
 * is the schema); the Vite plugin precompiles them, and only the portal's language is loaded.
 * The views use it through `src/i18n.ts`; the texts the app leaves in the portal (timeline,
 * notifications, to-dos) and the installer's stage names use `translator()` here, so both speak
 * the portal's language by the same rule.
 */
import { createI18n } from 'vue-i18n'
import type { InstallStepId } from '../domain/install.ts'
import type { EventType } from '../domain/log.ts'
import type { StepStatus } from '../domain/projection.ts'
import type { RefusalCode } from '../domain/refusal.ts'
import type { RouteIssueCode } from '../domain/route.ts'
import type { StageCode } from '../domain/schema.ts'
import type { SnapshotChange } from '../domain/snapshot.ts'
import type { DocumentErrorCode } from '../domain/documents/errors.ts'
import type ru from './ru/index.ts'

export type Locale = 'ru' | 'en'

export const LOCALES: readonly Locale[] = ['ru', 'en']

export type MessageSchema = typeof ru

// Bitrix24 interface languages whose users read Russian (ua, kz, by portals default to it).
const RUSSIAN_READERS = new Set(['ru', 'ua', 'kz', 'by'])

/** The app's language for a Bitrix24 language code: Russian when unknown or empty. */
export function pickLocale(lang: string | null | undefined): Locale {
  const code = (lang ?? '').trim().toLowerCase()
  return code === '' || RUSSIAN_READERS.has(code) ? 'ru' : 'en'
}

// One chunk per language: a portal downloads only its own.
const loaders: Record<Locale, () => Promise<{ default: MessageSchema }>> = {
  ru: () => import('./ru/index.ts'),
  en: () => import('./en/index.ts'),
}

/** Every message of one language (the bundler caches the chunk: loading twice costs nothing). */
export async function loadMessages(locale: Locale): Promise<MessageSchema> {
  return (await loaders[locale]()).default
}

/**
 * Russian plural forms for messages written `один | несколько | много` («{n} день | {n} дня |
 * {n} дней»); `t(key, { n })` picks by `n` (vue-i18n takes `n` or `count` as the plural count).
 * Fractions take the «несколько» form («1,5 дня»). English keeps vue-i18n's own rule.
 */
const RU_PLURAL = new Intl.PluralRules('ru')
export function russianPlural(choice: number, choicesLength: number): number {
  if (choicesLength < 3) return choice === 1 ? 0 : Math.min(1, choicesLength - 1)
  const form = RU_PLURAL.select(Math.abs(choice))
  return form === 'one' ? 0 : form === 'few' || form === 'other' ? 1 : 2
}

/** vue-i18n's plural rules for every language the app speaks (English: vue-i18n's own). */
export const PLURAL_RULES = { ru: russianPlural }

export type Translate = (key: string, named?: Record<string, unknown>) => string

/** `t` over one language's messages (all of them, or the few a caller imports itself). */
export function createTranslator(locale: Locale, messages: Partial<MessageSchema>): Translate {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: false, pluralRules: PLURAL_RULES })
  // A part of the schema is enough for a caller that only asks for its own keys.
  i18n.global.setLocaleMessage(locale, messages as MessageSchema)
  return (key, named) => i18n.global.t(key, named ?? {})
}

const translators = new Map<Locale, Promise<Translate>>()

/** `t` in one language outside any view, e.g. the stage names the installer writes to crm.status. */
export function translator(locale: Locale): Promise<Translate> {
  let found = translators.get(locale)
  if (!found) {
    found = loadMessages(locale).then((messages) => createTranslator(locale, messages))
    found.catch(() => translators.delete(locale))
    translators.set(locale, found)
  }
  return found
}

// Every member of an enumeration the domain owns has a text: a new member fails type-checking here.
type Covers<T extends Record<K, string>, K extends string> = T
export type DomainTexts = [
  Covers<MessageSchema['stages'], StageCode>,
  Covers<MessageSchema['approval']['route']['status'], StepStatus>,
  Covers<MessageSchema['approval']['history']['event'], EventType>,
  Covers<MessageSchema['portal']['event'], EventType>,
  Covers<MessageSchema['approval']['refusal'], RefusalCode>,
  Covers<MessageSchema['approval']['changes']['field'], SnapshotChange['field']>,
  Covers<MessageSchema['approvalDocument']['error'], DocumentErrorCode>,
  Covers<MessageSchema['install']['steps'], InstallStepId>,
  Covers<MessageSchema['settings']['issues'], RouteIssueCode>,
]

/** The composer's `locale` (a string to vue-i18n) as one of ours. */
export function asLocale(value: string): Locale {
  return value === 'en' ? 'en' : 'ru'
}
