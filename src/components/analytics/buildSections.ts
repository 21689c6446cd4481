/**
 * The report as the tab's blocks: each a chart and a table of the same numbers, rows carrying
 * the contracts behind them. Hours and percentages are rounded to one decimal, as the CSV has them.
 */
import type { AnalyticsReport, ApproverRow, StepRow } from '../../domain/analytics/report.ts'
import { round1 } from '../../domain/analytics/stats.ts'
import type { Translate } from '../../locales/index.ts'
import type { Section, SectionRow } from './section.ts'

export interface Names {
  person: (id: number, fallback: string | null) => string
  date: (iso: string) => string
}

const pct = (x: number | null): number | null => (x === null ? null : round1(x * 100))

export function buildSections(r: AnalyticsReport, t: Translate, names: Names): Section[] {
  const c = (key: string) => t(`analytics.columns.${key}`)
  const waitColumns = [c('median'), c('p90'), c('decided'), c('breaches'), c('returns'), c('returnRate'), c('waitingNow')]
  const waitCells = (s: StepRow | ApproverRow) => [
    round1(s.medianHours), round1(s.p90Hours), s.count, s.breaches, s.returns, pct(s.returnRate), s.waitingNow,
  ]
  const approverName = (a: ApproverRow) => names.person(a.approverId, a.name)
  const stepRows: SectionRow[] = r.steps.map((s) => ({ key: s.title, label: s.title, cells: [s.title, ...waitCells(s)], ids: s.ids }))
  const approverRows: SectionRow[] = r.approvers.map((a) => ({ key: String(a.approverId), label: approverName(a), cells: [approverName(a), ...waitCells(a)], ids: a.ids }))
  const byRate = <T extends StepRow | ApproverRow>(rows: readonly T[]) => [...rows].filter((x) => x.returnRate !== null).sort((a, b) => (b.returnRate ?? 0) - (a.returnRate ?? 0))
  const byBreaches = [...r.approvers].filter((a) => a.breaches > 0).sort((a, b) => b.breaches - a.breaches)
  const stepReturns = byRate(r.steps)
  const approverReturns = byRate(r.approvers)

  return [
    {
      id: 'trend',
      title: t('analytics.time.title'),
      chart: { kind: 'line', values: r.weeks.map((w) => round1(w.medianHours)) },
      columns: [t('analytics.time.week'), c('median')],
      rows: r.weeks.map((w) => ({ key: w.week, label: names.date(w.week), cells: [names.date(w.week), round1(w.medianHours)], ids: w.ids })),
    },
    { id: 'steps', title: t('analytics.sections.steps'), chart: { kind: 'bar', horizontal: true, values: r.steps.map((s) => round1(s.medianHours)) }, columns: [c('step'), ...waitColumns], rows: stepRows },
    {
      id: 'approvers', title: t('analytics.sections.approvers'), chart: { kind: 'bar', horizontal: true, values: r.approvers.map((a) => round1(a.medianHours)) },
      columns: [c('approver'), ...waitColumns], rows: approverRows,
    },
    {
      id: 'breaches', title: t('analytics.sections.breaches'), chart: { kind: 'bar', horizontal: true, values: byBreaches.map((a) => a.breaches) },
      columns: [c('approver'), c('breaches')],
      rows: byBreaches.map((a) => ({ key: String(a.approverId), label: approverName(a), cells: [approverName(a), a.breaches], ids: a.breachIds })),
    },
    {
      id: 'step-returns', title: t('analytics.sections.stepReturns'), chart: { kind: 'bar', horizontal: true, values: stepReturns.map((s) => pct(s.returnRate)) },
      columns: [c('step'), c('returns'), c('returnRate')],
      rows: stepReturns.map((s) => ({ key: s.title, label: s.title, cells: [s.title, s.returns, pct(s.returnRate)], ids: s.returnIds })),
    },
    {
      id: 'approver-returns', title: t('analytics.sections.approverReturns'), chart: { kind: 'bar', horizontal: true, values: approverReturns.map((a) => pct(a.returnRate)) },
      columns: [c('approver'), c('returns'), c('returnRate')],
      rows: approverReturns.map((a) => ({ key: String(a.approverId), label: approverName(a), cells: [approverName(a), a.returns, pct(a.returnRate)], ids: a.returnIds })),
    },
    {
      id: 'rounds', title: t('analytics.sections.rounds'), chart: { kind: 'bar', values: r.rounds.map((x) => x.count) },
      columns: [c('rounds')],
      rows: r.rounds.map((x) => ({ key: String(x.rounds), label: String(x.rounds), cells: [x.rounds], ids: x.ids })),
    },
    {
      id: 'words', title: t('analytics.sections.words'), chart: { kind: 'bar', horizontal: true, values: r.words.map((w) => w.count) },
      columns: [c('word')],
      rows: r.words.map((w) => ({ key: w.word, label: w.word, cells: [w.word], ids: w.ids })),
    },
    {
      id: 'waiting', title: t('analytics.sections.waiting'), chart: { kind: 'bar', horizontal: true, values: r.waiting.slice(0, 15).map((w) => round1(w.hours)) },
      columns: [c('contract'), c('waitingStep'), c('waitingFor'), c('waitingHours'), c('overdue')],
      rows: r.waiting.slice(0, 15).map((w) => {
        const title = `${w.number ?? t('analytics.noNumber')} · ${w.title}`
        return {
          key: String(w.contractId), label: title,
          cells: [title, w.stepTitle, w.approverIds.map((id) => names.person(id, null)).join(', '), round1(w.hours), c(w.overdue ? 'yes' : 'no')],
          ids: [w.contractId],
        }
      }),
    },
  ]
}
