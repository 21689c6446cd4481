// Bitrix24 has no conditional update, so concurrent deciders overwrite each other's writes.
// The recovery (write, re-read, merge by event id, rewrite) only works if merging is a pure
// function of the set of events and the replay rules resolve conflicting decisions the same way
// for everyone. These tests build the concurrent histories the card tab will actually produce.
import { describe, expect, it } from 'vitest'
import {
  buildLog,
  containsAll,
  contentOf,
  decide,
  EMPTY_LOG,
  mergeAll,
  mergeLogs,
  project,
  verifyLog,
  type ApprovalLog,
  type Command,
  type Actor,
} from '../../src/domain/index.ts'
import {
  act, at, AUTHOR, CEO, LAWYER, LAWYER2, must, person, resubmitCmd, SECURITY, singleStepRoutes, submitCmd, submittedLog,
} from './fixtures.ts'

function merged(...logs: ApprovalLog[]): ApprovalLog {
  const r = mergeAll(logs)
  if (!r.ok) throw new Error(`merge failed: ${r.error}`)
  return r.log
}

/** Each actor decides from the same base at the same moment, with a chosen event id. */
function concurrently(base: ApprovalLog, moves: [Actor, Command, string][]): ApprovalLog[] {
  return moves.map(([actor, cmd, id]) => must(decide(base, cmd, { eventId: id, at: at(30), actor })).log)
}

