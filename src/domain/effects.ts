/**
 * Side effects due after a state write (docs/ARCHITECTURE.md): a timeline log message, notifications, and
 * to-dos opened for approvers whose turn came / closed for those whose turn ended. Each effect
 * has a `key` built from the event id, its kind and the recipient: the caller records done keys
 * (or checks the portal) so a retry never duplicates a message or a to-do.
 *
 * Effects of an event are computed from the log up to and including that event, so computing
 * them again for the same log gives the same effects and keys.
 */

import type { StageCode } from './schema'
import type { Actor, ApprovalLog, EventType } from './log'
import { projectEvents, type Projection } from './projection'

export type NotifyReason = 'yourTurn' | 'returned' | 'approved' | 'withdrawn' | 'archived' | 'overdue'

export interface TimelineEffect {
  readonly kind: 'timeline'
  readonly key: string
  readonly eventId: string
  /** Data for the caller's localized text; log messages cannot be edited later. */
  readonly message: {
    readonly event: EventType
    readonly actor: Actor
    readonly round: number
    readonly step: number | null
    readonly stepTitle: string | null
    readonly comment: string | null
    readonly stage: StageCode
    readonly delegateTo: Actor | null
  }
}

export interface NotifyEffect {
  readonly kind: 'notify'
  readonly key: string
  readonly eventId: string
  readonly userId: number
  readonly reason: NotifyReason
  readonly actor: Actor
  readonly round: number
  readonly stepTitle: string | null
  readonly deadline: string | null
  readonly comment: string | null
  /** yourTurn as a standing deputy (deputies.ts): whose turn it was. */
  readonly insteadOf?: Actor
}

export interface TodoEffect {
  readonly kind: 'todoOpen' | 'todoClose'
  readonly key: string
  readonly eventId: string
  readonly userId: number
  /** Same for the open and the close of one to-do: how the caller finds the one to close. */
  readonly todoRef: string
  readonly round: number
  readonly step: number
  readonly stepTitle: string
  /** todoOpen: the step deadline. */
  readonly deadline: string | null
  /** todoOpen: the route's reminders, minutes before the deadline (Bitrix24's `pingOffsets`); absent = none. */
  readonly pingOffsets?: readonly number[]
}

export type SideEffect = TimelineEffect | NotifyEffect | TodoEffect

/**
 * Stable reference of the to-do for one approver on one step of one round; after a mid-round
 * revision (`revision` > 0) a seat asked again gets a new to-do, not the one already closed.
 */
export function todoRef(round: number, step: number, userId: number, revision = 0): string {
  return `r${round}s${step}u${userId}${revision > 0 ? `v${revision}` : ''}`
}

interface Seat {
  readonly ref: string
  readonly userId: number
  readonly step: number
}

/** Who has an open to-do in a state: the current step's pending approvers. */
function seats(p: Projection): Seat[] {
  if (p.currentStep === null) return []
  const step = p.currentStep
  return p.currentApprovers.map((userId) => ({ ref: todoRef(p.round, step, userId, p.revision), userId, step }))
}

function authorNotice(before: Projection, after: Projection): NotifyReason | null {
  if (after.stageCode === before.stageCode) return null
  if (after.stageCode === 'RETURNED') return 'returned'
  if (after.stageCode === 'ORIGINALS') return 'approved'
  if (after.stageCode === 'SUCCESS') return 'archived'
  return null
}

