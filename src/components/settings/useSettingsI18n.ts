/** The Settings tab's own texts in a local i18n scope, plus the formatting its views share. */
import { useI18n } from 'vue-i18n'
import type { Route, RouteIssue } from '../../domain/route.ts'
import { settingsMessages } from './locales.ts'

export function useSettingsI18n() {
  const i18n = useI18n({ useScope: 'local', inheritLocale: true, messages: { ru: settingsMessages.ru, en: settingsMessages.en } })
  const { t, locale } = i18n
  const tag = () => (locale.value === 'en' ? 'en-GB' : 'ru-RU')

  /** `1 000 000 ₽` in the interface language. */
  function money(amount: number): string {
    return `${new Intl.NumberFormat(tag(), { maximumFractionDigits: 2 }).format(amount)} ₽`
  }

  function dateTime(iso: string): string {
    const d = new Date(iso)
    if (Number.isNaN(d.getTime())) return iso
    return new Intl.DateTimeFormat(tag(), { dateStyle: 'medium', timeStyle: 'short' }).format(d)
  }

  /** One issue as a sentence; `viewerId` is the route it is shown on. */
  function issueText(issue: RouteIssue, routes: readonly Route[], viewerId?: string): string {
    if (issue.code === 'overlappingConditions') {
      // Both routes of an overlap show it, each naming the other one.
      const otherId = viewerId === issue.otherRouteId ? issue.routeId : issue.otherRouteId
      return t('issues.overlappingConditions', { other: routes.find((r) => r.id === otherId)?.name ?? '' })
    }
    return t(`issues.${issue.code}`)
  }

  /** "from 300 000 ₽ · below 1 000 000 ₽ · types: …" for the list. */
  function conditionsSummary(route: Route): string {
    if (route.isDefault) return t('list.otherwise')
    const { amountFrom, amountTo, contractTypes } = route.conditions
    const parts: string[] = []
    if (amountFrom !== null) parts.push(t('list.from', { amount: money(amountFrom) }))
    if (amountTo !== null) parts.push(t('list.to', { amount: money(amountTo) }))
    if (contractTypes.length > 0) parts.push(t('list.types', { types: contractTypes.join(', ') }))
    return parts.length > 0 ? parts.join(' · ') : t('list.any')
  }

  return { ...i18n, money, dateTime, issueText, conditionsSummary }
}
