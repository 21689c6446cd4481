// The compact metrics field (src/domain/analytics/metrics.ts): decoding gives back exactly the
// facts of the log it was made from — returns, parallel steps, delegation, withdrawal, still in
// flight, drafts — and anything it cannot vouch for decodes to null, so readers take the log.
import { describe, expect, it } from 'vitest'
import { EMPTY_LOG, type ApprovalLog } from '../../src/domain/index.ts'
import {
  computeReport, contractFacts, decodeMetrics, encodeMetrics, METRICS_BUDGET, metricsSignature, NO_FILTER, projectMetrics, type ContractFacts,
} from '../../src/domain/analytics/index.ts'
import { act, at, AUTHOR, CEO, LAWYER, person, resubmitCmd, SECURITY, singleStepRoutes, submitCmd, submittedLog } from './fixtures.ts'

const H = 60
const SIG = metricsSignature('DT1036_7:APPROVAL', 2)

function logs(): Record<string, ApprovalLog> {
  const approved = act(act(act(submittedLog(), LAWYER, { type: 'approve' }, 10 * H), SECURITY, { type: 'approve' }, 30 * H), CEO, { type: 'approve' }, 100 * H)
  let returned = act(submittedLog(), LAWYER, { type: 'approve' }, 2 * H)
  returned = act(returned, SECURITY, { type: 'return', comment: 'Нет лицензии у контрагента. Запросите «копию» лицензии.\n"цитата"' }, 10 * H)
  returned = act(returned, AUTHOR, resubmitCmd(500_000), 20 * H)
  const delegated = act(submittedLog(), LAWYER, { type: 'delegate', to: { id: 77, name: 'Заместитель Юриста' } }, 5 * H)
  const routeSet = singleStepRoutes('all', [201, 202, 203])
  const parallel = act(act(EMPTY_LOG, AUTHOR, submitCmd(500_000, { routeSet }), 0), person(202), { type: 'approve' }, 2 * H)
  const withdrawn = act(submittedLog(), AUTHOR, { type: 'withdraw' }, 3 * H)
  return { approved, returned, delegated, parallel, withdrawn, inFlight: submittedLog(), draft: EMPTY_LOG }
}

describe('metrics field round trip', () => {
  for (const [name, log] of Object.entries(logs())) {
    it(`${name}: the decoded facts equal the log's`, () => {
      const facts = contractFacts(9, log)
      const text = encodeMetrics(facts, SIG)
      expect(text).not.toBe('')
      const back = decodeMetrics(9, text)
      expect(back?.sig).toBe(SIG)
      expect(back?.facts).toEqual(facts)
      // The object shape a portal may hand back decoded reads the same.
      expect(decodeMetrics(9, JSON.parse(text))?.facts).toEqual(facts)
    })
  }

  it('gives the same report as the logs, and is far smaller than them', () => {
    const all = Object.values(logs())
    const fromLogs = all.map((log, i) => contractFacts(i + 1, log))
    const fromMetrics = all.map((log, i) => decodeMetrics(i + 1, projectMetrics(log, 'DT1_0:NEW', 0))?.facts as ContractFacts)
    const ctx = { now: at(1000 * H), departmentsOf: () => [] }
    expect(computeReport(fromMetrics, NO_FILTER, ctx)).toEqual(computeReport(fromLogs, NO_FILTER, ctx))
    const returned = logs().returned as ApprovalLog
    expect(projectMetrics(returned, 'x', 2).length).toBeLessThan(JSON.stringify(returned).length / 4)
  })

  it('keeps a time that is not in toISOString form as its text', () => {
    const facts = contractFacts(1, submittedLog())
    const odd = { ...facts, submittedAt: '2026-11-02T12:00:00+03:00', visits: facts.visits.map((v) => ({ ...v, deadline: '2026-11-05' })) }
    expect(decodeMetrics(1, encodeMetrics(odd, SIG))?.facts).toEqual(odd)
  })

  it('leaves the field empty when it would pass its budget (readers take the log)', () => {
    const facts = contractFacts(1, submittedLog())
    const huge = { ...facts, returns: Array.from({ length: 40 }, (_, i) => ({ round: 1, step: 0, stepTitle: 'Юрист', approverId: 20, at: at(i), comment: 'ж'.repeat(2000) })) }
    expect(encodeMetrics(huge, SIG)).toBe('')
    expect(METRICS_BUDGET).toBeLessThan(65_535)
  })

  it('decodes to null what it cannot vouch for: empty, not JSON, another version, a broken row', () => {
    const text = encodeMetrics(contractFacts(1, submittedLog()), SIG)
    const data = JSON.parse(text) as Record<string, unknown>
    expect(decodeMetrics(1, '')).toBeNull()
    expect(decodeMetrics(1, null)).toBeNull()
    expect(decodeMetrics(1, '{"v":1')).toBeNull()
    expect(decodeMetrics(1, { ...data, v: 2 })).toBeNull()
    expect(decodeMetrics(1, { ...data, o: 'lost' })).toBeNull()
    expect(decodeMetrics(1, { ...data, se: [[1, 0, 99, 20, 0, null, 0, 'p']] })).toBeNull()
    expect(decodeMetrics(1, { ...data, vi: [[1, 0, 0, 0, null, 0, 'd']] })).toBeNull()
  })
})
