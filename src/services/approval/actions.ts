/**
 * The approval use cases over the port: decide a command, write it until it sticks, carry out
 * its side effects, record them as done. Stores call these; tests call them with Node ports.
 */
import { AppError, toAppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import { archiveEventId, receiptIO, withArchive } from '../archive/io.ts'
import { attestEvents, readEntries } from './attest.ts'
import { EMPTY_STORED } from './stored-log.ts'
import { confirmedIds, type TimelineEntry } from '../../domain/attestation.ts'
import { loadRouteSet } from './card.ts'
import { distrust, project } from '../../domain/projection.ts'
import { publishedHashes } from '../../domain/route.ts'
import { latestDocumentId, snapshotOf, versionOf, type ContractRecord } from './record.ts'
import { carryOutEffects, pendingEffects, type EffectsReport } from './side-effects.ts'
import { commitCommand, contractIO, recordDone, type CommitHooks, type CommitResult, type ContractIO, type WriteTuning } from './writer.ts'
import { isTransient, patientPort } from './patient.ts'
import type { Command } from '../../domain/machine.ts'
import type { Actor } from '../../domain/log.ts'
import type { RouteSet } from '../../domain/route.ts'
import { announceChange } from '../live/notices.ts'
import { afterArchiveStep } from '../archive/queue.ts'
import { readAbsences } from '../deputies/absences.ts'
import type { Absence } from '../../domain/deputies.ts'

export type Intent =
  | { readonly type: 'submit' | 'resubmit'; readonly routeSet: RouteSet; readonly departmentHeadIds: readonly number[]; readonly comment?: string }
  /** `seen`: versionHash of the version the approver was shown (reapproval.ts); absent = the round's. */
  | { readonly type: 'approve'; readonly round: number; readonly step?: number; readonly comment?: string; readonly seen?: string }
  /** Record the contract as it stands now (changed mid-round); the route's rule re-asks. */
  | { readonly type: 'revise'; readonly comment?: string }
  /** The current step is overdue: record it once and tell `notify` (escalation, issue 10). */
  | { readonly type: 'escalate'; readonly notify: readonly number[] }
  | { readonly type: 'return'; readonly round: number; readonly step: number; readonly comment: string }
  | { readonly type: 'delegate'; readonly to: Actor; readonly round: number; readonly step: number; readonly comment?: string }
  | { readonly type: 'withdraw'; readonly comment?: string }
  | ReceiveIntent
  | { readonly type: 'archive'; readonly comment?: string }

/**
 * The paper originals are in: when, where they are kept. `archive` files the contract in the
 * same write (what the app's receive action does); false leaves it waiting for an explicit
 * `archive`, as a portal with a separate filing step would.
 */
export interface ReceiveIntent {
  readonly type: 'receiveOriginal'
  /** YYYY-MM-DD */
  readonly receivedAt: string
  readonly storageLocation: string
  readonly comment?: string
  readonly archive?: boolean
}

export interface ActRequest {
  readonly itemId: number
  readonly actor: Actor
  /** One per user action (crypto.randomUUID); a retry of the same action reuses it. */
  readonly eventId: string
  /** When the user acted (ISO). */
  readonly at: string
  readonly intent: Intent
}

export type ActResult = CommitResult & { readonly effects?: EffectsReport }

export interface ActOptions {
  readonly tuning?: WriteTuning
  /**
   * Send the one Push & Pull notice after the commit (services/live/notices.ts). Default: when
   * the port can receive Pull at all; false when the portal refused Pull (no `pull` scope).
   */
  readonly announce?: boolean
}

/** Who is away right now, and the zone their days count in: a turn opened for them goes to their deputy. */
export interface AwayContext {
  readonly absences: readonly Absence[]
  readonly offsetMinutes: number
}

export function commandOf(intent: Intent, current: ContractRecord, space: ContractSpace, away?: AwayContext): Command {
  const deputies = away && away.absences.length > 0 ? { absences: away.absences, offsetMinutes: away.offsetMinutes } : {}
  switch (intent.type) {
    case 'submit':
    case 'resubmit':
      return {
        ...deputies,
        type: intent.type,
        routeSet: intent.routeSet,
        snapshot: snapshotOf(current),
        documentId: latestDocumentId(current, space),
        departmentHeadIds: intent.departmentHeadIds,
        comment: intent.comment,
      }
    case 'approve':
      // Bound to the contract as stored right now: a change since the round began refuses it.
      return { ...deputies, type: 'approve', round: intent.round, step: intent.step, comment: intent.comment, seen: intent.seen, current: versionOf(current, space) }
    case 'revise':
      return { type: 'revise', version: versionOf(current, space), comment: intent.comment }
    case 'escalate':
      return { type: 'escalate', notify: intent.notify }
    case 'return':
      return { type: 'return', round: intent.round, step: intent.step, comment: intent.comment }
    case 'delegate':
      return { type: 'delegate', to: intent.to, round: intent.round, step: intent.step, comment: intent.comment }
    case 'withdraw':
      return { type: 'withdraw', comment: intent.comment }
    case 'receiveOriginal':
      return { type: 'receiveOriginal', receivedAt: intent.receivedAt, storageLocation: intent.storageLocation, comment: intent.comment }
    case 'archive':
      return { type: 'archive', comment: intent.comment }
  }
}

// A second click while the first is still writing joins it instead of racing it.
const inFlight = new WeakMap<BitrixPort, Map<string, Promise<ActResult>>>()

export function act(port: BitrixPort, space: ContractSpace, req: ActRequest, opts: ActOptions = {}): Promise<ActResult> {
  let mine = inFlight.get(port)
  if (!mine) inFlight.set(port, (mine = new Map()))
  const running = mine.get(req.eventId)
  if (running) return running
  const started = actOnce(port, space, req, opts).finally(() => mine.delete(req.eventId))
  mine.set(req.eventId, started)
  return started
}

async function actOnce(direct: BitrixPort, space: ContractSpace, req: ActRequest, opts: ActOptions): Promise<ActResult> {
  // Calls the portal failed for a passing reason are sent again when that is harmless (patient.ts).
  const port = patientPort(direct)
  const intent = req.intent
  const filing = intent.type === 'receiveOriginal' && intent.archive !== false
  const archiveId = archiveEventId(req.eventId)
  // Every write of the originals carries their item fields (lists and filters read those).
  // Events found unconfirmed on read (attest.ts): no effect, and the fields written ignore them.
  let distrusted: ReadonlySet<string> = new Set()
  let entries: TimelineEntry[] = []
  const archiveCtx = { eventId: archiveId, at: req.at, actor: req.actor }
  const io = intent.type === 'receiveOriginal' || intent.type === 'archive'
    ? receiptIO(port, space, req.itemId, { ...(filing ? { archive: archiveCtx } : {}), distrusted: () => distrusted })
    : contractIO(port, space, req.itemId, () => distrusted)
  const hooks: CommitHooks = {
    async trust(current) {
      const events = current.stored.log.events
      const [read, routeSet] = await Promise.all([readEntries(port, space, req.itemId, events), loadRouteSet(port)])
      entries = read
      const confirmed = confirmedIds(events, entries)
      const published = publishedHashes(routeSet)
      // A round on a route the administrators never published counts for nothing either.
      distrusted = new Set(events.filter((e) => !confirmed.has(e.id) || distrust(e, { published }) !== null).map((e) => e.id))
      return { confirmed, published }
    },
    async attest(log, event) {
      // A receipt that files the contract writes the `archived` event in the same update: vouch for both.
      const full = filing ? withArchive({ ...EMPTY_STORED, log }, archiveCtx).log : log
      const filed = full.events.find((e) => e.id === archiveId && filing)
      await attestEvents(port, space, req.itemId, full, filed ? [event, filed] : [event], entries, req.actor.id)
    },
  }
  // A decision that can open someone's turn reads who is away (best effort: none if unreadable).
  const opensTurn = intent.type === 'submit' || intent.type === 'resubmit' || intent.type === 'approve'
  const away: AwayContext | undefined = opensTurn
    ? { absences: await readAbsences(port).catch(() => []), offsetMinutes: -new Date(req.at).getTimezoneOffset() }
    : undefined
  const res = await commitPatiently(io, () => commitCommand(io, (current) => commandOf(intent, current, space, away), { eventId: req.eventId, at: req.at, actor: req.actor }, opts.tuning, hooks), req.eventId)
  if (!res.ok) return res
  // Open tabs, inboxes and archives follow at once; best effort, never the action's failure.
  if (opts.announce ?? port.live !== undefined) {
    void announceChange(port, req.itemId, res.record.stored.log.events.length).catch(() => undefined)
  }
  const own = new Set(filing ? [res.event.id, archiveId] : [res.event.id])
  // The decision is stored: a failure from here on must not report it as failed. The deciding
  // client tries its effects again a few times (the next approver must hear of it now); what
  // still did not go out is found missing by a later load of the tab and redone then.
  let record = res.record
  const done: string[] = []
  let failed: EffectsReport['failed'] = []
  for (let attempt = 0; attempt < EFFECT_TRIES; attempt++) {
    if (attempt > 0) await wait(EFFECT_PAUSE_MS * 2 ** (attempt - 1))
    try {
      const effects = await carryOutEffects(port, space, record, { ownEventIds: own, recoverAfterMs: null })
      if (effects.done.length) record = await recordDone(io, record, effects.done, opts.tuning)
      done.push(...effects.done)
      failed = effects.failed
    } catch (e) {
      failed = [{ key: `${res.event.id}:*`, error: toAppError(e) }]
    }
    if (failed.length === 0) break
  }
  // The archivists' queue: called when the paper is due, their to-dos closed when it is in.
  await afterArchiveStep(port, space, { id: record.id, title: record.title, number: record.number, authorName: res.projection.author?.name ?? null, stageCode: res.projection.stageCode }, intent.type, req.actor.id)
    .catch(() => undefined)
  return { ...res, record, effects: { done, failed } }
}

/** Tries of the effects after a decision, and the first pause between them (doubling). */
const EFFECT_TRIES = 5
const EFFECT_PAUSE_MS = 500
/** Tries of the whole write when the portal keeps failing for a passing reason. */
const COMMIT_TRIES = 4

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * The write, tried again (same event id: it is recorded at most once) while the portal fails for
 * a passing reason. When it still fails, the contract is read once more: a decision the portal
 * holds is reported as saved, whatever answer went missing on the way.
 */
async function commitPatiently(io: ContractIO, commit: () => Promise<CommitResult>, eventId: string): Promise<CommitResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await commit()
    } catch (e) {
      const again = attempt + 1 < COMMIT_TRIES && (isTransient(e) || (e instanceof AppError && e.code === 'WRITE_NOT_CONVERGED'))
      if (!again) {
        const saved = await io.read().catch(() => null)
        const event = saved?.stored.log.events.find((x) => x.id === eventId)
        if (!saved || !event) throw e
        const projection = project(saved.stored.log)
        return { ok: true, event, record: saved, projection, duplicate: true, ignored: projection.ignored.find((i) => i.eventId === eventId)?.reason ?? null }
      }
      await wait(EFFECT_PAUSE_MS * 2 ** attempt)
    }
  }
}

