/**
 * Why the domain says no. Codes are stable strings: the UI localizes them (locales
 * `approval.refusal.<code>`), the domain carries no human text.
 */

export type RefusalCode =
  /** The actor is not among those who must decide the current step. */
  | 'notCurrentApprover'
  /** The actor already approved this step in this round (a second click, another tab). */
  | 'alreadyDecided'
  /** The decision names a step or round that is no longer current (someone else moved it on). */
  | 'staleDecision'
  /** Only the author (who submitted round 1) may resubmit or withdraw. */
  | 'notAuthor'
  /** The action does not apply to the contract's stage (e.g. approving a draft). */
  | 'wrongStage'
  /** Returning to the author needs a comment. */
  | 'commentRequired'
  | 'commentTooLong'
  /** No route's conditions match and there is no default route. */
  | 'noRouteMatches'
  /** The chosen route has errors (no steps, a step without approvers…): see `issues`. */
  | 'routeInvalid'
  /** A step resolved to nobody (e.g. the author's department has no head). */
  | 'approverUnresolved'
  /** Appending would push the log over APPROVAL_LOG_MAX_BYTES. */
  | 'logOverBudget'
  /** The stored history fails verification; nothing is appended on top of it. */
  | 'brokenChain'
  /** The event id is already in the log with different content. */
  | 'duplicateEventId'
  /** Delegation to oneself or to someone already on the step. */
  | 'invalidDelegate'
  /** Receipt of originals needs a date and a storage location (within limits). */
  | 'originalsRequired'
  | 'originalsNotReceived'
  | 'alreadyReceived'
  /** An event whose fields are malformed (only seen on logs edited outside the app). */
  | 'invalidEvent'
  /** No timeline entry by the event's own actor vouches for it (attestation.ts): no effect. */
  | 'unconfirmed'
  /** The round's frozen route is not one the administrators published. */
  | 'routeNotPublished'
  /** The author never approves, returns or takes a seat on her own contract. */
  | 'authorCannotDecide'
  /** A seat cannot be handed to the contract's author. */
  | 'delegateIsAuthor'
  /** Some events of the history are not confirmed: originals and filing wait for an administrator. */
  | 'unconfirmedHistory'
  /** The contract is not the version the approver saw (it changed since): look again first. */
  | 'contractChanged'
  /** A revision that changes nothing the route watches. */
  | 'versionUnchanged'
  /** A submission without the fields its route requires (the refusal lists them). */
  | 'requiredMissing'
  /** This step of this round was already escalated (by another client, maybe at the same moment). */
  | 'alreadyEscalated'
  /** The step is not past its deadline. */
  | 'notOverdue'

/** Longest comment accepted on any event (characters). */
export const COMMENT_MAX_LENGTH = 2000
/** Longest storage location accepted (the field is a plain string). */
export const STORAGE_LOCATION_MAX_LENGTH = 255
