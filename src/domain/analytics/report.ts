/**
 * The analytics tab's numbers from the contracts' facts (facts.ts): counts, time to approval,
 * waits per step and per approver, SLA breaches, returns, rounds, return words, and what waits
 * longest now. Every figure carries the contract ids behind it, for the drill-down.
 *
 * Definitions (what the tab's help text says):
 * - the period picks contracts by their first submission, or by their final approval; "waiting
 *   now" ignores the period (it is about today) but honours the other filters;
 * - counts are where each contract stands now: approved (awaiting originals or archived),
 *   returned (with the author), withdrawn, in flight (on approval); they add up to submitted;
 * - time to approval: first submission → approval of the last step, returns included;
 * - a step's wait: from becoming current to its approval or return; an approver's wait: from
 *   their turn to their decision (approve, return, or handing the seat on by delegation), each
 *   person of a parallel step counted on their own; someone not needed on an `any` step, or
 *   cancelled by a return or withdrawal, waited for nothing and is not counted;
 * - return rate: returns ÷ decisions (approvals + returns), per step and per approver.
 */

import { breached, hoursBetween, type ContractFacts, type Seat } from './facts'
import { median, percentile, weekOf, weeksBetween } from './stats'
import { commentWords } from './words'

export type PeriodBasis = 'submitted' | 'approved'

export interface AnalyticsFilter {
  /** `YYYY-MM-DD`, inclusive; null = open. */
  readonly from: string | null
  readonly to: string | null
  readonly basis: PeriodBasis
  readonly routeId: string | null
  readonly contractType: string | null
  /** The author's department. */
  readonly departmentId: number | null
  readonly companyId: number | null
}

export const NO_FILTER: AnalyticsFilter = { from: null, to: null, basis: 'submitted', routeId: null, contractType: null, departmentId: null, companyId: null }

export interface ReportContext {
  /** ISO time the open waits are measured to. */
  readonly now: string
  /** Departments of an author (from the portal's users); unknown = none. */
  readonly departmentsOf: (userId: number) => readonly number[]
}

export type CountKey = 'submitted' | 'approved' | 'returned' | 'withdrawn' | 'inFlight'

export interface Counts {
  readonly values: Readonly<Record<CountKey, number>>
  readonly ids: Readonly<Record<CountKey, readonly number[]>>
}

export interface WaitStats {
  /** Completed waits counted. */
  readonly count: number
  readonly medianHours: number | null
  readonly p90Hours: number | null
  /** Waits past the deadline, still open ones included. */
  readonly breaches: number
  readonly returns: number
  /** returns ÷ (approvals + returns); null when nobody decided. */
  readonly returnRate: number | null
  /** Open right now. */
  readonly waitingNow: number
  readonly ids: readonly number[]
  readonly breachIds: readonly number[]
  readonly returnIds: readonly number[]
}

export interface StepRow extends WaitStats {
  /** Steps are grouped by title across routes ("Юрист" is one bottleneck whatever the route). */
  readonly title: string
}

export interface ApproverRow extends WaitStats {
  readonly approverId: number
  readonly name: string | null
}

export interface WeekRow {
  /** Monday, `YYYY-MM-DD`. */
  readonly week: string
  readonly count: number
  readonly medianHours: number | null
  readonly ids: readonly number[]
}

export interface RoundsRow {
  readonly rounds: number
  readonly count: number
  readonly ids: readonly number[]
}

export interface WordRow {
  readonly word: string
  /** Returns whose comment has the word. */
  readonly count: number
  readonly ids: readonly number[]
}

export interface WaitingRow {
  readonly contractId: number
  readonly title: string
  readonly number: string | null
  readonly stepTitle: string
  readonly approverIds: readonly number[]
  readonly since: string
  readonly deadline: string
  readonly hours: number
  readonly overdue: boolean
}

export interface AnalyticsReport {
  readonly counts: Counts
  readonly timeToApproval: { readonly count: number; readonly medianHours: number | null; readonly p90Hours: number | null; readonly ids: readonly number[] }
  readonly weeks: readonly WeekRow[]
  /** Worst median wait first. */
  readonly steps: readonly StepRow[]
  readonly approvers: readonly ApproverRow[]
  readonly rounds: readonly RoundsRow[]
  readonly meanRounds: number | null
  readonly words: readonly WordRow[]
  /** Longest waiting first. */
  readonly waiting: readonly WaitingRow[]
  /** Contracts in the report whose early rounds were not read (log archive file). */
  readonly partial: number
}

