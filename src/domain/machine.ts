/**
 * Commands → one new event, or a refusal with a stable code. The machine takes the event id and
 * the clock from the caller (no Date.now, no randomness here), so a retried command with the same
 * id is recognised and records nothing twice.
 *
 * A log whose history fails verification is never appended to: the refusal carries the check so
 * the UI can show where history was edited, until an admin explicitly accepts it (history.ts).
 */

import { canonicalJson, chainEvent, checkBudget, compareEvents, headHash, LOG_VERSION, type Actor, type ApprovalEvent, type ApprovalLog, type EventContent } from './log'
import { verifyLog, type LogCheck } from './merge'
import { applyEvent, checkEvent, project, type Projection } from './projection'
import type { RefusalCode } from './refusal'
import { freezeRoute, selectRoute, validateRoute, type FrozenRoute, type RouteIssue, type RouteSet } from './route'
import type { ContractSnapshot } from './snapshot'
import { missingRequired, versionHash, type Version } from './reapproval'
import type { Trust } from './attestation'
import { dayOf, deputySeats, type Absence } from './deputies'

export interface CommandContext {
  /** Unique per user action (crypto.randomUUID in the caller); reuse it when retrying. */
  readonly eventId: string
  /** ISO time of the action. */
  readonly at: string
  readonly actor: Actor
  /** Override of APPROVAL_LOG_MAX_BYTES (tests, or a portal with a smaller field). */
  readonly budgetBytes?: number
  /**
   * What the portal vouches for (attestation.ts): events nobody confirmed take no effect, and
   * originals wait while any is unconfirmed. The new event itself counts as confirmed: its
   * writer leaves its entry before writing it. Absent: everything is trusted.
   */
  readonly trust?: Trust
}

interface SubmitInput {
  /** The routes as stored now; the matching one is frozen into the event. */
  readonly routeSet: RouteSet
  readonly snapshot: ContractSnapshot
  /** The document version uploaded for this round; omitted = the previous round's version. */
  readonly documentId?: number | null
  /** Heads of the author's department (the caller asks the portal). */
  readonly departmentHeadIds: readonly number[]
  readonly comment?: string
}

/**
 * Who is away (deputies.ts): a turn this command opens for one of them goes to their deputy.
 * `offsetMinutes`: the zone the absences' days are counted in (the portal's), east of UTC.
 */
interface Absences {
  readonly absences?: readonly Absence[]
  readonly offsetMinutes?: number
}

/** The round and step the user was looking at; defaults to the current ones. */
interface Target {
  readonly round?: number
  readonly step?: number
}

/** What an approval is bound to: the contract as stored now, and the version the approver saw. */
interface Binding {
  /** The contract's version as read right before writing; absent = not checked. */
  readonly current?: Version
  /** versionHash of what the approver was shown; absent = the round's version. */
  readonly seen?: string
}

export type Command =
  | ({ readonly type: 'submit' } & SubmitInput & Absences)
  | ({ readonly type: 'resubmit' } & SubmitInput & Absences)
  | ({ readonly type: 'approve'; readonly comment?: string } & Target & Binding & Absences)
  | { readonly type: 'revise'; readonly version: Version; readonly comment?: string }
  /** The current step is overdue: tell `notify` (escalation.ts picks them). */
  | { readonly type: 'escalate'; readonly notify: readonly number[] }
  | ({ readonly type: 'return'; readonly comment: string } & Target)
  | ({ readonly type: 'delegate'; readonly to: Actor; readonly comment?: string } & Target)
  | { readonly type: 'withdraw'; readonly comment?: string }
  | { readonly type: 'receiveOriginal'; readonly receivedAt: string; readonly storageLocation: string; readonly comment?: string }
  | { readonly type: 'archive'; readonly comment?: string }

export interface Accepted {
  readonly ok: true
  readonly log: ApprovalLog
  readonly event: ApprovalEvent
  readonly projection: Projection
  /** The event id was already in the log (a retry or double click): nothing was appended. */
  readonly duplicate: boolean
}

export interface Refused {
  readonly ok: false
  readonly reason: RefusalCode
  /** routeInvalid: what is wrong with the chosen route. */
  readonly issues?: readonly RouteIssue[]
  /** approverUnresolved: the step that resolved to nobody. */
  readonly emptyStep?: number
  /** brokenChain: where verification failed. */
  readonly check?: LogCheck
  /** requiredMissing: what the submission lacks. */
  readonly missing?: readonly string[]
  /** logOverBudget */
  readonly bytes?: number
  readonly limit?: number
}

