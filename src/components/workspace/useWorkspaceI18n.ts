/** The workspace lists' own texts in a local i18n scope, plus the names and formats rows share. */
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { UiLocale } from '../approval/format.ts'
import { useWorkspaceStore } from '../../stores/workspace.ts'
import { workspaceMessages } from './locales.ts'

export function useWorkspaceI18n() {
  const i18n = useI18n({ useScope: 'local', inheritLocale: true, messages: { ru: workspaceMessages.ru, en: workspaceMessages.en } })
  const store = useWorkspaceStore()
  const lang = computed<UiLocale>(() => (i18n.locale.value === 'en' ? 'en' : 'ru'))

  function personName(id: number): string {
    return store.people[id]?.fullName ?? i18n.t('unknownUser', { id })
  }

  return { ...i18n, lang, personName }
}
