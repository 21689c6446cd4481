/**
 * Who may do what on the card, from the projection and the item: pure, so the buttons shown and
 * the commands the domain accepts are easy to keep in line (the domain still has the last word).
 */
import type { Projection } from './projection.ts'
import type { StageCode } from './schema.ts'

/** What the rules read of the contract's CRM item (the services' ContractRecord has it all). */
export interface CardFacts {
  readonly assignedById: number | null
  readonly createdBy: number | null
  /** The CRM stage, whatever the log says. */
  readonly stageCode: StageCode | null
  /** The log field could not be read: nobody may act on it. */
  readonly logError: unknown
}

export interface Abilities {
  readonly approve: boolean
  readonly return: boolean
  readonly submit: boolean
  readonly resubmit: boolean
  readonly withdraw: boolean
  /** Hand one's seat on the current step to a colleague. */
  readonly delegate: boolean
  /** Record a change made mid-round, so the route's rule re-asks (reapproval.ts). */
  readonly revise: boolean
}

export const NOTHING: Abilities = { approve: false, return: false, submit: false, resubmit: false, withdraw: false, delegate: false, revise: false }

export type CardRole = 'approver' | 'author' | 'viewer'

/** The author: whoever submitted round 1, or for a draft the person responsible for it. */
export function authorIdOf(p: Projection, record: CardFacts | null): number | null {
  return p.author?.id ?? record?.assignedById ?? record?.createdBy ?? null
}

/**
 * `changed`: the contract as stored differs from the round's version in a field the route
 * watches (projection.ts `unrecordedChanges`): nobody approves it until the change is recorded.
 */
export function abilitiesOf(p: Projection, record: CardFacts | null, userId: number | null, changed = false): Abilities {
  if (!record || userId === null || record.logError) return NOTHING
  const isAuthor = authorIdOf(p, record) === userId || (p.author === null && record.createdBy === userId)
  const isApprover = p.stageCode === 'APPROVAL' && p.currentApprovers.includes(userId)
  const onRoute = p.stageCode === 'APPROVAL' && p.steps.some((s) => s.approverIds.includes(userId))
  return {
    approve: isApprover && !changed,
    return: isApprover,
    // A contract moved past "draft" outside the app (no log) is not offered for submission.
    submit: isAuthor && p.stageCode === 'NEW' && p.round === 0 && (record.stageCode === null || record.stageCode === 'NEW'),
    resubmit: isAuthor && p.stageCode === 'RETURNED',
    withdraw: isAuthor && (p.stageCode === 'APPROVAL' || p.stageCode === 'RETURNED'),
    delegate: isApprover,
    revise: changed && (isAuthor || onRoute),
  }
}

export function roleOf(a: Abilities): CardRole {
  if (a.approve) return 'approver'
  if (a.submit || a.resubmit || a.withdraw) return 'author'
  return 'viewer'
}
