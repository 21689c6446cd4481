/** The wizard's own texts in a local i18n scope; the locale follows the app's. */
import { useI18n } from 'vue-i18n'
import { installMessages } from './locales.ts'

export function useInstallI18n() {
  return useI18n({ useScope: 'local', inheritLocale: true, messages: { ru: installMessages.ru, en: installMessages.en } })
}
