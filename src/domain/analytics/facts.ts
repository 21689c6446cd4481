/**
 * One contract's approval log read as measurements: who held which step of which round from
 * when to when, and how it ended. Analytics aggregates these (report.ts); nothing here knows
 * about filters or periods.
 *
 * The log is replayed with the projection's own rules (checkEvent/applyEvent), so an event that
 * took no effect (a conflicting concurrent decision) measures nothing, exactly as it changed
 * nothing in the card.
 *
 * A "seat" is one person's turn on one step of one round:
 * - it opens when the step becomes current (every approver of the step, `all` and `any` alike);
 * - it closes with the person's decision (`approved`, `returned`), with `delegated` when they
 *   hand it on — the delegate's own seat opens at that moment: delegation hands the wait on —,
 *   with `notNeeded` when someone else completed an `any` step, and with `cancelled` when the
 *   round ended without them (a return by someone else, a withdrawal);
 * - it stays `pending` while the contract waits on it.
 * A breach is charged to whoever held the seat when the step's deadline passed: the seat started
 * at or before the deadline and ended (or is still open `now`) strictly after it. A decision
 * exactly at the deadline is in time.
 */

import type { ApprovalLog, EventContent } from '../log'
import { addHours, applyEvent, checkEvent, INITIAL_PROJECTION, type Projection } from '../projection'

export type SeatOutcome = 'approved' | 'returned' | 'delegated' | 'notNeeded' | 'cancelled' | 'pending'

export interface Seat {
  readonly round: number
  readonly step: number
  readonly stepTitle: string
  readonly approverId: number
  readonly start: string
  /** null while pending. */
  readonly end: string | null
  readonly deadline: string
  readonly outcome: SeatOutcome
}

export type VisitOutcome = 'approved' | 'returned' | 'cancelled' | 'pending'

/** A step of a round from becoming current to its completion (or return, or withdrawal). */
export interface StepVisit {
  readonly round: number
  readonly step: number
  readonly stepTitle: string
  readonly start: string
  readonly end: string | null
  readonly deadline: string
  readonly outcome: VisitOutcome
}

export interface ReturnFact {
  readonly round: number
  readonly step: number
  readonly stepTitle: string
  readonly approverId: number
  readonly at: string
  readonly comment: string
}

/** Where the contract stands now. */
export type ContractOutcome = 'draft' | 'inFlight' | 'returned' | 'approved' | 'withdrawn'

