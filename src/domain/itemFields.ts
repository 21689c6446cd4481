/**
 * The crm.item.update payload that writes the log together with its projection, so an item is
 * never half-updated (docs/ARCHITECTURE.md, "Data model"): stage, current approvers, round, deadline and the
 * originals fields are always derived from the log being written.
 */

import { itemFieldName, stageId } from './schema'
import { serializeLog, type ApprovalLog } from './log'
import type { Projection } from './projection'

export interface ContractTypeIds {
  readonly typeId: number
  readonly entityTypeId: number
  readonly categoryId: number
}

/**
 * Fields for crm.item.update / crm.item.add (`fields` object, crm.item.* camelCase names).
 * Empty values are explicit ('' / []) so a field cleared by the projection is cleared in the item.
 */
export function itemStateFields(log: ApprovalLog, p: Projection, ids: ContractTypeIds): Record<string, unknown> {
  const f = (key: Parameters<typeof itemFieldName>[1]) => itemFieldName(ids.typeId, key)
  const fields: Record<string, unknown> = {
    stageId: stageId(ids.entityTypeId, ids.categoryId, p.stageCode),
    [f('approvalLog')]: serializeLog(log),
    [f('approvers')]: [...p.currentApprovers],
    [f('round')]: p.round,
    [f('deadline')]: p.deadline ?? '',
  }
  if (p.originals) {
    fields[f('originalsReceived')] = 'Y'
    fields[f('receivedAt')] = p.originals.receivedAt
    fields[f('storageLocation')] = p.originals.storageLocation
    fields[f('archivist')] = p.originals.by.id
  }
  return fields
}
