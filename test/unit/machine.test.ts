// Every transition of the approval state machine and every refusal code, driven through
// decide() the way the card tab will: the test owns ids and the clock.
import { describe, expect, it } from 'vitest'
import {
  checkBudget,
  APPROVAL_LOG_MAX_BYTES,
  changesSinceLastRound,
  COMMENT_MAX_LENGTH,
  logBytes,
  type Command,
  type Outcome,
  decide,
  EMPTY_LOG,
  project,
  verifyLog,
  type ApprovalLog,
  type RouteSet,
} from '../../src/domain/index.ts'
import {
  act, at, AUTHOR, CEO, CFO, HEAD, LAWYER, LAWYER2, must, nextId, person, refusalOf, resubmitCmd, ROUTES, SECURITY,
  singleStepRoutes, STRANGER, submitCmd, submittedLog,
} from './fixtures.ts'

/** Standard route driven to the end: lawyer → security → CEO. */
function approvedLog(): ApprovalLog {
  let log = submittedLog()
  log = act(log, LAWYER, { type: 'approve' }, 10)
  log = act(log, SECURITY, { type: 'approve' }, 20)
  return act(log, CEO, { type: 'approve' }, 30)
}

describe('submit', () => {
  it('freezes the route chosen by the amount and starts step 1 with its deadline', () => {
    const log = submittedLog(2_000_000)
    const p = project(log)
    expect(p.stageCode).toBe('APPROVAL')
    expect(p.round).toBe(1)
    expect(log.route?.routeId).toBe('large')
    expect(p.steps.map((s) => s.title)).toEqual(['Юрист', 'Служба безопасности', 'Финансовый директор', 'Генеральный директор'])
    expect(p.currentStep).toBe(0)
    expect(p.currentApprovers).toEqual([LAWYER.id, LAWYER2.id])
    expect(p.deadline).toBe(at(24 * 60))
    expect(p.author).toEqual(AUTHOR)
    expect(log.events[0]).toMatchObject({ type: 'submitted', round: 1, step: null, documentId: 700, n: 0 })
    expect(verifyLog(log)).toEqual({ ok: true })
  })

  it('resolves the head of the author\'s department on the small-deal route', () => {
    const log = act(EMPTY_LOG, AUTHOR, submitCmd(50_000), 0)
    expect(project(log).currentApprovers).toEqual([HEAD.id])
  })

  it('later route edits do not change a contract in flight', () => {
    let log = submittedLog()
    const edited: RouteSet = { ...ROUTES, version: 2, routes: ROUTES.routes.map((r) => ({ ...r, steps: r.steps.slice(0, 1) })) }
    log = act(log, LAWYER, { type: 'approve' }, 5)
    expect(project(log).steps).toHaveLength(3)
    expect(log.route?.version).toBe(1)
    const fresh = act(EMPTY_LOG, AUTHOR, submitCmd(500_000, { routeSet: edited }), 6)
    expect(project(fresh).steps).toHaveLength(1)
    expect(fresh.route?.version).toBe(2)
  })

  it('refuses without a matching route, with an invalid route, or with nobody to approve', () => {
    const noDefault: RouteSet = { ...ROUTES, routes: ROUTES.routes.filter((r) => !r.isDefault) }
    expect(refusalOf(EMPTY_LOG, AUTHOR, submitCmd(500_000, { routeSet: noDefault }))).toBe('noRouteMatches')
    const broken: RouteSet = { ...ROUTES, routes: ROUTES.routes.map((r) => (r.isDefault ? { ...r, steps: [] } : r)) }
    const outcome = decide(EMPTY_LOG, submitCmd(500_000, { routeSet: broken }), { eventId: nextId(), at: at(0), actor: AUTHOR })
    expect(outcome).toMatchObject({ ok: false, reason: 'routeInvalid', issues: [{ code: 'noSteps', routeId: 'standard' }] })
    const headless = decide(EMPTY_LOG, submitCmd(1_000, { departmentHeadIds: [] }), { eventId: nextId(), at: at(0), actor: AUTHOR })
    expect(headless).toMatchObject({ ok: false, reason: 'approverUnresolved', emptyStep: 0 })
  })

  it('refuses a second submission', () => {
    expect(refusalOf(submittedLog(), AUTHOR, submitCmd(1))).toBe('wrongStage')
  })
})