export interface ContractFacts {
  readonly id: number
  /** From the latest submission's snapshot (what the approvers saw). */
  readonly title: string
  readonly number: string | null
  readonly contractType: string | null
  readonly companyId: number | null
  readonly authorId: number | null
  /** The latest round's route. */
  readonly routeId: string | null
  readonly routeName: string | null
  /** The first submission; null when never submitted (or when round 1 lives in the archive file). */
  readonly submittedAt: string | null
  /** When the last step of the last round was approved. */
  readonly approvedAt: string | null
  readonly withdrawnAt: string | null
  readonly outcome: ContractOutcome
  readonly rounds: number
  readonly seats: readonly Seat[]
  readonly visits: readonly StepVisit[]
  readonly returns: readonly ReturnFact[]
  /** Names of the people the log mentions, as of when they acted. */
  readonly names: Readonly<Record<number, string>>
  /** Earlier rounds were moved to the log's archive file and were not read: they are not measured. */
  readonly partial: boolean
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const OUTCOME_OF_STAGE: Record<Projection['stageCode'], ContractOutcome> = {
  NEW: 'draft',
  APPROVAL: 'inFlight',
  RETURNED: 'returned',
  ORIGINALS: 'approved',
  SUCCESS: 'approved',
  WITHDRAWN: 'withdrawn',
  FAIL: 'withdrawn',
}

/**
 * Where replay starts. A log whose first inline event is a resubmission had its earlier rounds
 * moved to the archive file: replay starts from a returned contract of the round before, so the
 * inline rounds still measure.
 */
function startOf(events: readonly EventContent[]): { p: Projection; partial: boolean } {
  const first = events[0]
  if (first && first.type === 'resubmitted') {
    return { p: { ...INITIAL_PROJECTION, stageCode: 'RETURNED', round: first.round - 1, author: first.actor }, partial: true }
  }
  return { p: INITIAL_PROJECTION, partial: false }
}

/** The measurements of one contract's log. */
export function contractFacts(id: number, log: Pick<ApprovalLog, 'events'>): ContractFacts {
  const events = log.events
  const start = startOf(events)
  let p = start.p
  const seats: Mutable<Seat>[] = []
  const visits: Mutable<StepVisit>[] = []
  const returns: ReturnFact[] = []
  const names: Record<number, string> = {}
  let submittedAt: string | null = null
  let approvedAt: string | null = null
  let withdrawnAt: string | null = null

  const openSeats = (round: number, step: number) => seats.filter((s) => s.round === round && s.step === step && s.outcome === 'pending')
  const openVisit = (round: number, step: number) => visits.find((v) => v.round === round && v.step === step && v.outcome === 'pending')
  const close = (seat: Mutable<Seat>, outcome: SeatOutcome, at: string): void => {
    seat.outcome = outcome
    seat.end = at
  }
  const closeVisit = (visit: Mutable<StepVisit>, outcome: VisitOutcome, at: string): void => {
    visit.outcome = outcome
    visit.end = at
  }

  function openStep(q: Projection, index: number, at: string): void {
    const step = q.steps[index]
    if (!step) return
    const deadline = step.deadline ?? addHours(at, step.slaHours)
    visits.push({ round: q.round, step: index, stepTitle: step.title, start: at, end: null, deadline, outcome: 'pending' })
    for (const approverId of step.approverIds) {
      seats.push({ round: q.round, step: index, stepTitle: step.title, approverId, start: at, end: null, deadline, outcome: 'pending' })
    }
  }

  for (const e of events) {
    if (checkEvent(p, e) !== null) continue
    const next = applyEvent(p, e)
    names[e.actor.id] = e.actor.name
    switch (e.type) {
      case 'submitted':
      case 'resubmitted':
        if (e.type === 'submitted') submittedAt = e.at
        approvedAt = null
        openStep(next, 0, e.at)
        break
      case 'approved': {
        const seat = openSeats(e.round, e.step).find((s) => s.approverId === e.actor.id)
        if (seat) close(seat, 'approved', e.at)
        const completed = p.steps[e.step]?.status === 'current' && next.steps[e.step]?.status === 'approved'
        if (completed) {
          for (const other of openSeats(e.round, e.step)) close(other, 'notNeeded', e.at)
          const visit = openVisit(e.round, e.step)
          if (visit) closeVisit(visit, 'approved', e.at)
          if (e.step + 1 < next.steps.length) openStep(next, e.step + 1, e.at)
          else approvedAt = e.at
        }
        break
      }
      case 'returned': {
        const own = openSeats(e.round, e.step).find((s) => s.approverId === e.actor.id)
        if (own) close(own, 'returned', e.at)
        else {
          // A second return of a step already returned (two approvers at once): theirs too.
          const earlier = [...seats].reverse().find((s) => s.round === e.round && s.step === e.step && s.approverId === e.actor.id)
          if (earlier) close(earlier, 'returned', e.at)
        }
        for (const other of openSeats(e.round, e.step)) close(other, 'cancelled', e.at)
        const visit = openVisit(e.round, e.step)
        if (visit) closeVisit(visit, 'returned', e.at)
        returns.push({
          round: e.round, step: e.step, stepTitle: p.steps[e.step]?.title ?? '', approverId: e.actor.id, at: e.at, comment: e.comment ?? '',
        })
        break
      }
      case 'delegated': {
        const seat = openSeats(e.round, e.step).find((s) => s.approverId === e.actor.id)
        names[e.delegateTo.id] = e.delegateTo.name
        if (seat) {
          close(seat, 'delegated', e.at)
          seats.push({ ...seat, approverId: e.delegateTo.id, start: e.at, end: null, outcome: 'pending' })
        }
        break
      }
      case 'withdrawn':
        withdrawnAt = e.at
        for (const s of seats) if (s.outcome === 'pending') close(s, 'cancelled', e.at)
        for (const v of visits) if (v.outcome === 'pending') closeVisit(v, 'cancelled', e.at)
        break
      default:
        break
    }
    p = next
  }

  const latest = p.submissions[p.submissions.length - 1]
  return {
    id,
    title: latest?.snapshot.title ?? '',
    number: latest?.snapshot.number ?? null,
    contractType: latest?.snapshot.contractType ?? null,
    companyId: latest?.snapshot.companyId ?? null,
    authorId: p.author?.id ?? null,
    routeId: latest?.routeId ?? null,
    routeName: latest?.routeName ?? null,
    submittedAt,
    approvedAt,
    withdrawnAt,
    outcome: OUTCOME_OF_STAGE[p.stageCode],
    rounds: p.round,
    seats,
    visits,
    returns,
    names,
    partial: start.partial,
  }
}

/** Whether the deadline passed while this seat (or visit) was held; `now` closes what is still open. */
export function breached(x: { start: string; end: string | null; deadline: string }, now: string): boolean {
  const deadline = Date.parse(x.deadline)
  const end = Date.parse(x.end ?? now)
  return Date.parse(x.start) <= deadline && end > deadline
}

/** Hours between two ISO times. */
export function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 3_600_000
}
