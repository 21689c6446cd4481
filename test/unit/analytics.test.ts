// Bottleneck analytics on logs built through decide(), the way the card tab writes them: the
// test owns the clock (minutes after T0), so every wait below is computed by hand.
import { describe, expect, it } from 'vitest'
import { EMPTY_LOG, type ApprovalLog } from '../../src/domain/index.ts'
import {
  commentWords, computeReport, contractFacts, median, NO_FILTER, percentile, toCsv, weekOf, type AnalyticsFilter, type ContractFacts,
  type ReportContext,
} from '../../src/domain/analytics/index.ts'
import { act, at, AUTHOR, CEO, CFO, HEAD, LAWYER, LAWYER2, person, resubmitCmd, SECURITY, singleStepRoutes, submitCmd, submittedLog } from './fixtures.ts'

const H = 60
const ctx = (nowHours: number, departments: Record<number, number[]> = {}): ReportContext => ({
  now: at(nowHours * H),
  departmentsOf: (id) => departments[id] ?? [],
})
const report = (facts: ContractFacts[], nowHours = 1000, filter: Partial<AnalyticsFilter> = {}, departments: Record<number, number[]> = {}) =>
  computeReport(facts, { ...NO_FILTER, ...filter }, ctx(nowHours, departments))

/** Standard route (lawyer → security → CEO) approved at 10 h, 30 h and 100 h. */
function approved(): ApprovalLog {
  let log = submittedLog()
  log = act(log, LAWYER, { type: 'approve' }, 10 * H)
  log = act(log, SECURITY, { type: 'approve' }, 30 * H)
  return act(log, CEO, { type: 'approve' }, 100 * H)
}

describe('one contract approved on the standard route', () => {
  const f = contractFacts(1, approved())

  it('measures every step from its turn to its decision', () => {
    expect(f.outcome).toBe('approved')
    expect(f.submittedAt).toBe(at(0))
    expect(f.approvedAt).toBe(at(100 * H))
    expect(f.visits.map((v) => [v.stepTitle, v.start, v.end, v.outcome])).toEqual([
      ['Юрист', at(0), at(10 * H), 'approved'],
      ['Служба безопасности', at(10 * H), at(30 * H), 'approved'],
      ['Генеральный директор', at(30 * H), at(100 * H), 'approved'],
    ])
  })

  it('reports time to approval, step waits worst first and the CEO past the 48 h SLA', () => {
    const r = report([f])
    expect(r.counts.values).toEqual({ submitted: 1, approved: 1, returned: 0, withdrawn: 0, inFlight: 0 })
    expect(r.timeToApproval).toMatchObject({ count: 1, medianHours: 100, p90Hours: 100 })
    expect(r.steps.map((s) => [s.title, s.medianHours, s.breaches])).toEqual([
      ['Генеральный директор', 70, 1],
      ['Служба безопасности', 20, 0],
      ['Юрист', 10, 0],
    ])
    expect(r.steps[0]?.breachIds).toEqual([1])
    expect(r.weeks).toEqual([{ week: weekOf(at(100 * H)), count: 1, medianHours: 100, ids: [1] }])
  })
})

describe('an any step', () => {
  it('counts only the lawyer who approved; the other lawyer waited for nothing', () => {
    const f = contractFacts(1, approved())
    const seats = f.seats.filter((s) => s.stepTitle === 'Юрист')
    expect(seats.map((s) => [s.approverId, s.outcome])).toEqual([[LAWYER.id, 'approved'], [LAWYER2.id, 'notNeeded']])
    const r = report([f])
    expect(r.approvers.map((a) => a.approverId)).not.toContain(LAWYER2.id)
    expect(r.approvers.find((a) => a.approverId === LAWYER.id)).toMatchObject({ count: 1, medianHours: 10, name: LAWYER.name })
  })
})