describe('approve', () => {
  it('moves through the steps and the last approval means approved, awaiting originals', () => {
    let log = submittedLog()
    log = act(log, LAWYER2, { type: 'approve', comment: '  Замечаний нет ' }, 10)
    let p = project(log)
    expect(p.currentStep).toBe(1)
    expect(p.currentApprovers).toEqual([SECURITY.id])
    expect(p.steps[0]).toMatchObject({ status: 'approved', completedAt: at(10) })
    expect(p.steps[1]).toMatchObject({ status: 'current', startedAt: at(10), deadline: at(10 + 24 * 60) })
    expect(p.decisions[0]).toMatchObject({ decision: 'approved', comment: 'Замечаний нет', actor: LAWYER2 })
    log = act(log, SECURITY, { type: 'approve' }, 20)
    log = act(log, CEO, { type: 'approve' }, 30)
    p = project(log)
    expect(p.stageCode).toBe('ORIGINALS')
    expect(p.currentApprovers).toEqual([])
    expect(p.currentStep).toBeNull()
    expect(p.deadline).toBeNull()
    expect(p.steps.map((s) => s.status)).toEqual(['approved', 'approved', 'approved'])
  })

  it('an `all` step waits for every approver', () => {
    const routes = singleStepRoutes('all', [1, 2, 3])
    let log = act(EMPTY_LOG, AUTHOR, submitCmd(1, { routeSet: routes }), 0)
    log = act(log, person(2), { type: 'approve' }, 1)
    expect(project(log).currentApprovers).toEqual([1, 3])
    log = act(log, person(1), { type: 'approve' }, 2)
    expect(project(log).currentStep).toBe(0)
    log = act(log, person(3), { type: 'approve' }, 3)
    expect(project(log)).toMatchObject({ currentStep: 1, currentApprovers: [CEO.id] })
  })

  it('refuses someone who is not a current approver', () => {
    expect(refusalOf(submittedLog(), SECURITY, { type: 'approve' })).toBe('notCurrentApprover')
    expect(refusalOf(submittedLog(), STRANGER, { type: 'approve' })).toBe('notCurrentApprover')
    // The author is refused before anything else (issue 8: never approves her own contract).
    expect(refusalOf(submittedLog(), AUTHOR, { type: 'approve' })).toBe('authorCannotDecide')
  })

  it('a double click with two ids records one approval', () => {
    const routes = singleStepRoutes('all', [1, 2])
    let log = act(EMPTY_LOG, AUTHOR, submitCmd(1, { routeSet: routes }), 0)
    log = act(log, person(1), { type: 'approve' }, 1)
    expect(refusalOf(log, person(1), { type: 'approve' })).toBe('alreadyDecided')
    // On an `any` step the step has moved on; the click names the step the user saw.
    let std = act(submittedLog(), LAWYER, { type: 'approve', round: 1, step: 0 }, 1)
    expect(refusalOf(std, LAWYER, { type: 'approve', round: 1, step: 0 })).toBe('alreadyDecided')
    std = act(std, SECURITY, { type: 'approve' }, 2)
    expect(project(std).decisions).toHaveLength(2)
  })

  it('a retry with the same event id records one event and reports the duplicate', () => {
    const log = submittedLog()
    const id = nextId()
    const first = must(decide(log, { type: 'approve' }, { eventId: id, at: at(5), actor: LAWYER }))
    const again = must(decide(first.log, { type: 'approve' }, { eventId: id, at: at(6), actor: LAWYER }))
    expect(again.duplicate).toBe(true)
    expect(again.log.events).toHaveLength(2)
    expect(again.event).toEqual(first.event)
    expect(refusalOf(first.log, SECURITY, { type: 'approve' }, id)).toBe('duplicateEventId')
  })

  it('refuses a decision on a step that is no longer current', () => {
    const log = act(submittedLog(), LAWYER, { type: 'approve' }, 1)
    expect(refusalOf(log, LAWYER2, { type: 'return', comment: 'Нет', round: 1, step: 0 })).toBe('staleDecision')
    expect(refusalOf(log, SECURITY, { type: 'approve', round: 1, step: 2 })).toBe('staleDecision')
  })

  it('refuses approving a draft or an approved contract', () => {
    expect(refusalOf(EMPTY_LOG, LAWYER, { type: 'approve' })).toBe('wrongStage')
    expect(refusalOf(approvedLog(), CEO, { type: 'approve' })).toBe('wrongStage')
  })
})

