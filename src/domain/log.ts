/**
 * The approval log: the single source of truth kept in the contract's hidden string field.
 * Events are append-only and hash-chained (each carries the previous event's hash), so history
 * edited outside the app is detected by verifyChain instead of silently trusted.
 *
 * Order: every event carries `n`, the length of the log its writer appended to. Logs are kept
 * sorted by (n, id): that respects causality (an event's n exceeds the n of everything its writer
 * saw) and is a pure function of the set of events, which is what makes merging deterministic.
 */

import { APPROVAL_LOG_MAX_BYTES } from './schema'
import type { FrozenRoute } from './route'
import { sha256Hex, utf8Bytes } from './sha256'
import { decodeStoredJson } from './json'
import type { ContractSnapshot } from './snapshot'
import type { DeputySeat } from './deputies'

export const LOG_VERSION = 1

/** prevHash of the first event. */
export const GENESIS_HASH = '0'.repeat(64)

/** A person as they were named when they acted (names change; the log keeps history). */
export interface Actor {
  readonly id: number
  readonly name: string
}

export interface OriginalsReceipt {
  /** `YYYY-MM-DD` */
  readonly receivedAt: string
  readonly storageLocation: string
}

/** What every event says. */
interface EventBase {
  /** Unique, supplied by the caller (e.g. crypto.randomUUID()); a retry reuses it. */
  readonly id: string
  /** Length of the log the writer appended to (see the module comment). */
  readonly n: number
  /** ISO 8601, from the caller's clock. */
  readonly at: string
  readonly actor: Actor
  readonly round: number
  readonly comment?: string
}

/** A round starts: the contract's fields and document version, and the route it runs on, frozen. */
export interface RoundStartedContent extends EventBase {
  readonly type: 'submitted' | 'resubmitted'
  readonly step: null
  readonly snapshot: ContractSnapshot
  /** The document version this round reviews; absent in logs written before versions were kept. */
  readonly documentId?: number | null
  readonly route: FrozenRoute
  /** Deputies who take the turns this event opens (deputies.ts); absent: none. */
  readonly deputies?: readonly DeputySeat[]
}

/** An approver's decision on a step of the round's frozen route. */
export interface DecidedContent extends EventBase {
  readonly type: 'approved' | 'returned'
  /** Step index in the round's frozen route. */
  readonly step: number
  /**
   * Hash of the version the approver saw (reapproval.ts `versionHash`: the fields the route
   * watches and the document). An approval binds to it: one whose version is no longer the
   * round's takes no effect. Absent in logs written before approvals were bound.
   */
  readonly seen?: string
  /** Deputies who take the turn this approval opens on the next step (deputies.ts). */
  readonly deputies?: readonly DeputySeat[]
}

/**
 * The contract changed mid-round (fields edited in the card, a new document version): the new
 * version, recorded by whoever saw the change first. The route's re-approval rule decides whose
 * approvals of the old version stand.
 */
export interface RevisedContent extends EventBase {
  readonly type: 'revised'
  readonly step: null
  readonly snapshot: ContractSnapshot
  readonly documentId: number | null
}

/** An approver hands their seat on a step to a colleague. */
export interface DelegatedContent extends EventBase {
  readonly type: 'delegated'
  readonly step: number
  /** Who takes the actor's seat on the step. */
  readonly delegateTo: Actor
}

/** The paper originals arrived and are kept somewhere. */
export interface OriginalReceivedContent extends EventBase {
  readonly type: 'originalReceived'
  readonly step: null
  readonly originals: OriginalsReceipt
}

/** Events about the whole contract that carry nothing but a comment. */
export interface ContractEventContent extends EventBase {
  readonly type: 'withdrawn' | 'archived'
  readonly step: null
}

/**
 * What an event says, before it is placed in the chain: one shape per `type`. The types say what
 * the app writes; a log read from storage may hold anything, and checkEvent (projection.ts)
 * refuses an event whose fields do not fit before it takes effect.
 */
/**
 * A step went past its deadline: recorded by the first app client that saw it (there is no
 * server), once per step and round, and its escalation people notified.
 */
export interface EscalatedContent extends EventBase {
  readonly type: 'escalated'
  readonly step: number
  /** Who is told: the route's escalation people, or the approvers' heads. */
  readonly notify: readonly number[]
}

export type EventContent = RoundStartedContent | DecidedContent | DelegatedContent | RevisedContent | EscalatedContent | OriginalReceivedContent | ContractEventContent

export type EventType = EventContent['type']

/** An event's links in the hash chain. */
export interface ChainLinks {
  readonly prevHash: string
  readonly hash: string
}

export type ApprovalEvent = EventContent & ChainLinks

/** An admin's explicit acceptance of history that failed verification (see history.ts). */
export interface HistoryAcceptance {
  readonly at: string
  readonly by: Actor
  /** What verification found: a ChainProblem or 'routeMismatch'. */
  readonly problem: string
  readonly index: number
  /** Head hash of the log as it was found, before re-chaining. */
  readonly previousHead: string
  /** Why the administrator accepted or rebuilt it (required from the card). */
  readonly reason?: string
  /** `rebuilt`: the history was rebuilt from the confirmed timeline entries (attestation.ts). */
  readonly action?: 'accepted' | 'rebuilt'
}

export interface ApprovalLog {
  readonly v: typeof LOG_VERSION
  /** The frozen route of the current round (a copy of the effective submission's route). */
  readonly route: FrozenRoute | null
  readonly events: readonly ApprovalEvent[]
  /** Present only once someone accepted tampered history; outside the chain, kept by merges. */
  readonly accepted?: readonly HistoryAcceptance[]
}

export const EMPTY_LOG: ApprovalLog = { v: LOG_VERSION, route: null, events: [] }