/** Effects found missing when the tab loads: redone once their writer has clearly finished. */
export const RECOVER_AFTER_MS = 120_000

export async function recoverEffects(
  port: BitrixPort,
  space: ContractSpace,
  record: ContractRecord,
  opts: ActOptions & { recoverAfterMs?: number; now?: () => number } = {},
): Promise<{ record: ContractRecord; effects: EffectsReport } | null> {
  if (pendingEffects(record).length === 0) return null
  const effects = await carryOutEffects(port, space, record, {
    ownEventIds: new Set(), recoverAfterMs: opts.recoverAfterMs ?? RECOVER_AFTER_MS, now: opts.now,
  })
  if (effects.done.length === 0) return { record, effects }
  const io = contractIO(port, space, record.id)
  return { record: await recordDone(io, record, effects.done, opts.tuning), effects }
}

/** Levels of the org chart walked up at the most looking for a head (a cycle ends sooner). */
const MAX_DEPARTMENT_DEPTH = 20

/**
 * Heads of the author's departments: the approver of a "department head" step. A head who is
 * the author passes the step up to the parent department's head. Departments are read by the ids
 * needed — the author's, then their parents, one batch per level — never by paging the whole
 * org chart (`department.get` ignores filters and `start=-1` there means "the first 50").
 */
