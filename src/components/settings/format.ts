/** How the Settings tab says amounts, dates, route issues and conditions (pure: `t` and the locale come in). */
import type { Route, RouteIssue } from '../../domain/route.ts'
import type { Locale, Translate } from '../../locales/index.ts'
import { declineName, type Gender } from '../../domain/names.ts'

const tag = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'ru-RU')

/** `1 000 000 ₽` in the interface language. */
export function money(amount: number, locale: Locale): string {
  return `${new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 2 }).format(amount)} ₽`
}

export function dateTime(iso: string, locale: Locale): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}

/** One issue as a sentence; `viewerId` is the route it is shown on. */
export function issueText(t: Translate, issue: RouteIssue, routes: readonly Route[], viewerId?: string): string {
  if (issue.code === 'overlappingConditions') {
    // Both routes of an overlap show it, each naming the other one.
    const otherId = viewerId === issue.otherRouteId ? issue.routeId : issue.otherRouteId
    return t('settings.issues.overlappingConditions', { other: routes.find((r) => r.id === otherId)?.name ?? '' })
  }
  return t(`settings.issues.${issue.code}`)
}

/** "from 300 000 ₽ · below 1 000 000 ₽ · types: …" for the list. */
export function conditionsSummary(t: Translate, locale: Locale, route: Route): string {
  if (route.isDefault) return t('settings.list.otherwise')
  const { amountFrom, amountTo, contractTypes } = route.conditions
  const parts: string[] = []
  if (amountFrom !== null) parts.push(t('settings.list.from', { amount: money(amountFrom, locale) }))
  if (amountTo !== null) parts.push(t('settings.list.to', { amount: money(amountTo, locale) }))
  if (contractTypes.length > 0) parts.push(t('settings.list.types', { types: contractTypes.join(', ') }))
  return parts.length > 0 ? parts.join(' · ') : t('settings.list.any')
}

/** One reminder of the to-do, minutes before the deadline: «За 1 день», «За 3 часа», «В момент срока». */
export function reminderText(t: Translate, minutes: number): string {
  if (minutes === 0) return t('settings.reminders.atDeadline')
  if (minutes % 1440 === 0) return t('settings.reminders.days', { n: minutes / 1440 })
  if (minutes % 60 === 0) return t('settings.reminders.hours', { n: minutes / 60 })
  return t('settings.reminders.minutes', { n: minutes })
}

/** A person as the object of «Убрать …»: declined in Russian («Убрать Елену Соколову»). */
export function whom(name: string, locale: Locale, gender: Gender | null = null): string {
  return locale === 'ru' ? declineName(name, 'accusative', gender) : name
}
