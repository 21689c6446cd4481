// Deadlines that act without a server: the first client that sees a step overdue records one
// «просрочено» event and its escalation people are told — exactly once per step and round, even
// when two clients record it at the same moment (the merge keeps both; the later takes no effect).
import { describe, expect, it } from 'vitest'
import { decide, project, type ApprovalLog } from '../../src/domain/index.ts'
import { dueForEscalation } from '../../src/domain/projection.ts'
import { mergeLogs } from '../../src/domain/merge.ts'
import { sideEffects } from '../../src/domain/effects.ts'
import { act, at, CEO, HEAD, LAWYER, SECURITY, submittedLog } from './fixtures.ts'

const DAY = 24 * 60

describe('escalation of an overdue step', () => {
  it('is due only past the deadline, and only until recorded', () => {
    const log = submittedLog()
    const p = project(log)
    expect(dueForEscalation(p, at(DAY - 1))).toBe(false)
    expect(dueForEscalation(p, at(DAY + 1))).toBe(true)
    const escalated = act(log, SECURITY, { type: 'escalate', notify: [HEAD.id] }, DAY + 1)
    expect(dueForEscalation(project(escalated), at(DAY + 5))).toBe(false)
    expect(project(escalated).escalations).toEqual([{ round: 1, step: 0, at: at(DAY + 1), by: SECURITY, notify: [HEAD.id] }])
  })

  it('refuses an early escalation and a second one of the same step', () => {
    const log = submittedLog()
    const early = decide(log, { type: 'escalate', notify: [HEAD.id] }, { eventId: 'early', at: at(60), actor: SECURITY })
    expect(!early.ok && early.reason).toBe('notOverdue')
    const once = act(log, SECURITY, { type: 'escalate', notify: [HEAD.id] }, DAY + 1)
    const twice = decide(once, { type: 'escalate', notify: [HEAD.id] }, { eventId: 'again', at: at(DAY + 2), actor: CEO })
    expect(!twice.ok && twice.reason).toBe('alreadyEscalated')
  })

  it('two clients at the same moment: both events are kept, one takes effect, one notice goes', () => {
    const log = submittedLog()
    const a = act(log, SECURITY, { type: 'escalate', notify: [HEAD.id] }, DAY + 1, 'esc-a')
    const b = act(log, CEO, { type: 'escalate', notify: [HEAD.id] }, DAY + 1, 'esc-b')
    const merged = mergeLogs(a, b)
    expect(merged.ok).toBe(true)
    const m = (merged as { ok: true; log: ApprovalLog }).log
    expect(m.events.filter((e) => e.type === 'escalated')).toHaveLength(2)
    const p = project(m)
    expect(p.escalations).toHaveLength(1)
    expect(p.ignored.map((i) => i.reason)).toEqual(['alreadyEscalated'])
    const notices = sideEffects(log, m).filter((e) => e.kind === 'notify')
    expect(notices.map((n) => [n.kind === 'notify' && n.userId, n.kind === 'notify' && n.reason])).toEqual([[HEAD.id, 'overdue']])
  })

  it('the next step, or the next round, can be escalated again', () => {
    let log = act(submittedLog(), SECURITY, { type: 'escalate', notify: [HEAD.id] }, DAY + 1)
    log = act(log, LAWYER, { type: 'approve' }, DAY + 2)
    expect(dueForEscalation(project(log), at(DAY + 2 + DAY + 1))).toBe(true)
    log = act(log, CEO, { type: 'escalate', notify: [HEAD.id] }, DAY + 2 + DAY + 1)
    expect(project(log).escalations.map((x) => x.step)).toEqual([0, 1])
  })
})