describe('a parallel all step', () => {
  const routeSet = singleStepRoutes('all', [201, 202, 203])
  function board(): ApprovalLog {
    let log = act(EMPTY_LOG, AUTHOR, submitCmd(500_000, { routeSet }), 0)
    log = act(log, person(202), { type: 'approve' }, 2 * H)
    log = act(log, person(201), { type: 'approve' }, 5 * H)
    return act(log, person(203), { type: 'approve' }, 9 * H)
  }

  it('counts each member from the step start to their own decision', () => {
    const r = report([contractFacts(1, board())], 9)
    const hours = Object.fromEntries(r.approvers.map((a) => [a.approverId, a.medianHours]))
    expect(hours).toEqual({ 201: 5, 202: 2, 203: 9, [CEO.id]: null })
    // The step itself waited for the last of them; 9 h past its 8 h SLA, charged to member 203 only.
    expect(r.steps.find((s) => s.title === 'Члены совета')).toMatchObject({ medianHours: 9, breaches: 1 })
    expect(r.approvers.find((a) => a.approverId === 203)?.breaches).toBe(1)
    expect(r.approvers.find((a) => a.approverId === 201)?.breaches).toBe(0)
    // The CEO's turn has just begun: waiting, not yet a measured wait.
    expect(r.approvers.find((a) => a.approverId === CEO.id)).toMatchObject({ count: 0, waitingNow: 1 })
  })

  it('a return by one member cancels the others still to decide', () => {
    let log = act(EMPTY_LOG, AUTHOR, submitCmd(500_000, { routeSet }), 0)
    log = act(log, person(201), { type: 'approve' }, 1 * H)
    log = act(log, person(202), { type: 'return', comment: 'Нет протокола совета.' }, 3 * H)
    const f = contractFacts(1, log)
    expect(f.seats.map((s) => [s.approverId, s.outcome])).toEqual([[201, 'approved'], [202, 'returned'], [203, 'cancelled']])
    const r = report([f], 3)
    expect(r.approvers.map((a) => a.approverId).sort()).toEqual([201, 202])
    expect(r.approvers.find((a) => a.approverId === 202)).toMatchObject({ returns: 1, returnRate: 1 })
    expect(r.approvers.find((a) => a.approverId === 201)).toMatchObject({ returns: 0, returnRate: 0 })
  })
})

describe('returns and rounds', () => {
  function returnedTwice(): ApprovalLog {
    let log = submittedLog()
    log = act(log, LAWYER, { type: 'approve' }, 4 * H)
    log = act(log, SECURITY, { type: 'return', comment: 'Нет лицензии у контрагента. Запросите копию лицензии.' }, 10 * H)
    log = act(log, AUTHOR, resubmitCmd(500_000), 20 * H)
    log = act(log, LAWYER, { type: 'return', comment: 'Подсудность не по шаблону; лицензия приложена не та.' }, 22 * H)
    log = act(log, AUTHOR, resubmitCmd(500_000, 702), 30 * H)
    log = act(log, LAWYER2, { type: 'approve' }, 31 * H)
    log = act(log, SECURITY, { type: 'approve' }, 35 * H)
    return act(log, CEO, { type: 'approve' }, 40 * H)
  }

  it('gives return rates per step and per approver, rounds per contract and the words', () => {
    const f = contractFacts(7, returnedTwice())
    expect(f.rounds).toBe(3)
    expect(f.returns.map((x) => [x.round, x.stepTitle, x.approverId])).toEqual([[1, 'Служба безопасности', SECURITY.id], [2, 'Юрист', LAWYER.id]])
    const r = report([f, contractFacts(8, approved())])
    const lawyer = r.steps.find((s) => s.title === 'Юрист')
    // Lawyer step: approved (10 h, contract 8), approved (4 h), returned (2 h), approved (1 h).
    expect(lawyer).toMatchObject({ count: 4, returns: 1, returnRate: 0.25, medianHours: 3, returnIds: [7] })
    expect(r.steps.find((s) => s.title === 'Служба безопасности')).toMatchObject({ returns: 1, returnRate: 1 / 3 })
    expect(r.approvers.find((a) => a.approverId === LAWYER.id)).toMatchObject({ returns: 1, returnRate: 1 / 3 })
    expect(r.rounds).toEqual([{ rounds: 1, count: 1, ids: [8] }, { rounds: 3, count: 1, ids: [7] }])
    expect(r.meanRounds).toBe(2)
    // Time to approval spans the returns: first submission to the CEO's approval.
    expect(r.timeToApproval.medianHours).toBe((40 + 100) / 2)
    // "лицензии"/"лицензия" are different words (no stemming); each comment counts a word once.
    expect(r.words.find((w) => w.word === 'лицензии')).toEqual({ word: 'лицензии', count: 1, ids: [7] })
    expect(r.words.map((w) => w.word)).toContain('подсудность')
  })
})