// ---------------------------------------------------------------------------------------------
// Canonical form and hashing

/** JSON with object keys sorted and undefined dropped, so equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v === undefined ? null : v)).join(',') + ']'
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}'
}

/** The event without its chain links. */
export function contentOf(event: EventContent | ApprovalEvent): EventContent {
  const { prevHash: _p, hash: _h, ...content } = event as EventContent & Partial<ChainLinks>
  return content
}

export function hashEvent(prevHash: string, content: EventContent): string {
  return sha256Hex(prevHash + '\n' + canonicalJson(contentOf(content)))
}

export function headHash(events: readonly ApprovalEvent[]): string {
  return events.length === 0 ? GENESIS_HASH : (events[events.length - 1] as ApprovalEvent).hash
}

/** Links content onto the end of a chain. */
export function chainEvent(prevHash: string, content: EventContent): ApprovalEvent {
  const c = contentOf(content)
  return { ...c, prevHash, hash: hashEvent(prevHash, c) }
}

/** Recomputes every link, for events already in their final order (after a merge). */
export function rechain(contents: readonly EventContent[]): ApprovalEvent[] {
  const out: ApprovalEvent[] = []
  let prev = GENESIS_HASH
  for (const c of contents) {
    const e = chainEvent(prev, c)
    out.push(e)
    prev = e.hash
  }
  return out
}

/** Total order of events: by n, then id. */
export function compareEvents(a: EventContent, b: EventContent): number {
  if (a.n !== b.n) return a.n - b.n
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

// ---------------------------------------------------------------------------------------------
// Verification

export type ChainProblem =
  /** An event's content no longer matches its hash (edited). */
  | 'hashMismatch'
  /** An event does not link to the one before it (removed, inserted or reordered). */
  | 'prevHashMismatch'
  /** Events are not in (n, id) order, or n is larger than the position allows. */
  | 'orderViolation'
  | 'duplicateId'

export type ChainCheck = { ok: true } | { ok: false; problem: ChainProblem; index: number; eventId: string }

/**
 * Checks the chain link by link and reports the first broken event. Known limit: dropping the
 * newest events leaves a valid shorter chain; the projection fields written beside the log
 * (stage, round) are what would disagree then.
 */
export function verifyChain(log: Pick<ApprovalLog, 'events'>): ChainCheck {
  let prev = GENESIS_HASH
  const ids = new Set<string>()
  for (const [index, e] of log.events.entries()) {
    const fail = (problem: ChainProblem): ChainCheck => ({ ok: false, problem, index, eventId: e.id })
    if (ids.has(e.id)) return fail('duplicateId')
    ids.add(e.id)
    if (e.prevHash !== prev) return fail('prevHashMismatch')
    if (hashEvent(e.prevHash, e) !== e.hash) return fail('hashMismatch')
    const before = log.events[index - 1]
    if (!Number.isInteger(e.n) || e.n < 0 || e.n > index || (before && compareEvents(before, e) >= 0)) {
      return fail('orderViolation')
    }
    prev = e.hash
  }
  return { ok: true }
}

// ---------------------------------------------------------------------------------------------
// Storage and size budget

export function serializeLog(log: ApprovalLog): string {
  return JSON.stringify(log)
}

export function logBytes(log: ApprovalLog): number {
  return utf8Bytes(serializeLog(log)).length
}

export type BudgetCheck = { ok: true; bytes: number } | { ok: false; bytes: number; limit: number }

/** The log must fit the string field; history is never truncated to make it fit. */
export function checkBudget(log: ApprovalLog, limit: number = APPROVAL_LOG_MAX_BYTES): BudgetCheck {
  const bytes = logBytes(log)
  return bytes <= limit ? { ok: true, bytes } : { ok: false, bytes, limit }
}

export type LogParseError = 'invalidJson' | 'unsupportedVersion' | 'invalidShape'

function isEvent(x: unknown): x is ApprovalEvent {
  const e = x as ApprovalEvent
  return typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.n === 'number' &&
    typeof e.type === 'string' && typeof e.at === 'string' && typeof e.actor?.id === 'number' &&
    typeof e.actor?.name === 'string' && typeof e.round === 'number' && (e.step === null || typeof e.step === 'number') &&
    typeof e.prevHash === 'string' && typeof e.hash === 'string'
}

/** Reads the field's value; an empty field is an empty log (a contract never submitted). */
export function parseLog(raw: unknown): { ok: true; log: ApprovalLog } | { ok: false; error: LogParseError } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, log: EMPTY_LOG }
  const decoded = decodeStoredJson(raw)
  if (!decoded.ok) return { ok: false, error: 'invalidJson' }
  const log = decoded.value as ApprovalLog
  if (typeof log !== 'object' || log === null) return { ok: false, error: 'invalidShape' }
  if (log.v !== LOG_VERSION) return { ok: false, error: 'unsupportedVersion' }
  // A log written before any submission may carry no `route` key at all: it simply has none yet.
  if (!Array.isArray(log.events) || !log.events.every(isEvent) || (log.route != null && typeof log.route !== 'object')) {
    return { ok: false, error: 'invalidShape' }
  }
  const accepted = Array.isArray(log.accepted) ? log.accepted.filter(isAcceptance) : []
  const out: ApprovalLog = { v: LOG_VERSION, route: log.route ?? null, events: log.events }
  return { ok: true, log: accepted.length > 0 ? { ...out, accepted } : out }
}

function isAcceptance(x: unknown): x is HistoryAcceptance {
  const a = x as HistoryAcceptance
  return typeof a === 'object' && a !== null && typeof a.at === 'string' && typeof a.by?.id === 'number' &&
    typeof a.problem === 'string' && typeof a.index === 'number' && typeof a.previousHead === 'string'
}
