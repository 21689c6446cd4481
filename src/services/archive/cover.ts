/**
 * What a contract's cover sheet prints: number, title, counterparty, amount, and who approved it
 * when (the log's decisions that took effect, last round first in order). One request: the item.
 */
import type { BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { readContract } from '../approval/record.ts'
import { project } from '../../domain/projection.ts'
import { coverCode } from '../../domain/archive.ts'

export interface CoverSheet {
  readonly id: number
  readonly title: string
  readonly number: string | null
  readonly date: string | null
  readonly amount: number | null
  readonly currency: string | null
  readonly companyId: number | null
  readonly approvals: readonly { readonly name: string; readonly step: string; readonly at: string }[]
  /** The QR code's text. */
  readonly code: string
}

export async function loadCover(port: BitrixPort, space: ContractSpace, itemId: number): Promise<CoverSheet> {
  const record = readContract(await port.getItem(space.entityTypeId, itemId), space)
  const p = project(record.stored.log)
  // The round that was approved: its approvals are what the paper carries.
  const approvals = p.decisions.filter((d) => d.decision === 'approved' && d.round === p.round)
    .map((d) => ({ name: d.actor.name, step: d.stepTitle, at: d.at }))
  return {
    id: record.id, title: record.title, number: record.number, date: record.date, amount: record.amount, currency: record.currency,
    companyId: record.companyId, approvals, code: coverCode(record.id, record.number),
  }
}
