/**
 * Who may do what on the card, from the projection and the item: pure, so the buttons shown and
 * the commands the domain accepts are easy to keep in line (the domain still has the last word).
 */
import type { ContractRecord } from '../../services/approval/record.ts'
import type { Projection } from '../../domain/projection.ts'

export interface Abilities {
  readonly approve: boolean
  readonly return: boolean
  readonly submit: boolean
  readonly resubmit: boolean
  readonly withdraw: boolean
  /** Hand one's seat on the current step to a colleague. */
  readonly delegate: boolean
}

export const NOTHING: Abilities = { approve: false, return: false, submit: false, resubmit: false, withdraw: false, delegate: false }

export type CardRole = 'approver' | 'author' | 'viewer'

/** The author: whoever submitted round 1, or for a draft the person responsible for it. */
export function authorIdOf(p: Projection, record: ContractRecord | null): number | null {
  return p.author?.id ?? record?.assignedById ?? record?.createdBy ?? null
}

export function abilitiesOf(p: Projection, record: ContractRecord | null, userId: number | null): Abilities {
  if (!record || userId === null || record.logError) return NOTHING
  const isAuthor = authorIdOf(p, record) === userId || (p.author === null && record.createdBy === userId)
  const isApprover = p.stageCode === 'APPROVAL' && p.currentApprovers.includes(userId)
  return {
    approve: isApprover,
    return: isApprover,
    // A contract moved past "draft" outside the app (no log) is not offered for submission.
    submit: isAuthor && p.stageCode === 'NEW' && p.round === 0 && (record.stageCode === null || record.stageCode === 'NEW'),
    resubmit: isAuthor && p.stageCode === 'RETURNED',
    withdraw: isAuthor && (p.stageCode === 'APPROVAL' || p.stageCode === 'RETURNED'),
    delegate: isApprover,
  }
}

export function roleOf(a: Abilities): CardRole {
  if (a.approve) return 'approver'
  if (a.submit || a.resubmit || a.withdraw) return 'author'
  return 'viewer'
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function newEventId(): string {
  const c = globalThis.crypto
  if (typeof c?.randomUUID === 'function') return c.randomUUID()
  const b = new Uint8Array(16)
  c.getRandomValues(b)
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
