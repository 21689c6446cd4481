/**
 * Texts the app leaves in Bitrix24 (timeline, notifications, to-dos). They are written once and
 * read later by people in the portal's language, so they are composed here from the effect's
 * data, not from the UI's i18n. User-supplied text (titles, comments) is stripped of BB-code
 * brackets: notifications render BB-code, and a comment must not turn into a link.
 */
import type { NotifyEffect, TimelineEffect, TodoEffect } from '../../domain/effects.ts'
import type { ApprovalEvent, EventType } from '../../domain/log.ts'
import { STAGES } from '../../domain/schema.ts'

export type MessageLang = 'ru' | 'en'

export function messageLang(portalLang: string): MessageLang {
  return ['ru', 'ua', 'kz', 'by'].includes(portalLang.toLowerCase()) || portalLang === '' ? 'ru' : 'en'
}

/** Plain text safe inside BB-code: no tags can be opened from user input. */
export function bbSafe(text: string): string {
  return text.replace(/\[/g, '(').replace(/\]/g, ')')
}

const EVENT_TEXT: Record<MessageLang, Record<EventType, string>> = {
  ru: {
    submitted: 'отправил(а) договор на согласование',
    resubmitted: 'отправил(а) договор на повторное согласование',
    approved: 'согласовал(а)',
    returned: 'вернул(а) договор на доработку',
    withdrawn: 'отозвал(а) договор',
    delegated: 'передал(а) согласование:',
    originalReceived: 'отметил(а) получение оригиналов',
    archived: 'передал(а) договор в архив',
  },
  en: {
    submitted: 'submitted the contract for approval',
    resubmitted: 'resubmitted the contract for approval',
    approved: 'approved',
    returned: 'returned the contract for revision',
    withdrawn: 'withdrew the contract',
    delegated: 'delegated the approval to',
    originalReceived: 'recorded receipt of the originals',
    archived: 'archived the contract',
  },
}

const L = {
  ru: {
    round: (n: number) => `круг ${n}`,
    step: (t: string) => `шаг «${t}»`,
    comment: 'Комментарий',
    stage: 'Стадия',
    timelineTitle: 'Согласование договора',
    yourTurn: 'Ваша очередь согласовать договор',
    delegatedToYou: 'Вам передали согласование договора',
    storedAt: 'Место хранения',
    receivedAt: 'Дата получения',
    returned: 'Договор возвращён на доработку',
    approved: 'Договор согласован, ждём оригиналы',
    withdrawn: 'Договор отозван автором',
    archived: 'Договор передан в архив',
    deadline: 'Срок',
    by: 'Кто',
    todoTitle: (title: string, round: number, step: string) => `Согласовать: ${title} (круг ${round}, ${step})`,
    todoText: 'Откройте карточку договора и примите решение на вкладке «Согласование».',
  },
  en: {
    round: (n: number) => `round ${n}`,
    step: (t: string) => `step “${t}”`,
    comment: 'Comment',
    stage: 'Stage',
    timelineTitle: 'Contract approval',
    yourTurn: 'Your turn to approve a contract',
    delegatedToYou: 'An approval was handed over to you',
    storedAt: 'Stored at',
    receivedAt: 'Received on',
    returned: 'Contract returned for revision',
    approved: 'Contract approved, awaiting originals',
    withdrawn: 'Contract withdrawn by its author',
    archived: 'Contract archived',
    deadline: 'Deadline',
    by: 'By',
    todoTitle: (title: string, round: number, step: string) => `Approve: ${title} (round ${round}, ${step})`,
    todoText: 'Open the contract card and decide on the “Approval” tab.',
  },
}

function when(iso: string | null, lang: MessageLang): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' }) + ' UTC'
}

/**
 * `event` brings what the effect does not carry: where the paper originals went. A delegation
 * names its delegate right after the verb («передал(а) согласование: Пётр Петров»): a person's
 * name cannot be declined reliably, so the text avoids needing the dative.
 */
/** A `YYYY-MM-DD` day as people of the portal's language write it. */
function day(ymd: string, lang: MessageLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  return m && lang === 'ru' ? `${m[3]}.${m[2]}.${m[1]}` : ymd
}

export function timelineMessage(e: TimelineEffect, lang: MessageLang, event?: ApprovalEvent): { title: string; text: string } {
  const m = e.message
  const l = L[lang]
  const parts = [`${m.actor.name} ${EVENT_TEXT[lang][m.event]}`]
  if (m.delegateTo) parts[0] += ` ${m.delegateTo.name}`
  const where = [l.round(m.round), m.stepTitle ? l.step(m.stepTitle) : null].filter(Boolean).join(', ')
  if (where) parts[0] += ` (${where})`
  const originals = m.event === 'originalReceived' ? event?.originals : undefined
  if (originals) parts.push(`${l.storedAt}: ${originals.storageLocation}`, `${l.receivedAt}: ${day(originals.receivedAt, lang)}`)
  if (m.comment) parts.push(`${l.comment}: ${m.comment}`)
  const stage = STAGES.find((s) => s.code === m.stage)
  if (stage) parts.push(`${l.stage}: ${stage.name[lang]}`)
  return { title: l.timelineTitle, text: parts.join('\n') }
}

/** `cause`: the type of the event behind the effect (a delegate's turn reads differently). */
export function notifyMessage(e: NotifyEffect, lang: MessageLang, contractTitle: string, url: string, cause?: EventType): { message: string; messageOut: string } {
  const l = L[lang]
  const head = e.reason === 'yourTurn' && cause === 'delegated' ? l.delegatedToYou : l[e.reason]
  const title = bbSafe(contractTitle)
  const lines = [`${head}: [URL=${url}]${title}[/URL]`, `${l.by}: ${bbSafe(e.actor.name)}`]
  if (e.stepTitle) lines.push(`${l.step(bbSafe(e.stepTitle))}, ${l.round(e.round)}`)
  if (e.deadline) lines.push(`${l.deadline}: ${when(e.deadline, lang)}`)
  if (e.comment) lines.push(`${l.comment}: ${bbSafe(e.comment)}`)
  const out = [`${head}: ${contractTitle} ${url}`, `${l.by}: ${e.actor.name}`]
  if (e.comment) out.push(`${l.comment}: ${e.comment}`)
  return { message: lines.join('\n'), messageOut: out.join('\n') }
}

/** The marker that ties a to-do to its seat (round, step, approver): how it is found to close. */
export function todoMarker(ref: string): string {
  return `[ca:${ref}]`
}

export function todoTexts(e: TodoEffect, lang: MessageLang, contractTitle: string, url: string): { title: string; description: string } {
  const l = L[lang]
  return {
    title: l.todoTitle(contractTitle, e.round, l.step(e.stepTitle)),
    description: `${l.todoText}\n${url}\n${todoMarker(e.todoRef)}`,
  }
}
