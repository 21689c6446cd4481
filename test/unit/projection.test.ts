// The projection is what the card tab renders and what is written beside the log (stage,
// current approvers, round, deadline): it must follow from the events alone.
import { describe, expect, it } from 'vitest'
import { addHours, changesSinceLastRound, earlierDecisionsOf, EMPTY_LOG, INITIAL_PROJECTION, project, STAGES, type ApprovalEvent } from '../../src/domain/index.ts'
import { act, at, AUTHOR, CEO, CFO, LAWYER, LAWYER2, resubmitCmd, SECURITY, submittedLog } from './fixtures.ts'

describe('project', () => {
  it('an empty log is a draft', () => {
    expect(project(EMPTY_LOG)).toEqual(INITIAL_PROJECTION)
    expect(INITIAL_PROJECTION.stageCode).toBe('NEW')
  })

  it('stage codes are the schema\'s', () => {
    const codes = STAGES.map((s) => s.code)
    const log = act(submittedLog(), LAWYER, { type: 'return', comment: 'Нет' }, 1)
    expect(codes).toContain(project(submittedLog()).stageCode)
    expect(codes).toContain(project(log).stageCode)
  })

  it('computes the deadline from the step start plus SLA hours, across midnight and month end', () => {
    expect(addHours('2026-11-30T20:00:00.000Z', 48)).toBe('2026-12-02T20:00:00.000Z')
    let log = submittedLog(2_000_000)
    log = act(log, LAWYER, { type: 'approve' }, 90)
    log = act(log, SECURITY, { type: 'approve' }, 120)
    const p = project(log)
    expect(p.steps[2]).toMatchObject({ title: 'Финансовый директор', status: 'current', startedAt: at(120), deadline: at(120 + 48 * 60) })
    expect(p.deadline).toBe(at(120 + 48 * 60))
    expect(p.steps[3]).toMatchObject({ status: 'waiting', startedAt: null, deadline: null })
  })

  it('marks what each approver said in earlier rounds and shows the last round\'s return comments', () => {
    let log = submittedLog(2_000_000)
    log = act(log, LAWYER, { type: 'approve', comment: 'Чисто' }, 10)
    log = act(log, SECURITY, { type: 'approve' }, 20)
    log = act(log, CFO, { type: 'return', comment: 'Снизьте сумму' }, 30)
    log = act(log, AUTHOR, resubmitCmd(900_000, 702), 60)
    let p = project(log)
    expect(p.round).toBe(2)
    expect(earlierDecisionsOf(p, LAWYER.id).map((d) => [d.round, d.stepTitle, d.decision, d.comment])).toEqual([[1, 'Юрист', 'approved', 'Чисто']])
    expect(earlierDecisionsOf(p, CFO.id).map((d) => d.decision)).toEqual(['returned'])
    expect(earlierDecisionsOf(p, LAWYER2.id)).toEqual([])
    expect(p.returnComments.map((d) => [d.round, d.actor.id, d.comment])).toEqual([[1, CFO.id, 'Снизьте сумму']])
    // Round 2 runs on the standard route (the amount dropped below 1 000 000): no CFO.
    expect(p.route?.routeId).toBe('standard')
    expect(p.steps.map((s) => s.approverIds)).toEqual([[LAWYER.id, LAWYER2.id], [SECURITY.id], [CEO.id]])
    expect(changesSinceLastRound(p)).toEqual([
      { field: 'amount', before: 2_000_000, after: 900_000 },
      { field: 'document', before: 700, after: 702 },
    ])
    // A decision in the current round is not an "earlier" one.
    log = act(log, LAWYER, { type: 'approve' }, 70)
    p = project(log)
    expect(earlierDecisionsOf(p, LAWYER.id)).toHaveLength(1)
    expect(p.decisions.filter((d) => d.actor.id === LAWYER.id)).toHaveLength(2)
  })

  it('there are no changes to show in round 1', () => {
    expect(changesSinceLastRound(project(submittedLog()))).toEqual([])
  })

  it('ignores events that break the rules (a hand-built log), recording why', () => {
    const log = submittedLog()
    const e0 = log.events[0]!
    const bogus: ApprovalEvent = { id: 'zz', n: 1, type: 'archived', at: e0.at, actor: e0.actor, round: e0.round, step: null, prevHash: e0.hash, hash: e0.hash }
    const p = project({ events: [...log.events, bogus] })
    expect(p.ignored).toEqual([{ eventId: 'zz', reason: 'wrongStage' }])
    expect(p.stageCode).toBe('APPROVAL')
  })

  it('a submission without a usable frozen route is an invalid event', () => {
    const first = submittedLog().events[0]!
    if (first.type !== 'submitted') expect.fail('the log starts with its submission')
    const p = project({ events: [{ ...first, route: { ...first.route, steps: [] } }] })
    expect(p.ignored).toEqual([{ eventId: first.id, reason: 'invalidEvent' }])
    expect(p.stageCode).toBe('NEW')
    expect(project({ events: [{ ...first, type: 'bogus' as never }] }).ignored[0]?.reason).toBe('invalidEvent')
  })
})
