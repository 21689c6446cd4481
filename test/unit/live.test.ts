import { describe, expect, it } from 'vitest'
import {
  FALLBACK_TIMING, LIST_TIMING, cardNeedsRead, checkOnReturn, fallbackTiming, isActive, listReadDelay, mayCheck,
  nextCheckDelay, noticeParams, parseNotice, restartDelay,
} from '../../src/domain/live.ts'

describe('the notice', () => {
  it('carries only the contract id and the change counter', () => {
    expect(noticeParams(7, 12)).toEqual({ id: 7, n: 12 })
    expect(Object.keys(noticeParams(7, 12)).sort()).toEqual(['id', 'n'])
  })
  it('parses what the channel delivers and ignores anything else', () => {
    expect(parseNotice({ id: 7, n: 3 })).toEqual({ itemId: 7, n: 3 })
    expect(parseNotice({ id: '7', n: '3' })).toEqual({ itemId: 7, n: 3 })
    expect(parseNotice({ id: 0, n: 3 })).toBeNull()
    expect(parseNotice({ id: 7 })).toBeNull()
    expect(parseNotice('x')).toBeNull()
    expect(parseNotice(null)).toBeNull()
  })
  it('a card re-reads only for a newer change of its own contract', () => {
    expect(cardNeedsRead({ itemId: 7, n: 4 }, 7, 3)).toBe(true)
    expect(cardNeedsRead({ itemId: 7, n: 3 }, 7, 3)).toBe(false)
    expect(cardNeedsRead({ itemId: 8, n: 9 }, 7, 3)).toBe(false)
    expect(cardNeedsRead({ itemId: 7, n: 1 }, 7, null)).toBe(true)
  })
})

describe('list re-reads after a notice', () => {
  it('a shown contract: soon, spread by jitter', () => {
    expect(listReadDelay(true, 0, 1_000_000, 0)).toBe(LIST_TIMING.soonMs)
    expect(listReadDelay(true, 0, 1_000_000, 0.999)).toBeLessThan(LIST_TIMING.soonMs + LIST_TIMING.jitterMs)
    expect(LIST_TIMING.soonMs + LIST_TIMING.jitterMs).toBeLessThanOrEqual(2000)
  })
  it('a contract not shown: no more often than the unseen gap', () => {
    const now = 1_000_000
    expect(listReadDelay(false, now - 10_000, now, 0)).toBe(LIST_TIMING.unseenGapMs - 10_000)
    expect(listReadDelay(false, now - 10 * LIST_TIMING.unseenGapMs, now, 0)).toBe(LIST_TIMING.soonMs)
  })
})

describe('the fallback schedule', () => {
  it('starts at 15 s and backs off to 120 s while nothing changes', () => {
    const waits: number[] = []
    let prev: number | null = null
    for (let i = 0; i < 6; i++) waits.push((prev = nextCheckDelay(prev, 'same')))
    expect(waits).toEqual([15_000, 30_000, 60_000, 120_000, 120_000, 120_000])
  })
  it('a change brings it back to 15 s; a failure backs off like no change', () => {
    expect(nextCheckDelay(120_000, 'changed')).toBe(15_000)
    expect(nextCheckDelay(30_000, 'failed')).toBe(60_000)
  })
  it('a 503/429 backs off further instead of retrying', () => {
    expect(nextCheckDelay(15_000, 'throttled')).toBe(120_000)
    expect(nextCheckDelay(120_000, 'throttled')).toBe(240_000)
    expect(nextCheckDelay(480_000, 'throttled')).toBe(480_000)
  })
  it('checks only while Pull is not delivering, the view is on screen and the person active', () => {
    const now = 10_000_000
    const seen = { onScreen: true, lastInputAt: now - 1000, focused: false }
    expect(mayCheck(false, seen, now)).toBe(true)
    expect(mayCheck(true, seen, now)).toBe(false)
    expect(mayCheck(false, { ...seen, onScreen: false }, now)).toBe(false)
    expect(mayCheck(false, { ...seen, lastInputAt: now - FALLBACK_TIMING.idleMs }, now)).toBe(false)
    expect(isActive({ ...seen, lastInputAt: 0, focused: true }, now)).toBe(true)
  })
  it('checks at once on return, unless it just did', () => {
    expect(checkOnReturn(null, 5000)).toBe(true)
    expect(checkOnReturn(4000, 5000)).toBe(false)
    expect(checkOnReturn(1000, 5000)).toBe(true)
  })
  it('a shorter start scales the other limits (tests)', () => {
    const t = fallbackTiming(1500)
    expect(t.minMs).toBe(1500)
    expect(t.maxMs).toBe(12_000)
    expect(nextCheckDelay(null, 'same', t)).toBe(1500)
    expect(fallbackTiming(15_000)).toBe(FALLBACK_TIMING)
  })
  it('re-reads the Pull config after longer and longer offline spells', () => {
    expect([0, 1, 2, 10].map(restartDelay)).toEqual([20_000, 40_000, 80_000, 600_000])
  })
})