describe('delegation', () => {
  it('hands the wait to the delegate, and the breach to whoever held the seat when the deadline passed', () => {
    const deputy = person(77)
    let log = submittedLog()
    log = act(log, LAWYER, { type: 'delegate', to: deputy }, 5 * H)
    log = act(log, deputy, { type: 'approve' }, 30 * H)
    const f = contractFacts(1, log)
    expect(f.seats.filter((s) => s.stepTitle === 'Юрист').map((s) => [s.approverId, s.outcome, s.start, s.end])).toEqual([
      [LAWYER.id, 'delegated', at(0), at(5 * H)],
      [LAWYER2.id, 'notNeeded', at(0), at(30 * H)],
      [77, 'approved', at(5 * H), at(30 * H)],
    ])
    const r = report([f], 31)
    expect(r.approvers.find((a) => a.approverId === LAWYER.id)).toMatchObject({ medianHours: 5, breaches: 0 })
    expect(r.approvers.find((a) => a.approverId === 77)).toMatchObject({ medianHours: 25, breaches: 1, name: deputy.name })
    expect(r.steps.find((s) => s.title === 'Юрист')).toMatchObject({ medianHours: 30, breaches: 1 })
  })
})

describe('withdrawn and in flight', () => {
  it('a withdrawn contract counts as withdrawn; the cancelled turn is no wait and no breach', () => {
    let log = submittedLog()
    log = act(log, LAWYER, { type: 'approve' }, 2 * H)
    log = act(log, AUTHOR, { type: 'withdraw', comment: 'Клиент передумал.' }, 50 * H)
    const f = contractFacts(3, log)
    expect(f.outcome).toBe('withdrawn')
    const r = report([f])
    expect(r.counts.values).toMatchObject({ submitted: 1, withdrawn: 1, approved: 0 })
    expect(r.steps.map((s) => s.title)).toEqual(['Юрист'])
    expect(r.approvers.map((a) => a.approverId)).toEqual([LAWYER.id])
    expect(r.waiting).toEqual([])
  })

  it('a contract in flight waits now, longest first, overdue past its deadline', () => {
    const a = contractFacts(1, act(submittedLog(), LAWYER, { type: 'approve' }, 10 * H)) // security since 10 h
    const b = contractFacts(2, submittedLog()) // lawyer since 0 h
    const r = report([a, b], 40)
    expect(r.counts.values).toMatchObject({ submitted: 2, inFlight: 2 })
    expect(r.waiting.map((w) => [w.contractId, w.stepTitle, w.hours, w.overdue])).toEqual([
      [2, 'Юрист', 40, true],
      [1, 'Служба безопасности', 30, true],
    ])
    expect(r.waiting[0]?.approverIds).toEqual([LAWYER.id, LAWYER2.id])
    // Open turns are breaches already, but no measured wait yet.
    expect(r.steps.find((s) => s.title === 'Служба безопасности')).toMatchObject({ count: 0, waitingNow: 1, breaches: 1 })
  })

  it('a returned contract is with its author, not in flight', () => {
    const f = contractFacts(4, act(submittedLog(), LAWYER, { type: 'return', comment: 'Исправьте реквизиты.' }, 3 * H))
    expect(report([f]).counts.values).toMatchObject({ submitted: 1, returned: 1, inFlight: 0 })
  })

  it('a draft is not counted at all', () => {
    expect(report([contractFacts(9, EMPTY_LOG)]).counts.values.submitted).toBe(0)
  })
})

describe('SLA breach edges (lawyer step, 24 h)', () => {
  const decidedAt = (minutes: number) => contractFacts(1, act(submittedLog(), LAWYER, { type: 'approve' }, minutes))
  const lawyerBreaches = (f: ContractFacts, nowMinutes: number) =>
    computeReport([f], NO_FILTER, { now: at(nowMinutes), departmentsOf: () => [] }).steps.find((s) => s.title === 'Юрист')?.breaches

  it('a decision exactly at the deadline is in time, a minute later is late', () => {
    expect(lawyerBreaches(decidedAt(24 * H), 10_000)).toBe(0)
    expect(lawyerBreaches(decidedAt(24 * H + 1), 10_000)).toBe(1)
  })

  it('an open turn breaches only once now is past the deadline', () => {
    const open = contractFacts(1, submittedLog())
    expect(lawyerBreaches(open, 24 * H)).toBe(0)
    expect(lawyerBreaches(open, 24 * H + 1)).toBe(1)
    expect(computeReport([open], NO_FILTER, { now: at(24 * H), departmentsOf: () => [] }).waiting[0]?.overdue).toBe(false)
  })
})

