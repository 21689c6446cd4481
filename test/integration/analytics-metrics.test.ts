/**
 * The compact metrics field against the logs it is made from, on the demo portal (every history
 * played through the app's own writer): each contract's field decodes to exactly the facts its
 * log gives, the analytics read through the field computes the same report as the read of every
 * full log, without reading a log — and contracts whose field is missing or stale have their log
 * read instead, with the same numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { computeReport, contractFacts, decodeMetrics, NO_FILTER } from '../../src/domain/analytics/index.ts'
import { loadAnalytics, type AnalyticsData } from '../../src/services/analytics/loader.ts'
import { parseStored } from '../../src/services/approval/stored-log.ts'
import { startPortal, type Portal } from './approval/helpers.ts'

let portal: Portal

beforeAll(async () => {
  portal = await startPortal()
})
afterAll(() => portal?.close())

const NOW = '2030-01-01T00:00:00.000Z'
const report = (d: AnalyticsData) => computeReport(d.facts, NO_FILTER, { now: NOW, departmentsOf: (id) => d.users.get(id)?.departmentIds ?? [] })

describe('the metrics field on the demo portal', () => {
  it('decodes, for every contract with a history, to exactly the facts of its log', async () => {
    const port = portal.port(PEOPLE.admin)
    const f = portal.space.fields
    const rows = await port.list<Record<string, unknown>>('crm.item.list', {
      entityTypeId: portal.space.entityTypeId, order: { id: 'ASC' }, select: ['id', 'stageId', f.round, f.approvalLog, f.metrics],
    }, { resultKey: 'items' })
    const withHistory = rows.filter((r) => typeof r[f.approvalLog] === 'string' && r[f.approvalLog] !== '')
    expect(withHistory.length).toBeGreaterThanOrEqual(34)
    for (const r of withHistory) {
      const id = Number(r.id)
      const parsed = parseStored(r[f.approvalLog])
      if (!parsed.ok) throw new Error(`log of ${id} unreadable`)
      const m = decodeMetrics(id, r[f.metrics])
      expect(m, `metrics of ${id}`).not.toBeNull()
      expect(m?.facts).toEqual(contractFacts(id, parsed.stored.log))
      expect(m?.sig).toBe(`${String(r.stageId)}|${Number(r[f.round])}`)
      // Compact: a fraction of the log it measures.
      expect(String(r[f.metrics]).length).toBeLessThan(String(r[f.approvalLog]).length / 2)
    }
  })

  it('gives the same facts and report as reading every log, in 2 requests and without a log', async () => {
    const viaMetrics = await loadAnalytics(portal.port(PEOPLE.admin), portal.space)
    const viaLogs = await loadAnalytics(portal.port(PEOPLE.admin), portal.space, { metrics: false })
    expect(viaMetrics.requests).toBe(2)
    expect(viaMetrics.facts.length).toBe(43)
    expect(viaMetrics.facts).toEqual(viaLogs.facts)
    expect(viaMetrics.unreadable).toBe(viaLogs.unreadable)
    expect(report(viaMetrics)).toEqual(report(viaLogs))
    expect(report(viaMetrics).counts.values).toEqual({ submitted: 34, approved: 15, returned: 5, withdrawn: 3, inFlight: 11 })
  })

  it('reads the log of a contract whose field is missing (older data) or stale (stage changed outside the app), with the same numbers', async () => {
    const admin = portal.port(PEOPLE.admin)
    const f = portal.space.fields
    const before = await loadAnalytics(admin, portal.space, { metrics: false })
    const submitted = before.facts.filter((x) => x.outcome !== 'draft').map((x) => x.id)
    const [older, moved] = submitted
    if (older === undefined || moved === undefined) throw new Error('demo has no submitted contracts')
    // Written before the field existed: the log and the round, no metrics.
    await admin.call('crm.item.update', { entityTypeId: portal.space.entityTypeId, id: older, fields: { [f.metrics]: '' } })
    // Moved to another stage by hand in the CRM: the field no longer matches the item.
    const stage = before.facts.find((x) => x.id === moved)?.outcome === 'approved' ? 'RETURNED' : 'ORIGINALS'
    await admin.call('crm.item.update', {
      entityTypeId: portal.space.entityTypeId, id: moved, fields: { stageId: `DT${portal.space.entityTypeId}_${portal.space.categoryId}:${stage}` },
    })
    const viaMetrics = await loadAnalytics(admin, portal.space)
    const viaLogs = await loadAnalytics(admin, portal.space, { metrics: false })
    // One more batch: the two logs, by id.
    expect(viaMetrics.requests).toBe(3)
    expect(viaMetrics.facts).toEqual(viaLogs.facts)
    expect(viaMetrics.facts).toEqual(before.facts)
    expect(report(viaMetrics)).toEqual(report(viaLogs))
  })
})
