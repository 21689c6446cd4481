/** The archive's own texts in a local i18n scope, plus the names and formats its rows share. */
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { UiLocale } from '../approval/format.ts'
import { archiveMessages } from './locales.ts'

export function useArchiveI18n() {
  const i18n = useI18n({ useScope: 'local', inheritLocale: true, messages: { ru: archiveMessages.ru, en: archiveMessages.en } })
  const lang = computed<UiLocale>(() => (i18n.locale.value === 'en' ? 'en' : 'ru'))
  return { ...i18n, lang }
}