/** Deterministic shuffle (the test must not depend on Math.random). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

describe('two approvers of an `any` step approve at once', () => {
  const base = submittedLog()
  const [a, b] = concurrently(base, [[LAWYER, { type: 'approve' }, 'b-lawyer'], [LAWYER2, { type: 'approve' }, 'a-lawyer2']]) as [ApprovalLog, ApprovalLog]

  it('both are recorded and the step completes once', () => {
    const m = merged(a, b)
    expect(m.events.map((e) => e.id)).toEqual([base.events[0]?.id, 'a-lawyer2', 'b-lawyer'])
    const p = project(m)
    expect(p.ignored).toEqual([])
    expect(p.steps[0]?.approvals.map((x) => [x.actor.id, x.late])).toEqual([[LAWYER2.id, false], [LAWYER.id, true]])
    expect(p.steps[0]?.completedAt).toBe(at(30))
    expect(p.currentStep).toBe(1)
    expect(p.currentApprovers).toEqual([SECURITY.id])
    expect(p.decisions.filter((d) => d.decision === 'approved')).toHaveLength(2)
    expect(verifyLog(m)).toEqual({ ok: true })
  })

  it('a late approval with a later clock changes nothing about the next step', () => {
    const first = must(decide(base, { type: 'approve' }, { eventId: 'a-first', at: at(30), actor: LAWYER })).log
    const second = must(decide(base, { type: 'approve' }, { eventId: 'b-second', at: at(45), actor: LAWYER2 })).log
    const p = project(merged(first, second))
    expect(p.steps[0]?.completedAt).toBe(at(30))
    expect(p.steps[1]).toMatchObject({ status: 'current', startedAt: at(30), deadline: at(30 + 24 * 60) })
    expect(p.deadline).toBe(at(30 + 24 * 60))
  })

  it('merge is commutative and idempotent', () => {
    expect(merged(a, b)).toEqual(merged(b, a))
    expect(merged(a, a)).toEqual(a)
    expect(merged(merged(a, b), b)).toEqual(merged(a, b))
  })

  it('the next approver continues on the merged log', () => {
    const next = act(merged(a, b), SECURITY, { type: 'approve' }, 40)
    expect(project(next).currentApprovers).toEqual([CEO.id])
  })

  it('a second click by an approver whose concurrent approval was recorded is refused', () => {
    const outcome = decide(merged(a, b), { type: 'approve', round: 1, step: 0 }, { eventId: 'again', at: at(41), actor: LAWYER })
    expect(outcome).toMatchObject({ ok: false, reason: 'alreadyDecided' })
  })
})

describe('20 approvers of one `all` step decide at the same moment', () => {
  const ids = Array.from({ length: 20 }, (_, i) => 101 + i)
  const base = act(EMPTY_LOG, AUTHOR, submitCmd(1, { routeSet: singleStepRoutes('all', ids) }), 0)
  const logs = concurrently(base, ids.map((id) => [person(id), { type: 'approve' }, `ev-${id}`]))

  it('after merging everything, every decision is recorded and the step completes exactly once', () => {
    const m = merged(...logs)
    const p = project(m)
    expect(m.events).toHaveLength(21)
    expect(p.ignored).toEqual([])
    expect(p.steps[0]?.approvals.map((x) => x.actor.id).sort((x, y) => x - y)).toEqual(ids)
    expect(p.steps[0]?.approvals.filter((x) => x.late)).toEqual([])
    expect(p.steps[0]?.status).toBe('approved')
    expect(p.currentStep).toBe(1)
    expect(p.currentApprovers).toEqual([CEO.id])
    expect(p.steps[1]?.startedAt).toBe(at(30))
  })

  it('any order and grouping of merges gives the same log (commutative, associative)', () => {
    const reference = merged(...logs)
    for (let seed = 1; seed <= 5; seed++) {
      const order = shuffled(logs, seed)
      const folded = order.reduce((acc, l) => {
        const r = mergeLogs(acc, l)
        if (!r.ok) throw new Error(r.error)
        return r.log
      }, EMPTY_LOG)
      expect(folded).toEqual(reference)
      const half = Math.floor(order.length / 2)
      expect(merged(merged(...order.slice(0, half)), merged(...order.slice(half)))).toEqual(reference)
    }
  })

  it('the write, re-read, merge, rewrite loop against one stored field loses nobody', () => {
    // Every writer read `base`; their writes land one after another and overwrite each other.
    let stored = base
    const pending = logs.map((l, i) => ({ mine: l.events.slice(-1), local: l, order: i }))
    for (const w of pending) stored = w.local
    let rounds = 0
    while (pending.some((w) => !containsAll(stored, w.mine)) && rounds++ < 50) {
      for (const w of shuffled(pending, rounds)) {
        if (containsAll(stored, w.mine)) continue
        const r = mergeLogs(stored, w.local)
        if (!r.ok) throw new Error(r.error)
        stored = r.log
        w.local = r.log
      }
    }
    expect(pending.every((w) => containsAll(stored, w.mine))).toBe(true)
    expect(stored).toEqual(merged(...logs))
  })
})

describe('conflicting concurrent decisions', () => {
  const base = submittedLog()

  it('approve sorted before return: the step is done, the return is ignored as stale', () => {
    const m = merged(...concurrently(base, [[LAWYER, { type: 'approve' }, 'a1'], [LAWYER2, { type: 'return', comment: 'Нет' }, 'b1']]))
    const p = project(m)
    expect(p.stageCode).toBe('APPROVAL')
    expect(p.currentStep).toBe(1)
    expect(p.ignored).toEqual([{ eventId: 'b1', reason: 'staleDecision' }])
    expect(m.events.map((e) => e.id)).toContain('b1') // recorded, without effect
  })

  it('return sorted before approve: the contract goes back, the approval is ignored', () => {
    const m = merged(...concurrently(base, [[LAWYER, { type: 'approve' }, 'b2'], [LAWYER2, { type: 'return', comment: 'Нет' }, 'a2']]))
    const p = project(m)
    expect(p.stageCode).toBe('RETURNED')
    expect(p.ignored).toEqual([{ eventId: 'b2', reason: 'wrongStage' }])
  })

  it('two returns of the same step at once both reach the author', () => {
    const m = merged(...concurrently(base, [[LAWYER, { type: 'return', comment: 'Раз' }, 'r1'], [LAWYER2, { type: 'return', comment: 'Два' }, 'r2']]))
    const p = project(m)
    expect(p.ignored).toEqual([])
    expect(p.returnComments.map((d) => d.comment)).toEqual(['Раз', 'Два'])
  })

  it('the author withdraws while a lawyer approves: whichever sorts later is ignored', () => {
    const m = merged(...concurrently(base, [[AUTHOR, { type: 'withdraw' }, 'w1'], [LAWYER, { type: 'approve' }, 'x1']]))
    expect(project(m).stageCode).toBe('WITHDRAWN')
    expect(project(m).ignored).toEqual([{ eventId: 'x1', reason: 'wrongStage' }])
  })

  it('a delegation by someone no longer current after the merge is ignored', () => {
    const m = merged(...concurrently(base, [[LAWYER, { type: 'approve' }, 'c1'], [LAWYER2, { type: 'delegate', to: person(7) }, 'c2']]))
    const p = project(m)
    expect(p.ignored).toEqual([{ eventId: 'c2', reason: 'staleDecision' }])
    expect(p.steps[0]?.approverIds).toEqual([LAWYER.id, LAWYER2.id])
  })

  it('the author resubmitting from two tabs opens one round; the stored route is the effective one', () => {
    const returned = act(base, LAWYER, { type: 'return', comment: 'Доработать' }, 5)
    const [t1, t2] = [
      must(decide(returned, resubmitCmd(2_000_000), { eventId: 's1', at: at(9), actor: AUTHOR })).log,
      must(decide(returned, resubmitCmd(400_000), { eventId: 's2', at: at(9), actor: AUTHOR })).log,
    ]
    const m = merged(t2, t1)
    const p = project(m)
    expect(p.round).toBe(2)
    expect(p.ignored).toEqual([{ eventId: 's2', reason: 'wrongStage' }])
    expect(m.route?.routeId).toBe('large')
    expect(verifyLog(m)).toEqual({ ok: true })
  })
})

describe('merge safety', () => {
  const base = submittedLog()
  const mine = act(base, LAWYER, { type: 'approve' }, 10)

  it('a fast-forward keeps every hash (nothing is rewritten without need)', () => {
    expect(merged(base, mine)).toEqual(mine)
  })

  it('refuses to merge an input whose chain is broken', () => {
    const tampered: ApprovalLog = { ...mine, events: mine.events.map((e, i) => (i === 1 ? { ...e, comment: 'x' } : e)) }
    expect(mergeLogs(base, tampered)).toMatchObject({ ok: false, error: 'brokenChain', input: 1, check: { problem: 'hashMismatch' } })
  })

  it('refuses when one event id carries different content (history rewritten with a fresh chain)', () => {
    const forged = buildLog(mine.events.map((e, i) => (i === 1 ? { ...contentOf(e), actor: SECURITY } : contentOf(e))))
    expect(verifyLog(forged)).toEqual({ ok: true })
    expect(mergeLogs(mine, forged)).toEqual({ ok: false, error: 'conflictingEvent', eventId: mine.events[1]?.id })
  })
})
