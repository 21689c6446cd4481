/**
 * What the card may trust (issue 8), from the one batch that rendered it: the events confirmed by
 * a timeline entry of their own actor, the routes the administrators published, the confirmed
 * events the entries carry that the log lacks (an emptied or cut history), and whether one more
 * event would still fit the log's budget.
 */
import type { CardData } from '../../services/approval/card.ts'
import { contentsFromEntries } from '../../services/approval/attest.ts'
import { confirmedIds, type Trust } from '../../domain/attestation.ts'
import { checkBudget, logBytes } from '../../domain/log.ts'
import { publishedHashes } from '../../domain/route.ts'
import { APPROVAL_LOG_MAX_BYTES } from '../../domain/schema.ts'

/** Room one more event needs (a submission with its snapshot and frozen route is the largest). */
export const NEXT_EVENT_BYTES = 4_000

export interface CardTrust {
  /** Passed to the projection; empty (everything trusted) while nothing is loaded. */
  readonly trust: Trust
  /** Events of the log no entry by their actor confirms, in log order. */
  readonly unconfirmed: readonly string[]
  /** Confirmed events the timeline carries that the log does not have: a rebuild brings them back. */
  readonly missing: number
  /** The entries could not be read: nothing was checked (the card says so, actions re-check). */
  readonly entriesUnchecked: boolean
  /** The log cannot take one more event: the actions are hidden, the card says why. */
  readonly overBudget: boolean
}

export const NO_TRUST: CardTrust = { trust: {}, unconfirmed: [], missing: 0, entriesUnchecked: false, overBudget: false }

export function trustOfCard(card: CardData | null): CardTrust {
  const record = card?.record
  if (!card || !record) return NO_TRUST
  const published = publishedHashes(card.routeSet)
  const events = record.logError ? [] : record.stored.log.events
  const inLog = new Set(events.map((e) => e.id))
  const missing = contentsFromEntries(card.entries).filter((c) => !inLog.has(c.id)).length
  const overBudget = !record.logError && (!checkBudget(record.stored.log).ok || logBytes(record.stored.log) + NEXT_EVENT_BYTES > APPROVAL_LOG_MAX_BYTES)
  if (card.entriesError) {
    return { trust: { published }, unconfirmed: [], missing, entriesUnchecked: true, overBudget }
  }
  const confirmed = confirmedIds(events, card.entries)
  return { trust: { confirmed, published }, unconfirmed: events.filter((e) => !confirmed.has(e.id)).map((e) => e.id), missing, entriesUnchecked: false, overBudget }
}