const WORDS_SHOWN = 15

function inPeriod(f: ContractFacts, filter: AnalyticsFilter): boolean {
  const at = filter.basis === 'submitted' ? f.submittedAt : f.approvedAt
  if (at === null) return false
  const day = at.slice(0, 10)
  return (filter.from === null || day >= filter.from) && (filter.to === null || day <= filter.to)
}

function matches(f: ContractFacts, filter: AnalyticsFilter, ctx: ReportContext): boolean {
  if (f.outcome === 'draft') return false
  if (filter.routeId !== null && f.routeId !== filter.routeId) return false
  if (filter.contractType !== null && f.contractType !== filter.contractType) return false
  if (filter.companyId !== null && f.companyId !== filter.companyId) return false
  if (filter.departmentId !== null && (f.authorId === null || !ctx.departmentsOf(f.authorId).includes(filter.departmentId))) return false
  return true
}

/** The contracts a filter keeps: every filter but the period (for "waiting now"), and with it. */
export function selectContracts(all: readonly ContractFacts[], filter: AnalyticsFilter, ctx: ReportContext) {
  const current = all.filter((f) => matches(f, filter, ctx))
  return { current, period: current.filter((f) => inPeriod(f, filter)) }
}

const uniq = (ids: number[]): number[] => [...new Set(ids)]

/** Seats that stand for a wait somebody had: decided, handed on, or still open. */
const counted = (s: Seat): boolean => s.outcome === 'approved' || s.outcome === 'returned' || s.outcome === 'delegated' || s.outcome === 'pending'

class WaitAcc {
  readonly hours: number[] = []
  breaches = 0
  returns = 0
  decisions = 0
  waitingNow = 0
  readonly ids: number[] = []
  readonly breachIds: number[] = []
  readonly returnIds: number[] = []

  add(contractId: number, x: { start: string; end: string | null; deadline: string; outcome: string }, now: string): void {
    this.ids.push(contractId)
    if (x.end === null) this.waitingNow++
    else this.hours.push(hoursBetween(x.start, x.end))
    if (breached(x, now)) {
      this.breaches++
      this.breachIds.push(contractId)
    }
    if (x.outcome === 'approved' || x.outcome === 'returned') this.decisions++
    if (x.outcome === 'returned') {
      this.returns++
      this.returnIds.push(contractId)
    }
  }

  stats(): WaitStats {
    return {
      count: this.hours.length,
      medianHours: median(this.hours),
      p90Hours: percentile(this.hours, 0.9),
      breaches: this.breaches,
      returns: this.returns,
      returnRate: this.decisions > 0 ? this.returns / this.decisions : null,
      waitingNow: this.waitingNow,
      ids: uniq(this.ids),
      breachIds: uniq(this.breachIds),
      returnIds: uniq(this.returnIds),
    }
  }
}

/** Worst first: the longest median wait, then the most breaches, then by name. */
function worstFirst<T extends WaitStats>(rows: T[], name: (r: T) => string): T[] {
  return rows.sort((a, b) => (b.medianHours ?? -1) - (a.medianHours ?? -1) || b.breaches - a.breaches || name(a).localeCompare(name(b)))
}

function countsOf(set: readonly ContractFacts[]): Counts {
  const ids: Record<CountKey, number[]> = { submitted: [], approved: [], returned: [], withdrawn: [], inFlight: [] }
  for (const f of set) {
    if (f.outcome === 'draft') continue
    ids.submitted.push(f.id)
    ids[f.outcome].push(f.id)
  }
  const values = Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.length])) as Record<CountKey, number>
  return { values, ids }
}

function waitingNow(current: readonly ContractFacts[], now: string): WaitingRow[] {
  const rows: WaitingRow[] = []
  for (const f of current) {
    if (f.outcome !== 'inFlight') continue
    const visit = f.visits.find((v) => v.outcome === 'pending')
    if (!visit) continue
    const approverIds = f.seats.filter((s) => s.outcome === 'pending').map((s) => s.approverId)
    rows.push({
      contractId: f.id, title: f.title, number: f.number, stepTitle: visit.stepTitle, approverIds,
      since: visit.start, deadline: visit.deadline, hours: hoursBetween(visit.start, now), overdue: breached(visit, now),
    })
  }
  return rows.sort((a, b) => b.hours - a.hours || a.contractId - b.contractId)
}

