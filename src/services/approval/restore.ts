/**
 * A way back from any broken history (issue 8): an administrator rebuilds the log from the
 * confirmed timeline entries (each carries its event's content, attest.ts), or accepts the log as
 * it stands with a recorded reason. A missing, emptied or unreadable log is rebuilt the same way.
 * Both replace the field in one direct crm.item.update with the projection that goes with it.
 */
import { AppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import type { ContractRecord } from './record.ts'
import { EMPTY_STORED, withDone, type StoredLog } from './stored-log.ts'
import { contractIO } from './writer.ts'
import { contentsFromEntries, readEntries } from './attest.ts'
import { confirmedIds } from '../../domain/attestation.ts'
import { effectsOfEvent } from '../../domain/effects.ts'
import { acceptWithReason, rebuildHistory } from '../../domain/history.ts'
import type { Actor, ApprovalLog } from '../../domain/log.ts'

export interface RestoreRequest {
  readonly itemId: number
  readonly mode: 'rebuild' | 'accept'
  readonly at: string
  readonly actor: Actor
  readonly reason: string
}

/** Every effect of the log's events, marked done: a restore never re-sends what went out. */
function allDone(log: ApprovalLog, base: StoredLog): StoredLog {
  return withDone({ ...base, log }, log.events.flatMap((e) => effectsOfEvent(log, e.id).map((x) => x.key)))
}

export async function restoreHistory(port: BitrixPort, space: ContractSpace, req: RestoreRequest): Promise<ContractRecord> {
  if (!port.isAdmin) throw new AppError('access', 'ADMIN_ONLY', 'Only an administrator restores the approval history')
  const reason = req.reason.trim()
  if (req.mode === 'accept' && !reason) throw new AppError('validation', 'REASON_REQUIRED', 'A reason is required')
  const current = await contractIO(port, space, req.itemId).read()
  const previous = current.logError ? { ...EMPTY_STORED.log } : current.stored.log
  const entries = await readEntries(port, space, req.itemId, previous.events)
  const by = { at: req.at, actor: req.actor, ...(reason ? { reason } : {}) }
  let stored: StoredLog
  let distrusted: Set<string>
  if (req.mode === 'rebuild') {
    // Whatever is in the field, the confirmed entries are the history: contents they carry, and
    // the log's own events they confirm (entries written before contents were carried).
    const confirmed = confirmedIds(previous.events, entries)
    const contents = [...contentsFromEntries(entries), ...previous.events.filter((e) => confirmed.has(e.id))]
    const log = rebuildHistory(contents, previous, by)
    stored = allDone(log, current.logError ? EMPTY_STORED : { ...current.stored, archive: null })
    distrusted = new Set()
  } else {
    if (current.logError) throw new AppError('validation', 'LOG_UNREADABLE', 'An unreadable history can only be rebuilt')
    const log = acceptWithReason(previous, by)
    stored = { ...current.stored, log }
    const confirmed = confirmedIds(log.events, entries)
    distrusted = new Set(log.events.filter((e) => !confirmed.has(e.id)).map((e) => e.id))
  }
  return contractIO(port, space, req.itemId, () => distrusted).write(stored)
}
