/**
 * Live status without polling: the rules, as pure functions.
 *
 * After each committed action the acting client sends ONE notice to the app's shared Push & Pull
 * channel — every user of the app receives it, so it carries only what anyone may see: the
 * contract id and a change counter (the length of its log). Each open view decides from it
 * whether to re-read, with its own user's rights.
 *
 * When Pull is unavailable (no `pull` scope, the queue server down, the channel dropped) a view
 * checks for changes itself, but only while it is on screen and the person is active, backing off
 * from 15 s to 120 s while nothing changes, at once on focus or when it becomes visible again,
 * and further still when the portal says it is overloaded (503/429) instead of retrying.
 */

/** The Pull module id and command of the app's notices. */
export const LIVE_MODULE_ID = 'contract_approval'
export const LIVE_COMMAND = 'changed'

export interface LiveNotice {
  readonly itemId: number
  /** How many events the contract's log holds after the change: only grows. */
  readonly n: number
}

/** The PARAMS of the notice: the contract id and the counter, nothing else. */
export function noticeParams(itemId: number, n: number): { id: number; n: number } {
  return { id: itemId, n }
}

/** A notice from the channel, or null when it is not one of ours (anyone may publish there). */
export function parseNotice(params: unknown): LiveNotice | null {
  if (!params || typeof params !== 'object') return null
  const p = params as Record<string, unknown>
  const itemId = Number(p.id)
  const n = Number(p.n)
  if (!Number.isInteger(itemId) || itemId <= 0 || !Number.isInteger(n) || n < 0) return null
  return { itemId, n }
}

/** A card showing `itemId` whose log holds `seen` events re-reads only for a newer change of it. */
export function cardNeedsRead(notice: LiveNotice, itemId: number, seen: number | null): boolean {
  return notice.itemId === itemId && (seen === null || notice.n > seen)
}

export interface ListTiming {
  /** A contract the list shows changed: re-read this soon (plus jitter). */
  readonly soonMs: number
  /** Spread of the re-reads of many tabs that got the same notice. */
  readonly jitterMs: number
  /**
   * A contract the list does not show changed (it may have come into it, e.g. a new approval for
   * this person): re-read, but not more often than this.
   */
  readonly unseenGapMs: number
}

export const LIST_TIMING: ListTiming = { soonMs: 200, jitterMs: 800, unseenGapMs: 60_000 }

/**
 * When a list should re-read after a notice: ms from now. `random` in [0, 1) spreads the tabs.
 * A list that already has a re-read scheduled keeps the earlier of the two.
 */
export function listReadDelay(
  shown: boolean, lastReadAt: number, now: number, random: number, timing: ListTiming = LIST_TIMING,
): number {
  const soon = timing.soonMs + Math.floor(random * timing.jitterMs)
  if (shown) return soon
  return Math.max(soon, lastReadAt + timing.unseenGapMs - now)
}

// --- the fallback: checking for changes when Pull is unavailable -------------------------------

export interface FallbackTiming {
  readonly minMs: number
  readonly maxMs: number
  readonly factor: number
  /** After a 503/429: at least this long, doubling up to 4 × maxMs. */
  readonly throttledMs: number
  /** No input for this long: the person is away, the view stops checking. */
  readonly idleMs: number
  /** Back on screen: checks at once, unless it checked less than this ago. */
  readonly returnGapMs: number
}

export const FALLBACK_TIMING: FallbackTiming = {
  minMs: 15_000, maxMs: 120_000, factor: 2, throttledMs: 120_000, idleMs: 5 * 60_000, returnGapMs: 3_000,
}

/** A fallback timing starting at `minMs` (tests and the demo shorten it), other limits scaled. */
export function fallbackTiming(minMs: number): FallbackTiming {
  if (!(minMs > 0) || minMs === FALLBACK_TIMING.minMs) return FALLBACK_TIMING
  const k = minMs / FALLBACK_TIMING.minMs
  return { ...FALLBACK_TIMING, minMs, maxMs: FALLBACK_TIMING.maxMs * k, throttledMs: FALLBACK_TIMING.throttledMs * k, returnGapMs: Math.min(FALLBACK_TIMING.returnGapMs, minMs / 2) }
}

/** What one check found. */
export type CheckOutcome = 'changed' | 'same' | 'throttled' | 'failed'

/** The wait before the next check, given the last wait (null: none yet) and what the check found. */
export function nextCheckDelay(previous: number | null, outcome: CheckOutcome, t: FallbackTiming = FALLBACK_TIMING): number {
  switch (outcome) {
    case 'changed':
      return t.minMs
    case 'same':
    case 'failed':
      return previous === null ? t.minMs : Math.min(t.maxMs, Math.max(t.minMs, previous * t.factor))
    case 'throttled':
      return Math.min(t.maxMs * 4, Math.max(t.throttledMs, (previous ?? 0) * t.factor))
  }
}

export interface Presence {
  /** The view is on screen (IntersectionObserver; inside a frame document.hidden stays false). */
  readonly onScreen: boolean
  /** Last input (pointer, key, scroll, focus), ms epoch. */
  readonly lastInputAt: number
  /** The page has focus (a focused page counts as active). */
  readonly focused: boolean
}

export function isActive(p: Presence, now: number, t: FallbackTiming = FALLBACK_TIMING): boolean {
  return p.focused || now - p.lastInputAt < t.idleMs
}

/** Whether the fallback may send a check now: Pull is not delivering, the view is seen and used. */
export function mayCheck(pullOnline: boolean, p: Presence, now: number, t: FallbackTiming = FALLBACK_TIMING): boolean {
  return !pullOnline && p.onScreen && isActive(p, now, t)
}

/** Coming back on screen or into focus: check now, unless a check was sent a moment ago. */
export function checkOnReturn(lastCheckAt: number | null, now: number, t: FallbackTiming = FALLBACK_TIMING): boolean {
  return lastCheckAt === null || now - lastCheckAt >= t.returnGapMs
}

/**
 * Pull keeps failing (a dropped channel is not fixed by reconnecting to it): re-read its config
 * after this long offline, doubling up to 10 minutes — one REST call each time.
 */
export function restartDelay(attempt: number): number {
  return Math.min(600_000, 20_000 * 2 ** Math.max(0, attempt))
}
