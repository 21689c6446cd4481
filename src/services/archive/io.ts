/**
 * The write path of a receipt of originals. Bitrix24 lists and filters see the originals only
 * through their own item fields (received, at, where, by whom), so those travel in the SAME
 * crm.item.update as the log, like every other projection of it. A receipt recorded from the
 * app also files the contract: the `archived` event rides in that same write, so the contract
 * moves to "Archived" at once and is never seen "received but still waiting".
 */
import type { BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { readContract, withLogArchive } from '../approval/record.ts'
import type { StoredLog } from '../approval/stored-log.ts'
import { projectionFields, type ContractIO, type Distrusted } from '../approval/writer.ts'
import { decide, type CommandContext } from '../../domain/machine.ts'
import { project } from '../../domain/projection.ts'

/**
 * Id of the `archived` event that accompanies a receipt. Effects are keyed by an event id's
 * first 12 characters (stored-log.ts), so the prefix goes first to keep the two apart.
 */
export function archiveEventId(receiptEventId: string): string {
  return `arch-${receiptEventId}`
}

/** The item fields of the originals the log records, empty when it records none. */
export function originalsFields(space: ContractSpace, stored: StoredLog): Record<string, unknown> {
  const o = project(stored.log).originals
  if (!o) return {}
  const f = space.fields
  return { [f.originalsReceived]: 'Y', [f.receivedAt]: o.receivedAt, [f.storageLocation]: o.storageLocation, [f.archivist]: o.by.id }
}

/** Appends the archive step when the log holds a receipt and the contract still waits for it. */
export function withArchive(stored: StoredLog, ctx: CommandContext & { comment?: string }): StoredLog {
  const p = project(stored.log)
  if (p.stageCode !== 'ORIGINALS' || !p.originals) return stored
  const outcome = decide(stored.log, { type: 'archive', ...(ctx.comment ? { comment: ctx.comment } : {}) }, ctx)
  return outcome.ok ? { ...stored, log: outcome.log } : stored
}

export interface ReceiptIOOptions {
  /** File the contract in the same write (the `archived` event's context). */
  readonly archive?: CommandContext & { comment?: string }
  /** Events found unconfirmed on read (writer.ts): the fields written do not follow them. */
  readonly distrusted?: Distrusted
}

/** contractIO (writer.ts) that writes the originals fields too, and files the contract if asked. */
export function receiptIO(port: BitrixPort, space: ContractSpace, itemId: number, opts: ReceiptIOOptions = {}): ContractIO {
  const entityTypeId = space.entityTypeId
  return {
    async read() {
      return withLogArchive(port, readContract(await port.getItem(entityTypeId, itemId), space))
    },
    async write(given) {
      const stored = opts.archive ? withArchive(given, opts.archive) : given
      const fields = { ...projectionFields(space, stored, opts.distrusted?.()), ...originalsFields(space, stored) }
      // Direct, never batched: the storage place is free text (see writer.ts).
      return withLogArchive(port, readContract(await port.updateItem(entityTypeId, itemId, fields), space))
    },
  }
}
