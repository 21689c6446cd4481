/**
 * The log replayed: stage, current approvers, round, deadline, per-step status, and what earlier
 * rounds said. The same rules decide whether a new command may append an event (machine.ts) and
 * whether an event found in a merged log takes effect, so live decisions and merges agree.
 */

import type { StageCode } from './schema'
import type { Actor, ApprovalLog, DecidedContent, DelegatedContent, EscalatedContent, EventContent, OriginalsReceipt, RevisedContent, RoundStartedContent } from './log'
import type { FrozenRoute, StepMode } from './route'
import { COMMENT_MAX_LENGTH, STORAGE_LOCATION_MAX_LENGTH, type RefusalCode } from './refusal'
import { diffSnapshots, type ContractSnapshot, type SnapshotChange } from './snapshot'
import type { Trust } from './attestation'
import { isPublishedRoute } from './route'
import { seatAllowed, type DeputySeat } from './deputies'
import { changedFields, keptSteps, ruleOf, stepAffected, versionHash, type StepBefore, type Version } from './reapproval'

export type StepStatus = 'waiting' | 'current' | 'approved' | 'returned' | 'cancelled'

export interface Approval {
  readonly eventId: string
  readonly actor: Actor
  readonly at: string
  /** Arrived (through a merge) after the step was already complete: recorded, changes nothing. */
  readonly late: boolean
  /**
   * Kept from an earlier version by the route's re-approval rule: the round the approver
   * approved in («согласовано в круге N, без изменений»). Absent: approved this version.
   */
  readonly carriedFrom?: number
}

export interface StepView {
  readonly index: number
  readonly title: string
  readonly mode: StepMode
  readonly slaHours: number
  /** Who sits on the step this round (after delegations). */
  readonly approverIds: readonly number[]
  readonly approvals: readonly Approval[]
  readonly status: StepStatus
  readonly startedAt: string | null
  /** startedAt + slaHours, calendar hours, ISO. */
  readonly deadline: string | null
  readonly completedAt: string | null
}

export interface Decision {
  readonly eventId: string
  readonly round: number
  readonly step: number
  readonly stepTitle: string
  readonly actor: Actor
  readonly at: string
  readonly decision: 'approved' | 'returned'
  readonly comment: string | null
  /** Index in Projection.versions of the version decided on. */
  readonly version: number
}

/** A version of the contract a round reviewed: its submission, then each mid-round revision. */
export interface VersionEntry extends Version {
  readonly eventId: string
  readonly round: number
  readonly at: string
  readonly actor: Actor
  readonly kind: 'submitted' | 'revised'
}

export interface Submission {
  readonly eventId: string
  readonly round: number
  readonly at: string
  readonly actor: Actor
  readonly snapshot: ContractSnapshot
  readonly documentId: number | null
  readonly routeId: string
  readonly routeName: string
}

export interface Projection {
  readonly stageCode: StageCode
  /** 0 until the first submission. */
  readonly round: number
  readonly route: FrozenRoute | null
  readonly steps: readonly StepView[]
  readonly currentStep: number | null
  /** Who still has to act on the current step (an `all` step shrinks as people approve). */
  readonly currentApprovers: readonly number[]
  readonly deadline: string | null
  /** Whoever submitted round 1. */
  readonly author: Actor | null
  /** Every approval and return that took effect, all rounds, in log order. */
  readonly decisions: readonly Decision[]
  /** Returns of the latest round that had any: what the author was asked to fix. */
  readonly returnComments: readonly Decision[]
  readonly submissions: readonly Submission[]
  /** Every version reviewed, all rounds, in order; the last is the current one. */
  readonly versions: readonly VersionEntry[]
  /** versionHash of the current version under the round's route: what an approval binds to. */
  readonly versionHash: string | null
  /** Mid-round revisions in the current round (0 when none). */
  readonly revision: number
  /** Overdue steps escalated, all rounds: one per step and round. */
  readonly escalations: readonly { readonly round: number; readonly step: number; readonly at: string; readonly by: Actor; readonly notify: readonly number[] }[]
  readonly originals: (OriginalsReceipt & { readonly by: Actor; readonly at: string }) | null
  /** Events in the log that took no effect (conflicting concurrent decisions), with why. */
  readonly ignored: readonly { readonly eventId: string; readonly reason: RefusalCode }[]
}

