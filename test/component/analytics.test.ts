/**
 * One block of the Analytics tab: the table beside the chart shows the chart's numbers, a row's
 * button drills down to the contracts behind it, and the CSV has the table's rows (BOM, `;`).
 * The report comes from logs built with decide(), as in the unit tests.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import AnalyticsSection from '../../src/components/analytics/AnalyticsSection.vue'
import { buildSections } from '../../src/components/analytics/buildSections.ts'
import { computeReport, contractFacts, NO_FILTER } from '../../src/domain/analytics/index.ts'
import { createTranslator, loadMessages } from '../../src/locales/index.ts'
import { act, LAWYER, SECURITY, submittedLog } from '../unit/fixtures.ts'
import { mountApp } from './setup.ts'

const H = 60
const returned = act(act(submittedLog(), LAWYER, { type: 'approve' }, 5 * H), SECURITY, { type: 'return', comment: 'Нет лицензии.' }, 9 * H)
const approvedByLawyer = act(submittedLog(), LAWYER, { type: 'approve' }, 12 * H)
const report = computeReport([contractFacts(11, returned), contractFacts(12, approvedByLawyer)], NO_FILTER, {
  now: new Date(Date.parse(approvedByLawyer.events[0]!.at) + 20 * 3_600_000).toISOString(),
  departmentsOf: () => [],
})
const t = createTranslator('ru', await loadMessages('ru'))
const names = { person: (id: number, fallback: string | null) => fallback ?? `#${id}`, date: (iso: string) => iso }
const sections = buildSections(report, t, names)
const section = (id: string) => sections.find((s) => s.id === id)!

afterEach(() => {
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

describe('AnalyticsSection', () => {
  it('shows the chart\'s numbers in its table and drills down from a row', async () => {
    const steps = section('steps')
    expect(steps.rows.map((r) => r.label)).toEqual(['Юрист', 'Служба безопасности'])
    expect(steps.chart.values).toEqual([8.5, 4])
    const { wrapper } = mountApp(AnalyticsSection, { props: { section: steps } })
    const rows = wrapper.findAll('[data-testid="analytics-table-steps"] tbody tr')
    expect(rows.map((r) => r.findAll('td').map((td) => td.text()))).toEqual([
      // step, median, p90, completed, breaches, returns, return rate %, waiting now, contracts
      ['Юрист', '8,5', '12', '2', '0', '0', '0', '0', '2'],
      ['Служба безопасности', '4', '4', '1', '0', '1', '100', '1', '2'],
    ])
    await rows[1]!.find('[data-testid="analytics-drill"]').trigger('click')
    expect(wrapper.emitted('drill')).toEqual([['Служба безопасности', [11, 12]]])
    wrapper.unmount()
  })

  it('exports the table as CSV for Excel', async () => {
    let saved: Blob | null = null
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      saved = b as Blob
      return 'blob:analytics'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const { wrapper } = mountApp(AnalyticsSection, { props: { section: section('step-returns') } })
    await wrapper.find('[data-testid="analytics-csv-step-returns"]').trigger('click')
    const text = await (saved as unknown as Blob).text()
    expect(text).toBe('\uFEFFШаг;Возвратов;Доля возвратов, %;Договоров\r\nСлужба безопасности;1;100;1\r\nЮрист;0;0;0\r\n')
    wrapper.unmount()
  })
})
