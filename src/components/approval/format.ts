/** Formatting for the approval tab: pure functions over the UI locale. */

import type { Locale } from '../../locales/index.ts'
import { agree, declineName, genderOf, type Gender, type NameCase } from '../../domain/names.ts'

const tag = (locale: Locale) => (locale === 'ru' ? 'ru-RU' : 'en-GB')

/** `2026-11-27T10:00:00Z` → `27.11.2026, 10:00` (in the viewer's time zone). */
export function formatDateTime(iso: string | null, locale: Locale): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(tag(locale), { dateStyle: 'short', timeStyle: 'short' })
}

/** `2026-11-27` → `27.11.2026` (a calendar date: no time zone shift). */
export function formatDate(ymd: string | null, locale: Locale): string {
  if (!ymd) return ''
  const d = new Date(`${ymd.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(d.getTime()) ? ymd : d.toLocaleDateString(tag(locale), { timeZone: 'UTC' })
}

export function formatMoney(amount: number | null, currency: string | null, locale: Locale): string {
  if (amount === null) return ''
  try {
    return new Intl.NumberFormat(tag(locale), { style: 'currency', currency: currency ?? 'RUB', maximumFractionDigits: 2 }).format(amount)
  } catch {
    return `${amount} ${currency ?? ''}`.trim()
  }
}

export function isOverdue(deadline: string | null, now: number = Date.now()): boolean {
  return deadline !== null && Date.parse(deadline) < now
}

export function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((p) => p[0]?.toUpperCase() ?? '').join('')
}

/** A person's name in a Russian case (other languages: as it is). */
export function nameIn(name: string, nameCase: NameCase, locale: Locale, gender: Gender | null = null): string {
  return locale === 'ru' ? declineName(name, nameCase, gender) : name
}

/** A text about what `name` did, its «(а)» endings agreed with their gender where known. */
export function agreeWith(text: string, name: string, locale: Locale, gender: Gender | null = null): string {
  return locale === 'ru' ? agree(text, genderOf(name, gender)) : text
}