export const INITIAL_PROJECTION: Projection = {
  stageCode: 'NEW',
  round: 0,
  route: null,
  steps: [],
  currentStep: null,
  currentApprovers: [],
  deadline: null,
  author: null,
  decisions: [],
  returnComments: [],
  submissions: [],
  versions: [],
  versionHash: null,
  revision: 0,
  escalations: [],
  originals: null,
  ignored: [],
}

export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString()
}

function commentProblem(comment: string | undefined, required: boolean): RefusalCode | null {
  const text = (comment ?? '').trim()
  if (required && text === '') return 'commentRequired'
  if (text.length > COMMENT_MAX_LENGTH) return 'commentTooLong'
  return null
}

function validFrozenRoute(route: FrozenRoute | undefined): boolean {
  return !!route && Array.isArray(route.steps) && route.steps.length > 0 &&
    route.steps.every((s) => Array.isArray(s.approverIds) && s.approverIds.length > 0 && (s.mode === 'all' || s.mode === 'any'))
}

function hasApproved(step: StepView, userId: number): boolean {
  return step.approvals.some((a) => a.actor.id === userId)
}

function hasReturned(p: Projection, e: DecidedContent | DelegatedContent): boolean {
  return p.decisions.some((d) => d.round === e.round && d.step === e.step && d.decision === 'returned' && d.actor.id === e.actor.id)
}

/** Checks a decision (approve/return/delegate) on the current step. */
function checkDecision(p: Projection, e: DecidedContent | DelegatedContent): RefusalCode | null {
  // Whatever a route says (a forged one, a delegation): the author never decides her own contract.
  if (p.author && e.actor.id === p.author.id) return 'authorCannotDecide'
  // Read from storage, a decision may lack its step: it then matches none.
  const step = e.round === p.round && typeof e.step === 'number' ? p.steps[e.step] : undefined
  if (step && step.status === 'approved') {
    if (hasApproved(step, e.actor.id)) return 'alreadyDecided'
    if (e.type === 'approved' && step.approverIds.includes(e.actor.id)) return commentProblem(e.comment, false)
    return step.approverIds.includes(e.actor.id) ? 'staleDecision' : 'notCurrentApprover'
  }
  if (step && step.status === 'returned' && p.stageCode === 'RETURNED' && e.type === 'returned' && step.approverIds.includes(e.actor.id)) {
    // A second return of the same step (two approvers at once): both comments reach the author.
    return hasReturned(p, e) ? 'alreadyDecided' : commentProblem(e.comment, true)
  }
  if (p.stageCode !== 'APPROVAL') return 'wrongStage'
  if (!step || e.step !== p.currentStep) return 'staleDecision'
  if (hasApproved(step, e.actor.id)) return 'alreadyDecided'
  if (!step.approverIds.includes(e.actor.id)) return 'notCurrentApprover'
  // An approval of a version that is no longer the round's: the approver did not see this one.
  if (e.type === 'approved' && typeof e.seen === 'string' && e.seen !== p.versionHash) return 'contractChanged'
  if (e.type === 'delegated') {
    const to = e.delegateTo
    if (!to || !Number.isInteger(to.id) || to.id === e.actor.id || step.approverIds.includes(to.id)) return 'invalidDelegate'
    if (p.author && to.id === p.author.id) return 'delegateIsAuthor'
  }
  return commentProblem(e.comment, e.type === 'returned')
}

/**
 * Escalation exactly once: the current step, past its deadline by the writer's clock, not yet
 * escalated in this round. Two clients that look at the same moment both write one; the merged
 * log keeps both and the later one (in log order) takes no effect, so its notices never go.
 */
function checkEscalation(p: Projection, e: EscalatedContent): RefusalCode | null {
  if (p.stageCode !== 'APPROVAL') return 'wrongStage'
  if (e.round !== p.round || e.step !== p.currentStep) return 'staleDecision'
  if (p.escalations.some((x) => x.round === e.round && x.step === e.step)) return 'alreadyEscalated'
  if (!p.deadline || Date.parse(e.at) <= Date.parse(p.deadline)) return 'notOverdue'
  if (!Array.isArray(e.notify) || !e.notify.every((id) => Number.isInteger(id) && id > 0)) return 'invalidEvent'
  return null
}