describe('return and resubmit', () => {
  it('return needs a comment within the limit', () => {
    const log = submittedLog()
    expect(refusalOf(log, LAWYER, { type: 'return', comment: '   ' })).toBe('commentRequired')
    expect(refusalOf(log, LAWYER, { type: 'return', comment: 'я'.repeat(COMMENT_MAX_LENGTH + 1) })).toBe('commentTooLong')
    expect(refusalOf(log, LAWYER, { type: 'approve', comment: 'я'.repeat(COMMENT_MAX_LENGTH + 1) })).toBe('commentTooLong')
    act(log, LAWYER, { type: 'return', comment: 'я'.repeat(COMMENT_MAX_LENGTH) }, 1)
  })

  it('return sends the contract back; resubmit opens round 2 with a new snapshot and document', () => {
    let log = act(submittedLog(500_000), LAWYER, { type: 'approve' }, 10)
    log = act(log, SECURITY, { type: 'return', comment: 'Проверьте контрагента' }, 20)
    let p = project(log)
    expect(p).toMatchObject({ stageCode: 'RETURNED', round: 1, currentApprovers: [], deadline: null })
    expect(p.steps[1]?.status).toBe('returned')
    expect(p.returnComments.map((d) => d.comment)).toEqual(['Проверьте контрагента'])
    expect(refusalOf(log, SECURITY, { type: 'approve' })).toBe('wrongStage')
    expect(refusalOf(log, LAWYER, resubmitCmd(500_000))).toBe('notAuthor')

    log = act(log, AUTHOR, resubmitCmd(1_500_000, 701), 60)
    p = project(log)
    expect(p).toMatchObject({ stageCode: 'APPROVAL', round: 2, currentStep: 0 })
    expect(log.route?.routeId).toBe('large')
    expect(p.submissions.map((s) => [s.round, s.documentId, s.snapshot.amount])).toEqual([[1, 700, 500_000], [2, 701, 1_500_000]])
    expect(p.steps.every((s) => s.approvals.length === 0)).toBe(true)
    // What the security officer said in round 1 stays visible in round 2.
    expect(p.returnComments[0]).toMatchObject({ round: 1, actor: SECURITY })
  })

  it('without a new upload the next round keeps the previous document version', () => {
    const returned = act(submittedLog(), LAWYER, { type: 'return', comment: 'Поправьте сумму' }, 5)
    const { documentId: _none, ...noUpload } = resubmitCmd(450_000) as Extract<Command, { type: 'resubmit' }>
    const log = act(returned, AUTHOR, noUpload as Command, 6)
    expect(project(log).submissions.map((s) => s.documentId)).toEqual([700, 700])
    expect(changesSinceLastRound(project(log))).toEqual([{ field: 'amount', before: 500_000, after: 450_000 }])
  })

  it('resubmit is refused unless the contract was returned', () => {
    expect(refusalOf(submittedLog(), AUTHOR, resubmitCmd(1))).toBe('wrongStage')
  })
})

describe('withdraw', () => {
  it('the author withdraws a contract on approval or returned', () => {
    const log = act(submittedLog(), AUTHOR, { type: 'withdraw', comment: 'Сделка отменена' }, 5)
    expect(project(log)).toMatchObject({ stageCode: 'WITHDRAWN', currentApprovers: [], currentStep: null })
    expect(project(log).steps[0]?.status).toBe('cancelled')
    const returned = act(submittedLog(), LAWYER, { type: 'return', comment: 'Нет' }, 5)
    expect(project(act(returned, AUTHOR, { type: 'withdraw' }, 6)).stageCode).toBe('WITHDRAWN')
  })

  it('only the author, and not from a draft or after approval', () => {
    expect(refusalOf(submittedLog(), LAWYER, { type: 'withdraw' })).toBe('notAuthor')
    expect(refusalOf(EMPTY_LOG, AUTHOR, { type: 'withdraw' })).toBe('wrongStage')
    expect(refusalOf(approvedLog(), AUTHOR, { type: 'withdraw' })).toBe('wrongStage')
    const withdrawn = act(submittedLog(), AUTHOR, { type: 'withdraw' }, 5)
    expect(refusalOf(withdrawn, LAWYER, { type: 'approve' })).toBe('wrongStage')
  })
})

