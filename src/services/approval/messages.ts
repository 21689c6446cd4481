/**
 * Texts the app leaves in Bitrix24 (timeline, notifications, to-dos). They are written once and
 * read later by people in the portal's language (not the viewer's), so they are composed here
 * from the effect's data with src/locales' `portal.*` and `stages.*` texts. User-supplied text
 * (titles, comments) is stripped of BB-code brackets: notifications render BB-code, and a
 * comment must not turn into a link.
 */
import type { NotifyEffect, TimelineEffect, TodoEffect } from '../../domain/effects.ts'
import type { ApprovalEvent, EventType } from '../../domain/log.ts'
import { createTranslator, pickLocale, type Locale, type Translate } from '../../locales/index.ts'
import ruPortal from '../../locales/ru/portal.json'
import ruStages from '../../locales/ru/stages.json'
import enPortal from '../../locales/en/portal.json'
import enStages from '../../locales/en/stages.json'
import { agree, declineName, genderOf } from '../../domain/names.ts'

/** @deprecated the app's `Locale` (src/locales); kept while side-effects.ts still names it. */
export type MessageLang = Locale

/** The portal's language by the app's one rule (`pickLocale`). */
export const messageLang: (portalLang: string) => Locale = pickLocale

/** Plain text safe inside BB-code: no tags can be opened from user input. */
export function bbSafe(text: string): string {
  return text.replace(/\[/g, '(').replace(/\]/g, ')')
}

// The texts that go out are composed synchronously, so both languages' few portal texts are
// bundled here (the views' texts load per language); they are the same messages the views use.
const T: Record<Locale, Translate> = {
  ru: createTranslator('ru', { ...ruPortal, ...ruStages }),
  en: createTranslator('en', { ...enPortal, ...enStages }),
}

/**
 * A moment in the recipient's own time zone (user.get `TIME_ZONE`, e.g. `Europe/Moscow`), as the
 * card shows it to them; without one (or an unknown one) in UTC, said so.
 */
export function when(iso: string | null, lang: Locale, timeZone: string | null = null): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const tag = lang === 'ru' ? 'ru-RU' : 'en-GB'
  if (timeZone) {
    try {
      return d.toLocaleString(tag, { timeZone, dateStyle: 'short', timeStyle: 'short' })
    } catch {
      // An unknown zone name: UTC below.
    }
  }
  return d.toLocaleString(tag, { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' }) + ' UTC'
}

/** «отметил(а)» agreed with the actor's gender (as the name tells) in Russian texts. */
function said(text: string, name: string, lang: Locale): string {
  return lang === 'ru' ? agree(text, genderOf(name)) : text
}

/**
 * `event` brings what the effect does not carry: where the paper originals went. A delegation
 * names its delegate in the dative («передала согласование Петру Петрову»; names.ts).
 */
/** A `YYYY-MM-DD` day as people of the portal's language write it. */
function day(ymd: string, lang: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  return m && lang === 'ru' ? `${m[3]}.${m[2]}.${m[1]}` : ymd
}

export function timelineMessage(e: TimelineEffect, lang: Locale, event?: ApprovalEvent): { title: string; text: string } {
  const m = e.message
  const t = T[lang]
  const parts = [`${m.actor.name} ${said(t(`portal.event.${m.event}`), m.actor.name, lang)}`]
  // «передала согласование Игорю Кузнецову»: the delegate in the dative where the name declines.
  if (m.delegateTo) parts[0] += ` ${lang === 'ru' ? declineName(m.delegateTo.name, 'dative') : m.delegateTo.name}`
  const where = [t('portal.round', { n: m.round }), m.stepTitle ? t('portal.step', { title: m.stepTitle }) : null].filter(Boolean).join(', ')
  if (where) parts[0] += ` (${where})`
  const originals = event?.type === 'originalReceived' ? event.originals : undefined
  if (originals) parts.push(`${t('portal.storedAt')}: ${originals.storageLocation}`, `${t('portal.receivedAt')}: ${day(originals.receivedAt, lang)}`)
  if (m.comment) parts.push(`${t('portal.comment')}: ${m.comment}`)
  parts.push(`${t('portal.stage')}: ${t(`stages.${m.stage}`)}`)
  return { title: t('portal.timelineTitle'), text: parts.join('\n') }
}

/**
 * `cause`: the type of the event behind the effect (a delegate's turn reads differently);
 * `timeZone`: the recipient's, for the deadline.
 */
export function notifyMessage(
  e: NotifyEffect, lang: Locale, contractTitle: string, url: string, cause?: EventType, timeZone: string | null = null,
): { message: string; messageOut: string } {
  const t = T[lang]
  const head = t(e.reason === 'yourTurn' && cause === 'delegated' ? 'portal.delegatedToYou'
    : e.reason === 'yourTurn' && cause === 'revised' ? 'portal.reasked' : `portal.${e.reason}`)
  const title = bbSafe(contractTitle)
  const lines = [`${head}: [URL=${url}]${title}[/URL]`, `${t('portal.by')}: ${bbSafe(e.actor.name)}`]
  if (e.stepTitle) lines.push(`${t('portal.step', { title: bbSafe(e.stepTitle) })}, ${t('portal.round', { n: e.round })}`)
  // A standing deputy's turn: «Вместо Андрея Лебедева (в отсутствие)».
  const insteadOf = e.insteadOf ? t('portal.insteadOf', { name: lang === 'ru' ? declineName(e.insteadOf.name, 'genitive') : e.insteadOf.name }) : null
  if (insteadOf) lines.push(bbSafe(insteadOf))
  if (e.deadline) lines.push(`${t('portal.deadline')}: ${when(e.deadline, lang, timeZone)}`)
  if (e.comment) lines.push(`${t('portal.comment')}: ${bbSafe(e.comment)}`)
  const out = [`${head}: ${contractTitle} ${url}`, `${t('portal.by')}: ${e.actor.name}`]
  if (insteadOf) out.push(insteadOf)
  if (e.comment) out.push(`${t('portal.comment')}: ${e.comment}`)
  return { message: lines.join('\n'), messageOut: out.join('\n') }
}

/** The marker that ties a to-do to its seat (round, step, approver): how it is found to close. */
export function todoMarker(ref: string): string {
  return `[ca:${ref}]`
}

export function todoTexts(e: TodoEffect, lang: Locale, contractTitle: string, url: string): { title: string; description: string } {
  const t = T[lang]
  return {
    title: t('portal.todoTitle', { title: contractTitle, round: e.round, step: t('portal.step', { title: e.stepTitle }) }),
    description: `${t('portal.todoText')}\n${url}\n${todoMarker(e.todoRef)}`,
  }
}