/** Whether the current step is overdue at `now` and nobody has escalated it yet. */
export function dueForEscalation(p: Projection, now: string): boolean {
  if (p.stageCode !== 'APPROVAL' || p.currentStep === null || !p.deadline) return false
  const step = p.currentStep
  return Date.parse(now) > Date.parse(p.deadline) && !p.escalations.some((x) => x.round === p.round && x.step === step)
}

/** Whether `e` may take effect on top of `p`; null means yes. */
export function checkEvent(p: Projection, e: EventContent): RefusalCode | null {
  switch (e.type) {
    case 'submitted':
    case 'resubmitted': {
      if (e.type === 'submitted' ? p.stageCode !== 'NEW' || p.round !== 0 : p.stageCode !== 'RETURNED') return 'wrongStage'
      if (e.type === 'resubmitted' && e.actor.id !== p.author?.id) return 'notAuthor'
      if (e.round !== p.round + 1) return 'staleDecision'
      if (!validFrozenRoute(e.route) || !e.snapshot) return 'invalidEvent'
      return commentProblem(e.comment, false)
    }
    case 'approved':
    case 'returned':
    case 'delegated':
      return checkDecision(p, e)
    case 'revised': {
      if (p.stageCode !== 'APPROVAL') return 'wrongStage'
      if (e.round !== p.round) return 'staleDecision'
      const seated = p.steps.some((s) => s.approverIds.includes(e.actor.id)) || p.route?.steps.some((s) => s.approverIds.includes(e.actor.id))
      if (e.actor.id !== p.author?.id && !seated) return 'notCurrentApprover'
      if (!e.snapshot) return 'invalidEvent'
      if (versionHash(p.route, { snapshot: e.snapshot, documentId: e.documentId ?? null }) === p.versionHash) return 'versionUnchanged'
      return commentProblem(e.comment, false)
    }
    case 'escalated':
      return checkEscalation(p, e)
    case 'withdrawn':
      if (p.stageCode !== 'APPROVAL' && p.stageCode !== 'RETURNED') return 'wrongStage'
      if (e.actor.id !== p.author?.id) return 'notAuthor'
      if (e.round !== p.round) return 'staleDecision'
      return commentProblem(e.comment, false)
    case 'originalReceived': {
      if (p.stageCode !== 'ORIGINALS') return 'wrongStage'
      if (p.originals) return 'alreadyReceived'
      const o = e.originals
      if (!o || o.receivedAt.trim() === '' || o.storageLocation.trim() === '' || o.storageLocation.length > STORAGE_LOCATION_MAX_LENGTH) {
        return 'originalsRequired'
      }
      return commentProblem(e.comment, false)
    }
    case 'archived':
      if (p.stageCode !== 'ORIGINALS') return 'wrongStage'
      if (!p.originals) return 'originalsNotReceived'
      return commentProblem(e.comment, false)
    default:
      return 'invalidEvent'
  }
}

function sameIds(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((id) => b.includes(id))
}

/** A step's approvals as carried into a new version: each keeps the round it was given in. */
function carried(approvals: readonly Approval[], round: number): Approval[] {
  return approvals.filter((a) => !a.late).map((a) => ({ ...a, carriedFrom: a.carriedFrom ?? round }))
}

/** The first step not yet approved becomes current (from `at`); none left: the round is done. */
function openFirstPending(steps: StepView[], at: string, keepIndex: number | null): StepView[] {
  const first = steps.findIndex((s) => s.status !== 'approved')
  return steps.map((s, i) => {
    if (i !== first) return s.status === 'current' ? { ...s, status: 'waiting' as const, startedAt: null, deadline: null } : s
    if (i === keepIndex && s.status === 'current') return s
    return { ...s, status: 'current' as const, startedAt: at, deadline: addHours(at, s.slaHours), completedAt: null }
  })
}