describe('delegate', () => {
  it('hands the seat to someone else, who can then approve', () => {
    let log = act(submittedLog(), LAWYER, { type: 'delegate', to: CFO }, 5)
    expect(project(log).currentApprovers).toEqual([CFO.id, LAWYER2.id])
    expect(refusalOf(log, LAWYER, { type: 'approve' })).toBe('notCurrentApprover')
    log = act(log, CFO, { type: 'approve' }, 6)
    expect(project(log).currentStep).toBe(1)
  })

  it('refuses delegating to oneself or to someone already on the step', () => {
    expect(refusalOf(submittedLog(), LAWYER, { type: 'delegate', to: LAWYER })).toBe('invalidDelegate')
    expect(refusalOf(submittedLog(), LAWYER, { type: 'delegate', to: LAWYER2 })).toBe('invalidDelegate')
    expect(refusalOf(submittedLog(), STRANGER, { type: 'delegate', to: CFO })).toBe('notCurrentApprover')
  })
})

describe('originals and archive', () => {
  it('records receipt, then archives', () => {
    let log = act(approvedLog(), STRANGER, { type: 'receiveOriginal', receivedAt: '2026-11-05', storageLocation: ' Шкаф 3, полка 2 ' }, 100)
    expect(project(log).originals).toEqual({ receivedAt: '2026-11-05', storageLocation: 'Шкаф 3, полка 2', by: STRANGER, at: at(100) })
    expect(project(log).stageCode).toBe('ORIGINALS')
    expect(refusalOf(log, STRANGER, { type: 'receiveOriginal', receivedAt: '2026-11-06', storageLocation: 'x' })).toBe('alreadyReceived')
    log = act(log, STRANGER, { type: 'archive' }, 101)
    expect(project(log).stageCode).toBe('SUCCESS')
    expect(refusalOf(log, STRANGER, { type: 'archive' })).toBe('wrongStage')
  })

  it('refuses archiving before the originals arrive, and receipts without date or place', () => {
    expect(refusalOf(approvedLog(), STRANGER, { type: 'archive' })).toBe('originalsNotReceived')
    expect(refusalOf(approvedLog(), STRANGER, { type: 'receiveOriginal', receivedAt: '2026-11-05', storageLocation: ' ' })).toBe('originalsRequired')
    expect(refusalOf(approvedLog(), STRANGER, { type: 'receiveOriginal', receivedAt: '', storageLocation: 'Шкаф' })).toBe('originalsRequired')
    expect(refusalOf(approvedLog(), STRANGER, { type: 'receiveOriginal', receivedAt: '2026-11-05', storageLocation: 'x'.repeat(256) })).toBe('originalsRequired')
    expect(refusalOf(submittedLog(), STRANGER, { type: 'receiveOriginal', receivedAt: '2026-11-05', storageLocation: 'Шкаф' })).toBe('wrongStage')
  })
})

describe('purity', () => {
  it('never mutates the log it is given', () => {
    const log = deepFreeze(act(submittedLog(), LAWYER, { type: 'approve' }, 1))
    const copy = JSON.stringify(log)
    act(log, SECURITY, { type: 'return', comment: 'Нет' }, 2)
    act(log, SECURITY, { type: 'approve' }, 2)
    expect(JSON.stringify(log)).toBe(copy)
  })
})

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