describe('filters', () => {
  const big = contractFacts(1, act(EMPTY_LOG, AUTHOR, submitCmd(2_000_000), 0)) // large route, in flight
  const small = contractFacts(2, act(act(EMPTY_LOG, AUTHOR, submitCmd(100_000), 48 * H), HEAD, { type: 'approve' }, 50 * H)) // small
  const done = contractFacts(3, approved()) // standard, approved at 100 h

  it('by period of submission or of approval', () => {
    const day = (h: number) => at(h * H).slice(0, 10)
    expect(report([big, small, done], 200, { from: day(48), to: day(48) }).counts.values.submitted).toBe(1)
    expect(report([big, small, done], 200, { basis: 'approved', from: day(100), to: day(100) }).counts.ids.approved).toEqual([3])
    expect(report([big, small, done], 200, { basis: 'approved', from: day(0), to: day(1) }).counts.values.submitted).toBe(0)
  })

  it('by route, contract type, author department and counterparty', () => {
    expect(report([big, small, done], 200, { routeId: 'large' }).counts.ids.submitted).toEqual([1])
    expect(report([big, small, done], 200, { contractType: 'Лизинг' }).counts.values.submitted).toBe(0)
    expect(report([big, small, done], 200, { departmentId: 5 }, { [AUTHOR.id]: [5] }).counts.values.submitted).toBe(3)
    expect(report([big, small, done], 200, { departmentId: 6 }, { [AUTHOR.id]: [5] }).counts.values.submitted).toBe(0)
    expect(report([big, small, done], 200, { companyId: 5 }).counts.values.submitted).toBe(3)
    expect(report([big, small, done], 200, { companyId: 6 }).counts.values.submitted).toBe(0)
  })

  it('"waiting now" ignores the period but not the other filters', () => {
    const r = report([big, small, done], 200, { from: '2000-01-01', to: '2000-01-02' })
    expect(r.counts.values.submitted).toBe(0)
    expect(r.waiting.map((w) => w.contractId)).toEqual([1, 2])
    expect(report([big], 200, { routeId: 'small' }).waiting).toEqual([])
  })

  it('CFO on the large route appears only when reached', () => {
    expect(report([big], 200).steps.map((s) => s.title)).toEqual(['Юрист'])
    expect(report([big], 200).approvers.map((a) => a.approverId)).not.toContain(CFO.id)
  })
})

describe('building blocks', () => {
  it('median and nearest-rank p90', () => {
    expect(median([])).toBeNull()
    expect(median([5, 1, 3, 2])).toBe(2.5)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9)
    expect(percentile([7], 0.9)).toBe(7)
  })

  it('weeks start on Monday (UTC)', () => {
    expect(weekOf('2026-11-08T23:59:00Z')).toBe('2026-11-02')
    expect(weekOf('2026-11-09T00:00:00Z')).toBe('2026-11-09')
  })

  it('comment words: no stop words, ё as е, letters only, each once', () => {
    expect(commentWords('Нет лицензии. Запросите копию лицензии! Please send the licence, 2 копии')).toEqual([
      'лицензии', 'запросите', 'копию', 'send', 'licence', 'копии',
    ])
    expect(commentWords('Ещё раз: всё')).toEqual([])
  })

  it('CSV for Excel: BOM, semicolons, decimal comma, quoting', () => {
    expect(toCsv(['Шаг', 'Часы'], [['Юрист; старший', 12.5], ['"Главный"', null]])).toBe(
      '\uFEFFШаг;Часы\r\n"Юрист; старший";12,5\r\n"""Главный""";\r\n',
    )
  })

  it('CSV: a name a spreadsheet would run as a formula goes as text (the archive export\'s rule)', () => {
    expect(toCsv(['Согласующий'], [['=HYPERLINK("x")'], ['-1+1'], ['Юрист']])).toBe(
      '\uFEFFСогласующий\r\n"\'=HYPERLINK(""x"")"\r\n\'-1+1\r\nЮрист\r\n',
    )
  })
})