function startRound(p: Projection, e: RoundStartedContent): Projection {
  const route = e.route
  const version: Version = { snapshot: e.snapshot, documentId: e.documentId ?? null }
  // A resubmission keeps the approvals the route's rule keeps (reapproval.ts).
  const prevRoute = p.route
  const sameRoute = e.type === 'resubmitted' && prevRoute?.routeId === route.routeId
  const before: (StepBefore | undefined)[] = route.steps.map((s, i) => {
    const prev = p.steps[i]
    if (!sameRoute || !prev || prev.title !== s.title) return undefined
    return { approved: prev.status === 'approved', returned: prev.status === 'returned', samePeople: sameIds(prevRoute?.steps[i]?.approverIds, s.approverIds) }
  })
  const kept = keptSteps(ruleOf(route), route.steps, before, changedFields(p.versions.at(-1) ?? null, version), false)
  const fresh: StepView[] = route.steps.map((s, index) => {
    const prev = p.steps[index]
    if (kept[index] && prev) {
      return { ...prev, index, approvals: carried(prev.approvals, p.round), status: 'approved' as const, startedAt: e.at, deadline: null, completedAt: e.at }
    }
    return {
      index,
      title: s.title,
      mode: s.mode,
      slaHours: s.slaHours,
      approverIds: [...s.approverIds],
      approvals: [],
      status: 'waiting' as const,
      startedAt: null,
      deadline: null,
      completedAt: null,
    }
  })
  const steps = openFirstPending(fresh, e.at, null)
  const submission: Submission = {
    eventId: e.id,
    round: e.round,
    at: e.at,
    actor: e.actor,
    snapshot: e.snapshot,
    documentId: e.documentId ?? null,
    routeId: route.routeId,
    routeName: route.name,
  }
  const entry: VersionEntry = { ...version, eventId: e.id, round: e.round, at: e.at, actor: e.actor, kind: 'submitted' }
  return {
    ...p,
    stageCode: 'APPROVAL',
    round: e.round,
    route,
    steps,
    author: p.author ?? e.actor,
    submissions: [...p.submissions, submission],
    versions: [...p.versions, entry],
    versionHash: versionHash(route, version),
    revision: 0,
  }
}

/**
 * The contract changed mid-round: approvals of the old version stand only where the route's rule
 * keeps them (`changed`: steps that watch none of the changed fields); the first step left
 * without its approvals is current again.
 */
function revise(p: Projection, e: RevisedContent): Projection {
  const version: Version = { snapshot: e.snapshot, documentId: e.documentId ?? null }
  const changed = changedFields(p.versions.at(-1) ?? null, version)
  const rule = ruleOf(p.route)
  const reset = p.steps.map((s) => {
    const keep = rule === 'changed' && !stepAffected(p.route?.steps[s.index], changed)
    if (s.status === 'approved') {
      return keep
        ? { ...s, approvals: carried(s.approvals, p.round) }
        : { ...s, approvals: [], status: 'waiting' as const, startedAt: null, deadline: null, completedAt: null }
    }
    if (s.status === 'current') return keep ? { ...s, approvals: carried(s.approvals, p.round) } : { ...s, approvals: [] }
    return s
  })
  const current = p.currentStep
  const keepCurrent = current !== null && reset[current]?.status === 'current' && reset.slice(0, current).every((s) => s.status === 'approved') ? current : null
  const steps = openFirstPending(reset, e.at, keepCurrent)
  const entry: VersionEntry = { ...version, eventId: e.id, round: e.round, at: e.at, actor: e.actor, kind: 'revised' }
  return { ...p, steps, versions: [...p.versions, entry], versionHash: versionHash(p.route, version), revision: p.revision + 1 }
}

function withCurrent(p: Projection): Projection {
  const i = p.steps.findIndex((s) => s.status === 'current')
  const step = p.steps[i]
  if (!step || p.stageCode !== 'APPROVAL') return { ...p, currentStep: null, currentApprovers: [], deadline: null }
  const pending = step.approverIds.filter((id) => !hasApproved(step, id))
  return { ...p, currentStep: i, currentApprovers: pending, deadline: step.deadline }
}

function decisionOf(p: Projection, e: DecidedContent): Decision {
  return {
    eventId: e.id, round: e.round, step: e.step, stepTitle: p.steps[e.step]?.title ?? '', actor: e.actor, at: e.at, decision: e.type,
    comment: e.comment?.trim() ? e.comment.trim() : null, version: Math.max(0, p.versions.length - 1),
  }
}