describe('integrity and budget', () => {
  it('a log decide() made is taken as checked; the same history from anywhere else is checked again', () => {
    let log = submittedLog()
    for (const [n, who] of [LAWYER, SECURITY].entries()) {
      const out = must(decide(log, { type: 'approve' }, { eventId: nextId(), at: at(n + 1), actor: who }))
      log = out.log
      // What decide() hands back is what a replay of its log gives.
      expect(JSON.stringify(out.projection)).toBe(JSON.stringify(project(log)))
    }
    // The same log as stored and read back (a new object) with an edit: refused, not trusted.
    const read: ApprovalLog = JSON.parse(JSON.stringify(log))
    const edited: ApprovalLog = { ...read, events: read.events.map((e, i) => (i === 1 ? { ...e, at: at(99) } : e)) }
    expect(decide(edited, { type: 'approve' }, { eventId: nextId(), at: at(100), actor: CEO })).toMatchObject({ ok: false, reason: 'brokenChain' })
  })

  it('refuses to append on top of edited history and says where it broke', () => {
    const log = act(submittedLog(), LAWYER, { type: 'approve' }, 10)
    const tampered: ApprovalLog = { ...log, events: log.events.map((e, i) => (i === 0 ? { ...e, documentId: 999 } : e)) }
    const outcome = decide(tampered, { type: 'approve' }, { eventId: nextId(), at: at(20), actor: SECURITY })
    expect(outcome).toMatchObject({ ok: false, reason: 'brokenChain', check: { ok: false, problem: 'hashMismatch', index: 0 } })
  })

  it('refuses when the stored current route was swapped', () => {
    const log = submittedLog()
    const swapped: ApprovalLog = { ...log, route: { ...(log.route as NonNullable<ApprovalLog['route']>), steps: [{ title: 'x', mode: 'any', slaHours: 1, approverIds: [STRANGER.id] }] } }
    expect(refusalOf(swapped, STRANGER, { type: 'approve' })).toBe('brokenChain')
  })

  it('refuses an event that would push the log over the budget, keeping the log intact', () => {
    const log = submittedLog()
    const bytes = JSON.stringify(log).length
    const outcome = decide(log, { type: 'approve', comment: 'ok' }, { eventId: nextId(), at: at(1), actor: LAWYER, budgetBytes: bytes + 50 })
    expect(outcome).toMatchObject({ ok: false, reason: 'logOverBudget', limit: bytes + 50 })
    expect(!outcome.ok && (outcome.bytes as number) > bytes + 50).toBe(true)
    expect(log.events).toHaveLength(1)
  })

  it('the default budget holds a long realistic history: 20 rounds of return and resubmit', () => {
    let log = submittedLog()
    for (let r = 0; r < 20; r++) {
      log = act(log, LAWYER, { type: 'approve', comment: 'Юридически чисто' }, r * 10 + 1)
      log = act(log, SECURITY, { type: 'return', comment: 'Уточните реквизиты контрагента и приложите выписку ЕГРЮЛ' }, r * 10 + 2)
      log = act(log, AUTHOR, resubmitCmd(500_000 + r, 800 + r), r * 10 + 3)
    }
    expect(project(log).round).toBe(21)
    expect(logBytes(log)).toBeLessThan(APPROVAL_LOG_MAX_BYTES)
  })

  it('long comments eventually hit a clear logOverBudget, never truncation (the default budget is the whole history\'s)', () => {
    let log = submittedLog()
    const essay = 'Замечание юриста. '.repeat(110)
    // A smaller budget than the default 1 MB keeps the test quick; the rule is the same.
    const budgetBytes = 150_000
    let refusal: Outcome | undefined
    for (let r = 0; r < 100 && !refusal; r++) {
      const returned = decide(log, { type: 'return', comment: essay }, { eventId: nextId(), at: at(r * 2), actor: LAWYER, budgetBytes })
      if (!returned.ok) refusal = returned
      else log = act(returned.log, AUTHOR, resubmitCmd(500_000), r * 2 + 1)
    }
    expect(refusal).toMatchObject({ ok: false, reason: 'logOverBudget', limit: budgetBytes })
    expect(logBytes(log)).toBeLessThanOrEqual(budgetBytes)
    expect(verifyLog(log)).toEqual({ ok: true })
    expect(checkBudget({ ...log, events: [...log.events, ...log.events] })).toMatchObject({ ok: true })
    expect(APPROVAL_LOG_MAX_BYTES).toBe(1_000_000)
  })
})