export async function departmentHeadsOf(port: BitrixPort, userId: number, departmentIds: readonly number[]): Promise<number[]> {
  const known = new Map<number, { head: number; parent: number }>()
  const resolve = async (ids: readonly number[]) => {
    const missing = [...new Set(ids)].filter((id) => id > 0 && !known.has(id))
    for (let i = 0; i < missing.length; i += 50) {
      const chunk = missing.slice(i, i + 50)
      const outcome = await port.batch(Object.fromEntries(chunk.map((id) => [`d${id}`, { method: 'department.get', params: { ID: id } }])))
      for (const id of chunk) {
        const row = (outcome.results[`d${id}`] as Record<string, unknown>[] | undefined)?.find((r) => Number(r.ID) === id)
        known.set(id, { head: Number(row?.UF_HEAD ?? 0), parent: Number(row?.PARENT ?? 0) })
      }
    }
  }
  // Walk every start department up one level per round trip until each has a head or a root.
  const cursors = departmentIds.map((id) => ({ id, seen: new Set<number>() }))
  for (let depth = 0; depth < MAX_DEPARTMENT_DEPTH; depth++) {
    await resolve(cursors.map((c) => c.id))
    let moved = false
    for (const c of cursors) {
      const dept = known.get(c.id)
      if (dept && (!dept.head || dept.head === userId) && dept.parent && !c.seen.has(dept.parent)) {
        c.seen.add(c.id)
        c.id = dept.parent
        moved = true
      }
    }
    if (!moved) break
  }
  const heads: number[] = []
  for (const c of cursors) {
    const head = known.get(c.id)?.head ?? 0
    if (head && head !== userId && !heads.includes(head)) heads.push(head)
  }
  return heads
}