export type Outcome = Accepted | Refused

const refuse = (reason: RefusalCode, extra: Omit<Refused, 'ok' | 'reason'> = {}): Refused => ({ ok: false, reason, ...extra })

function frozenFor(input: SubmitInput, authorId: number | null): { ok: true; route: FrozenRoute } | Refused {
  const route = selectRoute(input.routeSet, input.snapshot)
  if (!route) return refuse('noRouteMatches')
  const issues = validateRoute(route)
  if (issues.length > 0) return refuse('routeInvalid', { issues })
  const frozen = freezeRoute(route, input.routeSet.version, input.departmentHeadIds, authorId)
  if (!frozen.ok) return refuse('approverUnresolved', { emptyStep: frozen.emptyStep })
  return frozen
}

type DraftOf<E> = E extends EventContent ? Omit<E, 'id' | 'n' | 'at' | 'actor'> : never
/** An event before the context (id, position, clock, actor) is added: one shape per type. */
type Draft = DraftOf<EventContent>

/** The comment, trimmed, only when there is one: an absent key hashes like no comment. */
function commentOf(comment: string | undefined): { comment?: string } {
  const t = comment?.trim()
  return t ? { comment: t } : {}
}

function draftOf(p: Projection, cmd: Command, actor: Actor): Draft | Refused {
  switch (cmd.type) {
    case 'submit':
    case 'resubmit': {
      // Stage and author first: a route problem is not the reason a closed contract can't be sent.
      const stageOk = cmd.type === 'submit' ? p.stageCode === 'NEW' : p.stageCode === 'RETURNED'
      if (!stageOk) return refuse('wrongStage')
      if (cmd.type === 'resubmit' && actor.id !== p.author?.id) return refuse('notAuthor')
      const frozen = frozenFor(cmd, p.author?.id ?? actor.id)
      if (!frozen.ok) return frozen
      const documentId = cmd.documentId === undefined ? (p.submissions.at(-1)?.documentId ?? null) : cmd.documentId
      const route = selectRoute(cmd.routeSet, cmd.snapshot)
      const missing = missingRequired(route, { snapshot: cmd.snapshot, documentId })
      if (missing.length > 0) return refuse('requiredMissing', { missing })
      return {
        type: cmd.type === 'submit' ? 'submitted' : 'resubmitted',
        round: p.round + 1,
        step: null,
        ...commentOf(cmd.comment),
        snapshot: cmd.snapshot,
        // Without a new upload the round keeps reviewing the previous version.
        documentId,
        route: frozen.route,
      }
    }
    case 'approve':
    case 'return':
    case 'delegate': {
      const step = cmd.step ?? p.currentStep
      // No current step: the contract is not (or no longer) in approval.
      if (step === null) return refuse(p.stageCode === 'APPROVAL' ? 'staleDecision' : 'wrongStage')
      const decision = { round: cmd.round ?? p.round, step, ...commentOf(cmd.comment) }
      if (cmd.type === 'delegate') return { type: 'delegated', ...decision, delegateTo: cmd.to }
      if (cmd.type === 'return') return { type: 'returned', ...decision }
      // Nobody approves a version they did not see: the one shown must be the one stored, and the round's.
      if (p.stageCode === 'APPROVAL' && p.versionHash !== null) {
        if (cmd.seen !== undefined && cmd.seen !== p.versionHash) return refuse('contractChanged')
        if (cmd.current && versionHash(p.route, cmd.current) !== p.versionHash) return refuse('contractChanged')
      }
      return { type: 'approved', ...decision, ...(p.versionHash !== null ? { seen: p.versionHash } : {}) }
    }
    case 'escalate':
      if (p.currentStep === null) return refuse(p.stageCode === 'APPROVAL' ? 'staleDecision' : 'wrongStage')
      return { type: 'escalated', round: p.round, step: p.currentStep, notify: [...new Set(cmd.notify)] }
    case 'revise':
      return { type: 'revised', round: p.round, step: null, ...commentOf(cmd.comment), snapshot: cmd.version.snapshot, documentId: cmd.version.documentId }
    case 'withdraw':
      return { type: 'withdrawn', round: p.round, step: null, ...commentOf(cmd.comment) }
    case 'receiveOriginal':
      return {
        type: 'originalReceived',
        round: p.round,
        step: null,
        ...commentOf(cmd.comment),
        originals: { receivedAt: cmd.receivedAt.trim(), storageLocation: cmd.storageLocation.trim() },
      }
    case 'archive':
      return { type: 'archived', round: p.round, step: null, ...commentOf(cmd.comment) }
  }
}