function applyApproval(p: Projection, e: DecidedContent): Projection {
  const idx = e.step
  const step = p.steps[idx]
  if (!step) return p
  const late = step.status !== 'current'
  const approvals = [...step.approvals, { eventId: e.id, actor: e.actor, at: e.at, late }]
  const done = !late && (step.mode === 'any' || step.approverIds.every((id) => approvals.some((a) => a.actor.id === id)))
  // The next step still to approve (a step whose approvals a rule carried over is skipped).
  const next = done ? p.steps.findIndex((s) => s.index > idx && s.status !== 'approved') : -1
  const steps = p.steps.map((s) => {
    const status: StepStatus = done ? 'approved' : s.status
    if (s.index === idx) return { ...s, approvals, status, completedAt: done ? e.at : s.completedAt }
    if (done && s.index === next) return { ...s, status: 'current' as const, startedAt: e.at, deadline: addHours(e.at, s.slaHours) }
    return s
  })
  const finished = done && next < 0
  return {
    ...p,
    steps,
    stageCode: finished ? 'ORIGINALS' : p.stageCode,
    decisions: [...p.decisions, decisionOf(p, e)],
  }
}

/**
 * Deputies take the turn the event just opened: only on the step that became current with it,
 * before anyone acted there, and only seats the rules allow (deputies.ts `seatAllowed`).
 */
function seatDeputies(before: Projection, after: Projection, e: { readonly at: string; readonly deputies?: readonly DeputySeat[] }): Projection {
  const i = after.currentStep
  if (!Array.isArray(e.deputies) || e.deputies.length === 0 || i === null) return after
  const step = after.steps[i]
  const opened = after.round !== before.round || before.currentStep !== i
  if (!step || !opened || step.approvals.length > 0 || step.startedAt !== e.at) return after
  let ids = [...step.approverIds]
  for (const seat of e.deputies) {
    if (seat?.step !== i || !seatAllowed(seat, ids, after.author?.id ?? null)) continue
    ids = ids.map((id) => (id === seat.from.id ? seat.to.id : id))
  }
  return withCurrent({ ...after, steps: after.steps.map((s) => (s.index === i ? { ...s, approverIds: ids } : s)) })
}

/** Applies an event already known to pass checkEvent. */
export function applyEvent(p: Projection, e: EventContent): Projection {
  switch (e.type) {
    case 'submitted':
    case 'resubmitted':
      return seatDeputies(p, withCurrent(startRound(p, e)), e)
    case 'approved':
      return seatDeputies(p, withCurrent(applyApproval(p, e)), e)
    case 'revised':
      return withCurrent(revise(p, e))
    case 'escalated':
      return { ...p, escalations: [...p.escalations, { round: e.round, step: e.step, at: e.at, by: e.actor, notify: [...e.notify] }] }
    case 'returned': {
      const d = decisionOf(p, e)
      const steps = p.steps.map((s) => (s.index === e.step && s.status === 'current' ? { ...s, status: 'returned' as const, completedAt: e.at } : s))
      const returnComments = p.returnComments[0]?.round === e.round ? [...p.returnComments, d] : [d]
      return withCurrent({ ...p, steps, stageCode: 'RETURNED', decisions: [...p.decisions, d], returnComments })
    }
    case 'delegated': {
      const to = e.delegateTo
      const steps = p.steps.map((s) =>
        s.index === e.step ? { ...s, approverIds: s.approverIds.map((id) => (id === e.actor.id ? to.id : id)) } : s)
      return withCurrent({ ...p, steps })
    }
    case 'withdrawn': {
      const steps = p.steps.map((s) => (s.status === 'current' ? { ...s, status: 'cancelled' as const, completedAt: e.at } : s))
      return withCurrent({ ...p, steps, stageCode: 'WITHDRAWN' })
    }
    case 'originalReceived':
      return { ...p, originals: { ...e.originals, by: e.actor, at: e.at } }
    case 'archived':
      return { ...p, stageCode: 'SUCCESS' }
    default:
      return p
  }
}

/**
 * Why `e` takes no effect under `trust`, before the rules are asked: no entry by its actor
 * confirms it, or it starts a round on a route the administrators never published.
 */