/** Effects of the event at `index` in `events` order (empty when the event took no effect). */
function effectsAt(log: ApprovalLog, index: number): SideEffect[] {
  const e = log.events[index]
  if (!e) return []
  const before = projectEvents(log.events.slice(0, index))
  const after = projectEvents(log.events.slice(0, index + 1))
  if (after.ignored.some((i) => i.eventId === e.id)) return []

  const stepTitle = e.step !== null ? (after.steps[e.step]?.title ?? null) : null
  const comment = e.comment ?? null
  const out: SideEffect[] = [{
    kind: 'timeline',
    key: `${e.id}:timeline`,
    eventId: e.id,
    message: { event: e.type, actor: e.actor, round: e.round, step: e.step, stepTitle, comment, stage: after.stageCode, delegateTo: e.type === 'delegated' ? e.delegateTo : null },
  }]

  const was = seats(before)
  const now = seats(after)
  const titleOf = (p: Projection, s: Seat) => p.steps[s.step]?.title ?? ''
  const pings = Array.isArray(after.route?.reminders) ? after.route.reminders.filter((m) => Number.isInteger(m) && m >= 0) : []
  const reminders = pings.length ? { pingOffsets: pings } : {}
  for (const s of was.filter((w) => !now.some((x) => x.ref === w.ref))) {
    out.push({ kind: 'todoClose', key: `${e.id}:todoClose:${s.userId}`, eventId: e.id, userId: s.userId, todoRef: s.ref, round: before.round, step: s.step, stepTitle: titleOf(before, s), deadline: null })
    if (after.stageCode === 'WITHDRAWN' && s.userId !== e.actor.id) {
      out.push({ kind: 'notify', key: `${e.id}:notify:${s.userId}`, eventId: e.id, userId: s.userId, reason: 'withdrawn', actor: e.actor, round: e.round, stepTitle: titleOf(before, s), deadline: null, comment })
    }
  }
  for (const s of now.filter((x) => !was.some((w) => w.ref === x.ref))) {
    out.push({
      kind: 'todoOpen', key: `${e.id}:todoOpen:${s.userId}`, eventId: e.id, userId: s.userId, todoRef: s.ref, round: after.round, step: s.step,
      stepTitle: titleOf(after, s), deadline: after.deadline, ...reminders,
    })
    if (s.userId !== e.actor.id) {
      const seat = 'deputies' in e && Array.isArray(e.deputies) ? e.deputies.find((d) => d.step === s.step && d.to.id === s.userId) : undefined
      out.push({
        kind: 'notify', key: `${e.id}:notify:${s.userId}`, eventId: e.id, userId: s.userId, reason: 'yourTurn', actor: e.actor, round: after.round,
        stepTitle: titleOf(after, s), deadline: after.deadline, comment, ...(seat ? { insteadOf: seat.from } : {}),
      })
    }
  }
  // An escalation tells its people, once: a second escalation of the step was ignored above.
  if (e.type === 'escalated') {
    const step = before.steps[e.step]
    for (const userId of e.notify) {
      out.push({ kind: 'notify', key: `${e.id}:notify:${userId}`, eventId: e.id, userId, reason: 'overdue', actor: e.actor, round: e.round, stepTitle: step?.title ?? null, deadline: step?.deadline ?? null, comment: null })
    }
  }
  const notice = authorNotice(before, after)
  const author = after.author
  if (notice && author && author.id !== e.actor.id && !out.some((x) => x.kind === 'notify' && x.userId === author.id)) {
    out.push({ kind: 'notify', key: `${e.id}:notify:${author.id}`, eventId: e.id, userId: author.id, reason: notice, actor: e.actor, round: after.round, stepTitle, deadline: null, comment })
  }
  return out
}

/**
 * Effects due for the events in `after` that are not in `before` (one for a plain write, several
 * after a merge brought in others' events too — running theirs again is harmless: same keys).
 */
export function sideEffects(before: ApprovalLog, after: ApprovalLog): SideEffect[] {
  const known = new Set(before.events.map((e) => e.id))
  const out: SideEffect[] = []
  after.events.forEach((e, i) => {
    if (!known.has(e.id)) out.push(...effectsAt(after, i))
  })
  return out
}

/** Effects of one event of a log, by id (for retrying one event's effects). */
export function effectsOfEvent(log: ApprovalLog, eventId: string): SideEffect[] {
  const i = log.events.findIndex((e) => e.id === eventId)
  return i < 0 ? [] : effectsAt(log, i)
}
