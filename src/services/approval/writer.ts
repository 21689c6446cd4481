/**
 * Writes that never half-happen, on a platform without conditional updates.
 *
 * Everything the log implies (stage, current approvers, round, deadline) goes into the SAME
 * crm.item.update as the log. Concurrent writers converge: write, read back, and while our event
 * is missing merge (union by event id, domain/merge.ts) and write again. A write can still be
 * overwritten by someone who read before it and writes after our read-back, so the loop ends
 * only after the stored log has stayed the same over a settle window: whoever overwrote us is
 * back inside that window (their own loop) or we are, and nobody's decision is lost.
 */
import { AppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import { readContract, withLogArchive, type ContractRecord } from './record.ts'
import { hasDoneKey, storedWrite, withDone, type StoredLog } from './stored-log.ts'
import { fileData } from './log-archive.ts'
import { decide, type Command, type CommandContext, type Refused } from '../../domain/machine.ts'
import { containsAll, mergeLogs } from '../../domain/merge.ts'
import { project, type Projection } from '../../domain/projection.ts'
import { headHash, type ApprovalEvent, type ApprovalLog } from '../../domain/log.ts'
import type { Trust } from '../../domain/attestation.ts'
import { stageId } from '../../domain/schema.ts'
import { projectMetrics } from '../../domain/analytics/metrics.ts'
import type { RefusalCode } from '../../domain/refusal.ts'

export interface WriteTuning {
  /** Write attempts before giving up (each is one HTTP request: update + read-back batch). */
  readonly maxAttempts?: number
  /** Base of the settle window and of the jittered backoff, ms. */
  readonly settleMs?: number
  /** How many consecutive unchanged reads end the settle phase. */
  readonly stableReads?: number
  readonly random?: () => number
  readonly sleep?: (ms: number) => Promise<void>
}

const DEFAULTS = { maxAttempts: 12, settleMs: 300, stableReads: 2 }

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export type CommitResult =
  | {
    readonly ok: true
    readonly event: ApprovalEvent
    /** The contract as read after the write settled. */
    readonly record: ContractRecord
    readonly projection: Projection
    /** The event was already stored (a retry or double click): nothing new was appended. */
    readonly duplicate: boolean
    /** The event is stored but a concurrent decision made it take no effect. */
    readonly ignored: RefusalCode | null
  }
  | { readonly ok: false; readonly reason: RefusalCode; readonly refusal: Refused }

export interface ContractIO {
  read(): Promise<ContractRecord>
  /** Writes the log and its projection and returns the item as stored, in one HTTP request. */
  write(stored: StoredLog): Promise<ContractRecord>
}

/** Events the writer found unconfirmed when it read: the fields it writes do not follow them. */
export type Distrusted = () => ReadonlySet<string>

/** The trust that leaves out exactly the distrusted events (new ones, ours or others', count). */
export function trustWithout(stored: StoredLog, distrusted: ReadonlySet<string>): Trust {
  return distrusted.size ? { confirmed: new Set(stored.log.events.map((e) => e.id).filter((id) => !distrusted.has(id))) } : {}
}

/** The item fields one log implies, written together with it. */
export function projectionFields(space: ContractSpace, stored: StoredLog, distrusted: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const p = project(stored.log, trustWithout(stored, distrusted))
  const f = space.fields
  const write = storedWrite(stored)
  const stage = stageId(space.entityTypeId, space.categoryId, p.stageCode)
  return {
    [f.approvalLog]: write.text,
    // The log's measurements for analytics, from the same log (domain/analytics/metrics.ts).
    [f.metrics]: projectMetrics(stored.log, stage, p.round),
    // Earlier rounds that had to leave the field go out in the same update (log-archive.ts).
    ...(write.archive ? { [f.logArchive]: { fileData: fileData(`approval-log-rounds-1-${write.archive.ref.rounds}.json`, write.archive.text) } } : {}),
    stageId: stage,
    // An empty string clears a multiple field whether the fields travel as JSON or, inside a
    // batch, as a query string (where an empty array vanishes).
    [f.approvers]: p.currentApprovers.length ? [...p.currentApprovers] : '',
    [f.round]: p.round,
    [f.deadline]: p.deadline ?? '',
  }
}

export function contractIO(port: BitrixPort, space: ContractSpace, itemId: number, distrusted: Distrusted = () => new Set()): ContractIO {
  const entityTypeId = space.entityTypeId
  return {
    async read() {
      return withLogArchive(port, readContract(await port.getItem(entityTypeId, itemId), space))
    },
    async write(stored) {
      // A direct crm.item.update, never a batch: Bitrix24 substitutes `$result[…]` inside every
      // batch parameter, comments included; the update's answer carries the item as stored, so
      // the read-back costs no second request.
      return withLogArchive(port, readContract(await port.updateItem(entityTypeId, itemId, projectionFields(space, stored, distrusted())), space))
    },
  }
}

const refused = (reason: RefusalCode, extra: Partial<Refused> = {}): Refused => ({ ok: false, reason, ...extra })

function merged(stored: StoredLog, mine: ApprovalLog): { ok: true; stored: StoredLog } | Refused {
  const m = mergeLogs(stored.log, mine)
  if (!m.ok) return refused(m.error === 'conflictingEvent' ? 'duplicateEventId' : 'brokenChain')
  return { ok: true, stored: { ...stored, log: m.log } }
}

const sameStored = (a: ContractRecord, b: ContractRecord) =>
  a.stored.log.events.length === b.stored.log.events.length && headHash(a.stored.log.events) === headHash(b.stored.log.events) &&
  JSON.stringify(a.stored.fx) === JSON.stringify(b.stored.fx)

/**
 * Reads until the stored log has stayed the same (and still holds what we wrote) over
 * `stableReads` settle windows, rewriting whenever a concurrent write dropped our part.
 */
async function settle(
  io: ContractIO,
  start: ContractRecord,
  holds: (r: ContractRecord) => boolean,
  repair: (r: ContractRecord) => StoredLog,
  t: Required<WriteTuning>,
): Promise<ContractRecord> {
  let last = start
  let unchanged = 0
  for (let i = 0; i < t.maxAttempts * 3 && unchanged < t.stableReads; i++) {
    await t.sleep(t.settleMs * (0.75 + t.random() * 0.5))
    const now = await io.read()
    if (!holds(now)) {
      last = await io.write(repair(now))
      unchanged = 0
      continue
    }
    unchanged = sameStored(now, last) ? unchanged + 1 : 0
    last = now
  }
  return last
}

function mergedOrThrow(stored: StoredLog, mine: ApprovalLog): StoredLog {
  const m = merged(stored, mine)
  if (!m.ok) throw new AppError('validation', m.reason, `Cannot merge the approval log: ${m.reason}`)
  return m.stored
}

export interface CommitHooks {
  /**
   * What the portal vouches for, asked right after the first read of the contract (every event
   * in it had its entry written before it was written, so reading entries after it sees them).
   */
  readonly trust?: (current: ContractRecord) => Promise<Trust>
  /** Leaves the new event's timeline entries; runs once, BEFORE the first write of the event. */
  readonly attest?: (log: ApprovalLog, event: ApprovalEvent) => Promise<void>
}

/**
 * Decides `buildCommand` against the stored log and writes the result until it sticks.
 * `ctx.eventId` makes the command idempotent: a retry (or a second click) with the same id finds
 * its event and appends nothing.
 */
export async function commitCommand(
  io: ContractIO,
  buildCommand: (current: ContractRecord) => Command,
  ctx: CommandContext,
  tuning: WriteTuning = {},
  hooks: CommitHooks = {},
): Promise<CommitResult> {
  const t = { ...DEFAULTS, random: Math.random, sleep: realSleep, ...tuning }
  let current = await io.read()
  const trust = hooks.trust && !current.logError ? await hooks.trust(current) : undefined
  let mine: ApprovalLog | null = null
  let event: ApprovalEvent | null = null
  let duplicate = false
  for (let attempt = 0; ; attempt++) {
    if (current.logError) return { ok: false, reason: 'brokenChain', refusal: refused('brokenChain') }
    if (event && containsAll(current.stored.log, [event])) break
    if (attempt >= t.maxAttempts) {
      throw new AppError('unknown', 'WRITE_NOT_CONVERGED', `The approval log did not settle after ${t.maxAttempts} writes`)
    }
    let next: StoredLog
    if (!mine) {
      const outcome = decide(current.stored.log, buildCommand(current), trust ? { ...ctx, trust } : ctx)
      if (!outcome.ok) return { ok: false, reason: outcome.reason, refusal: outcome }
      mine = outcome.log
      event = outcome.event
      duplicate = outcome.duplicate
      if (duplicate) break
      // The entry first: a crash from here on leaves at worst an entry without its event.
      if (hooks.attest) await hooks.attest(outcome.log, outcome.event)
      next = { ...current.stored, log: outcome.log }
    } else {
      const m = merged(current.stored, mine)
      if (!m.ok) return { ok: false, reason: m.reason, refusal: m }
      next = m.stored
      await t.sleep(t.settleMs * t.random() * Math.min(attempt, 4) / 2)
    }
    current = await io.write(next)
  }
  const ours = mine as ApprovalLog
  const settled = await settle(io, current, (r) => containsAll(r.stored.log, ours.events), (r) => mergedOrThrow(r.stored, ours), t)
  const projection = project(settled.stored.log)
  const ev = event as ApprovalEvent
  const ignored = projection.ignored.find((i) => i.eventId === ev.id)?.reason ?? null
  return { ok: true, event: ev, record: settled, projection, duplicate, ignored }
}

/** Records effect keys as done, converging (and settling) like any other write. Returns the last read. */
export async function recordDone(io: ContractIO, start: ContractRecord, keys: readonly string[], tuning: WriteTuning = {}): Promise<ContractRecord> {
  const t = { ...DEFAULTS, random: Math.random, sleep: realSleep, ...tuning }
  const known = start.stored.log
  const holds = (r: ContractRecord) => keys.every((k) => hasDoneKey(r.stored, k)) && containsAll(r.stored.log, known.events)
  const repair = (r: ContractRecord) => mergedOrThrow(withDone(r.stored, keys), known)
  let current = start
  for (let attempt = 0; !holds(current); attempt++) {
    if (attempt >= t.maxAttempts) throw new AppError('unknown', 'WRITE_NOT_CONVERGED', 'Done marks did not settle')
    if (attempt > 0) await t.sleep(t.settleMs * t.random() * Math.min(attempt, 4) / 2)
    current = await io.write(repair(current))
  }
  return settle(io, current, holds, repair, t)
}