export function distrust(e: EventContent, trust: Trust): RefusalCode | null {
  if (trust.confirmed && !trust.confirmed.has(e.id)) return 'unconfirmed'
  if (trust.published && (e.type === 'submitted' || e.type === 'resubmitted') && (!e.route || !isPublishedRoute(e.route, trust.published))) {
    return 'routeNotPublished'
  }
  return null
}

/** Applies `e` if the rules (and `trust`) allow it, otherwise records it as ignored. */
export function replayEvent(p: Projection, e: EventContent, trust: Trust = {}): Projection {
  const refusal = distrust(e, trust) ?? checkEvent(p, e)
  return refusal ? { ...p, ignored: [...p.ignored, { eventId: e.id, reason: refusal }] } : applyEvent(p, e)
}

export function projectEvents(events: readonly EventContent[], trust: Trust = {}): Projection {
  return events.reduce((p, e) => replayEvent(p, e, trust), INITIAL_PROJECTION)
}

/**
 * The state of a contract from its log. Verify the chain separately (verifyLog). `trust` (the
 * confirmed event ids, the published route hashes) leaves out what the portal does not vouch for.
 */
export function project(log: Pick<ApprovalLog, 'events'>, trust: Trust = {}): Projection {
  return projectEvents(log.events, trust)
}

/** What `userId` decided in earlier rounds: the "already reviewed" mark and their last comment. */
export function earlierDecisionsOf(p: Projection, userId: number): Decision[] {
  return p.decisions.filter((d) => d.actor.id === userId && d.round < p.round)
}

/** What changed between the previous round's submission and the current one. */
export function changesSinceLastRound(p: Projection): SnapshotChange[] {
  const cur = p.submissions[p.submissions.length - 1]
  const prev = p.submissions[p.submissions.length - 2]
  if (!cur || !prev) return []
  return diffSnapshots(prev.snapshot, cur.snapshot, { prev: prev.documentId, next: cur.documentId })
}

function diffVersions(before: Version | undefined, after: Version | undefined): SnapshotChange[] {
  if (!before || !after) return []
  return diffSnapshots(before.snapshot, after.snapshot, { prev: before.documentId, next: after.documentId })
}

/**
 * What `userId` has not seen: the changes since the version they last decided on (in whatever
 * round), or — for someone who never decided — since the previous round's last version.
 */
export function changesSinceReviewed(p: Projection, userId: number | null): { changes: SnapshotChange[]; round: number | null } {
  const current = p.versions.at(-1)
  if (!current) return { changes: [], round: null }
  const mine = userId === null ? undefined : p.decisions.filter((d) => d.actor.id === userId).at(-1)
  if (mine) {
    const seen = p.versions[mine.version]
    return { changes: mine.version === p.versions.length - 1 ? [] : diffVersions(seen, current), round: seen?.round ?? mine.round }
  }
  const earlier = p.versions.filter((v) => v.round < p.round).at(-1)
  return { changes: diffVersions(earlier, current), round: earlier?.round ?? null }
}

/**
 * A change made in the card and not yet recorded: the item's version against the round's. Empty
 * when nothing the route watches changed.
 */
export function unrecordedChanges(p: Projection, now: Version | null): SnapshotChange[] {
  const current = p.versions.at(-1)
  if (!now || !current || p.stageCode !== 'APPROVAL' || versionHash(p.route, now) === p.versionHash) return []
  return diffVersions(current, now)
}

/** The author's preview while returned: what the approvers will see against the round they reviewed. */
export function resubmissionPreview(p: Projection, now: Version | null): SnapshotChange[] {
  return p.stageCode === 'RETURNED' && now ? diffVersions(p.versions.at(-1), now) : []
}

/**
 * Who would be asked again if the unrecorded change were recorded now: the steps whose approvals
 * the rule drops, with the people who approved them.
 */
export function reaskedBy(p: Projection, now: Version): { step: number; approvers: readonly Actor[] }[] {
  const changed = changedFields(p.versions.at(-1) ?? null, now)
  const rule = ruleOf(p.route)
  return p.steps
    .filter((s) => s.approvals.length > 0 && !(rule === 'changed' && !stepAffected(p.route?.steps[s.index], changed)))
    .map((s) => ({ step: s.index, approvers: s.approvals.map((a) => a.actor) }))
}