/**
 * Logs this module made and checked as verifyLog would (chain by construction, order and route
 * checked below), with their replayed projection (no trust given). A log is never changed in
 * place (readonly all the way down), so deciding on one of them again skips the chain check and
 * one replay of the two: building a long history costs a third of what it did.
 */
const madeHere = new WeakMap<ApprovalLog, Projection>()

/** Decides a command against a log: the new log (to write with its projection) or a refusal. */
export function decide(log: ApprovalLog, cmd: Command, ctx: CommandContext): Outcome {
  const plain = ctx.trust === undefined
  const known = plain ? madeHere.get(log) : undefined
  if (!known) {
    const check = verifyLog(log)
    if (!check.ok) return refuse('brokenChain', { check })
  }

  const trust = trustFor(ctx)
  const existing = log.events.find((e) => e.id === ctx.eventId)
  if (existing) {
    const sameAction = existing.actor.id === ctx.actor.id && existing.type === draftTypeOf(cmd)
    if (!sameAction) return refuse('duplicateEventId')
    return { ok: true, log, event: existing, projection: project(log, trust), duplicate: true }
  }

  const p = known ?? project(log, trust)
  const unconfirmed = trust.confirmed ? log.events.some((e) => !trust.confirmed?.has(e.id)) : false
  if (unconfirmed && (cmd.type === 'receiveOriginal' || cmd.type === 'archive')) return refuse('unconfirmedHistory')
  const draft = draftOf(p, cmd, ctx.actor)
  if ('ok' in draft) return draft
  const content: EventContent = withDeputies(p, cmd, { ...draft, id: ctx.eventId, n: log.events.length, at: ctx.at, actor: ctx.actor })
  const refusal = checkEvent(p, content)
  if (refusal) return refuse(refusal)

  const event = chainEvent(headHash(log.events), content)
  const projection = applyEvent(p, content)
  const next: ApprovalLog = { ...log, v: LOG_VERSION, route: projection.route, events: [...log.events, event] }
  const budget = checkBudget(next, ctx.budgetBytes)
  if (!budget.ok) return refuse('logOverBudget', { bytes: budget.bytes, limit: budget.limit })
  if (plain) {
    const replayed = project(next)
    const before = log.events[log.events.length - 1]
    const ordered = !before || compareEvents(before, event) < 0
    if (ordered && canonicalJson(next.route) === canonicalJson(replayed.route)) madeHere.set(next, replayed)
  }
  return { ok: true, log: next, event, projection, duplicate: false }
}

/** The event with the deputies who take the turn it opens, when someone on that turn is away. */
function withDeputies(p: Projection, cmd: Command, content: EventContent): EventContent {
  if (!('absences' in cmd) || !cmd.absences?.length) return content
  if (content.type !== 'submitted' && content.type !== 'resubmitted' && content.type !== 'approved') return content
  if (checkEvent(p, content) !== null) return content
  const after = applyEvent(p, content)
  const i = after.currentStep
  if (i === null || (after.round === p.round && p.currentStep === i)) return content
  const step = after.steps[i]
  if (!step || step.approvals.length > 0) return content
  const seats = deputySeats(i, step.approverIds, cmd.absences, dayOf(content.at, cmd.offsetMinutes ?? 0), after.author?.id ?? null)
  return seats.length > 0 ? { ...content, deputies: seats } : content
}

function trustFor(ctx: CommandContext): Trust {
  const t = ctx.trust ?? {}
  return t.confirmed ? { ...t, confirmed: new Set([...t.confirmed, ctx.eventId]) } : t
}

function draftTypeOf(cmd: Command): EventContent['type'] {
  const map = {
    submit: 'submitted', resubmit: 'resubmitted', approve: 'approved', return: 'returned', delegate: 'delegated', revise: 'revised', escalate: 'escalated',
    withdraw: 'withdrawn', receiveOriginal: 'originalReceived', archive: 'archived',
  } as const
  return map[cmd.type]
}