/** Everything the tab shows for one filter. */
export function computeReport(all: readonly ContractFacts[], filter: AnalyticsFilter, ctx: ReportContext): AnalyticsReport {
  const { current, period } = selectContracts(all, filter, ctx)
  const now = ctx.now

  const approved = period.filter((f) => f.outcome === 'approved' && f.submittedAt !== null && f.approvedAt !== null)
  const durations = approved.map((f) => hoursBetween(f.submittedAt as string, f.approvedAt as string))
  const byWeek = new Map<string, { hours: number[]; ids: number[] }>()
  for (const f of approved) {
    const w = weekOf(f.approvedAt as string)
    const acc = byWeek.get(w) ?? { hours: [], ids: [] }
    acc.hours.push(hoursBetween(f.submittedAt as string, f.approvedAt as string))
    acc.ids.push(f.id)
    byWeek.set(w, acc)
  }
  const weekKeys = [...byWeek.keys()].sort()
  const weeks: WeekRow[] = weekKeys.length === 0 ? [] : weeksBetween(weekKeys[0] as string, weekKeys[weekKeys.length - 1] as string).map((week) => {
    const acc = byWeek.get(week)
    return { week, count: acc?.ids.length ?? 0, medianHours: acc ? median(acc.hours) : null, ids: acc?.ids ?? [] }
  })

  const steps = new Map<string, WaitAcc>()
  const approvers = new Map<number, WaitAcc>()
  const names = new Map<number, string>()
  const rounds = new Map<number, number[]>()
  const words = new Map<string, number[]>()
  for (const f of period) {
    for (const v of f.visits) {
      if (v.outcome === 'cancelled') continue
      const acc = steps.get(v.stepTitle) ?? new WaitAcc()
      acc.add(f.id, v, now)
      steps.set(v.stepTitle, acc)
    }
    for (const s of f.seats) {
      if (!counted(s)) continue
      const acc = approvers.get(s.approverId) ?? new WaitAcc()
      acc.add(f.id, s, now)
      approvers.set(s.approverId, acc)
    }
    for (const [id, name] of Object.entries(f.names)) names.set(Number(id), name)
    const inRound = rounds.get(f.rounds)
    if (inRound) inRound.push(f.id)
    else rounds.set(f.rounds, [f.id])
    for (const r of f.returns) {
      for (const w of commentWords(r.comment)) {
        const withWord = words.get(w)
        if (withWord) withWord.push(f.id)
        else words.set(w, [f.id])
      }
    }
  }

  const stepRows = worstFirst([...steps.entries()].map(([title, acc]) => ({ title, ...acc.stats() })), (r) => r.title)
  const approverRows = worstFirst(
    [...approvers.entries()].map(([approverId, acc]) => ({ approverId, name: names.get(approverId) ?? null, ...acc.stats() })),
    (r) => r.name ?? String(r.approverId),
  )
  const roundRows = [...rounds.entries()].sort((a, b) => a[0] - b[0]).map(([n, ids]) => ({ rounds: n, count: ids.length, ids }))
  const wordRows = [...words.entries()]
    .map(([word, ids]) => ({ word, count: ids.length, ids: uniq(ids) }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
    .slice(0, WORDS_SHOWN)

  return {
    counts: countsOf(period),
    timeToApproval: { count: durations.length, medianHours: median(durations), p90Hours: percentile(durations, 0.9), ids: approved.map((f) => f.id) },
    weeks,
    steps: stepRows,
    approvers: approverRows,
    rounds: roundRows,
    meanRounds: period.length > 0 ? period.reduce((a, f) => a + f.rounds, 0) / period.length : null,
    words: wordRows,
    waiting: waitingNow(current, now),
    partial: period.filter((f) => f.partial).length,
  }
}

/** What the filter selects can choose from, out of the contracts read. */
export function filterChoices(all: readonly ContractFacts[]) {
  const routes = new Map<string, string>()
  const types = new Set<string>()
  const companies = new Set<number>()
  const authors = new Set<number>()
  for (const f of all) {
    if (f.outcome === 'draft') continue
    if (f.routeId !== null) routes.set(f.routeId, f.routeName ?? f.routeId)
    if (f.contractType) types.add(f.contractType)
    if (f.companyId !== null) companies.add(f.companyId)
    if (f.authorId !== null) authors.add(f.authorId)
  }
  return {
    routes: [...routes.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    contractTypes: [...types].sort((a, b) => a.localeCompare(b)),
    companyIds: [...companies].sort((a, b) => a - b),
    authorIds: [...authors].sort((a, b) => a - b),
  }
}
