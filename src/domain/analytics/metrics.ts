/**
 * The compact metrics field: one contract's facts (facts.ts) in a few hundred bytes, projected by
 * the writer in the SAME crm.item.update as the log (services/approval/writer.ts), so analytics
 * reads this small field instead of replaying every full log. Lossless: decoding gives back
 * exactly what `contractFacts` gives for the log it was made from (tests compare both on the
 * demo portal), so every number is the same whichever way it was read.
 *
 * Shape (version 1), JSON:
 * `{v, sig, b, t, n, k, c, a, r, rn, s, ap, w, o, rd, p?, st, vi, se, rt, nm}` — `sig` is the
 * stage id and round written with it (a reader that finds other values in the item knows the
 * field is stale and reads the log instead); times are milliseconds after `b` when the ISO text
 * is what `toISOString` gives back, else the text itself; step titles are indices into `st`;
 * visits `[round, step, title, start, end, deadline, outcome]`, seats
 * `[round, step, title, approver, start, end, deadline, outcome]`, returns
 * `[round, step, title, approver, at, comment]`.
 */

import type { ApprovalLog } from '../log'
import { utf8Bytes } from '../sha256'
import { contractFacts, type ContractFacts, type ContractOutcome, type ReturnFact, type Seat, type SeatOutcome, type StepVisit, type VisitOutcome } from './facts'

export const METRICS_VERSION = 1
/** Past this the field is left empty and readers take the log (a string field holds 65,535 bytes). */
export const METRICS_BUDGET = 60_000

type Time = number | string

const SEAT_CODES: Record<SeatOutcome, string> = { approved: 'a', returned: 'r', delegated: 'd', notNeeded: 'n', cancelled: 'c', pending: 'p' }
const SEAT_OF = Object.fromEntries(Object.entries(SEAT_CODES).map(([k, v]) => [v, k])) as Record<string, SeatOutcome>
const VISIT_OUTCOMES: readonly VisitOutcome[] = ['approved', 'returned', 'cancelled', 'pending']
const CONTRACT_OUTCOMES: readonly ContractOutcome[] = ['draft', 'inFlight', 'returned', 'approved', 'withdrawn']

/** What the item says alongside the field: `${stageId}|${round}`. */
export function metricsSignature(stageId: string, round: number): string {
  return `${stageId}|${round}`
}

const isoMs = (s: string): number | null => {
  const ms = Date.parse(s)
  return Number.isFinite(ms) && new Date(ms).toISOString() === s ? ms : null
}

/** The field's text for these facts, or '' when it would not fit (readers then take the log). */
export function encodeMetrics(f: ContractFacts, sig: string): string {
  const times: string[] = []
  const note = (s: string | null) => {
    if (s !== null) times.push(s)
  }
  note(f.submittedAt)
  note(f.approvedAt)
  note(f.withdrawnAt)
  for (const v of f.visits) [v.start, v.end, v.deadline].forEach(note)
  for (const s of f.seats) [s.start, s.end, s.deadline].forEach(note)
  for (const r of f.returns) note(r.at)
  const base = times.reduce((m, s) => {
    const ms = isoMs(s)
    return ms !== null && ms < m ? ms : m
  }, Number.POSITIVE_INFINITY)
  const b = Number.isFinite(base) ? base : 0
  const time = (s: string): Time => {
    const ms = isoMs(s)
    return ms === null ? s : ms - b
  }
  const opt = (s: string | null): Time | null => (s === null ? null : time(s))
  const titles: string[] = []
  const title = (t: string): number => {
    const i = titles.indexOf(t)
    return i >= 0 ? i : titles.push(t) - 1
  }
  const data = {
    v: METRICS_VERSION,
    sig,
    b,
    t: f.title,
    n: f.number,
    k: f.contractType,
    c: f.companyId,
    a: f.authorId,
    r: f.routeId,
    rn: f.routeName,
    s: opt(f.submittedAt),
    ap: opt(f.approvedAt),
    w: opt(f.withdrawnAt),
    o: f.outcome,
    rd: f.rounds,
    ...(f.partial ? { p: 1 } : {}),
    st: titles,
    vi: f.visits.map((v) => [v.round, v.step, title(v.stepTitle), time(v.start), opt(v.end), time(v.deadline), SEAT_CODES[v.outcome]]),
    se: f.seats.map((s) => [s.round, s.step, title(s.stepTitle), s.approverId, time(s.start), opt(s.end), time(s.deadline), SEAT_CODES[s.outcome]]),
    rt: f.returns.map((r) => [r.round, r.step, title(r.stepTitle), r.approverId, time(r.at), r.comment]),
    nm: f.names,
  }
  const text = JSON.stringify(data)
  return utf8Bytes(text).length <= METRICS_BUDGET ? text : ''
}

/** The field's text for a log, written with the stage id and round of the same update. */
export function projectMetrics(log: Pick<ApprovalLog, 'events'>, stageId: string, round: number): string {
  return encodeMetrics(contractFacts(0, log), metricsSignature(stageId, round))
}

export interface DecodedMetrics {
  readonly facts: ContractFacts
  readonly sig: string
}

class Bad extends Error {}

const int = (x: unknown): number => {
  if (typeof x !== 'number' || !Number.isInteger(x)) throw new Bad()
  return x
}
const text = (x: unknown): string => {
  if (typeof x !== 'string') throw new Bad()
  return x
}
const textOrNull = (x: unknown): string | null => (x === null ? null : text(x))
const intOrNull = (x: unknown): number | null => (x === null ? null : int(x))
const rows = (x: unknown): unknown[][] => {
  if (!Array.isArray(x) || !x.every(Array.isArray)) throw new Bad()
  return x as unknown[][]
}

/**
 * The facts in a metrics field, or null when it is empty, of another version or not readable
 * (the reader then takes the log). `raw`: the text or the already decoded object.
 */
export function decodeMetrics(id: number, raw: unknown): DecodedMetrics | null {
  let d: unknown = raw
  if (typeof raw === 'string') {
    if (raw === '') return null
    try {
      d = JSON.parse(raw)
    } catch {
      return null
    }
  }
  if (typeof d !== 'object' || d === null) return null
  const m = d as Record<string, unknown>
  if (m.v !== METRICS_VERSION) return null
  try {
    const b = typeof m.b === 'number' && Number.isFinite(m.b) ? m.b : 0
    const time = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? new Date(b + x).toISOString() : text(x))
    const timeOrNull = (x: unknown): string | null => (x === null ? null : time(x))
    const titles = Array.isArray(m.st) ? m.st.map(text) : []
    const titleAt = (x: unknown): string => {
      const t = titles[int(x)]
      if (t === undefined) throw new Bad()
      return t
    }
    const outcome = m.o as ContractOutcome
    if (!CONTRACT_OUTCOMES.includes(outcome)) throw new Bad()
    const visits: StepVisit[] = rows(m.vi).map((v) => {
      const o = SEAT_OF[text(v[6])]
      if (!o || !VISIT_OUTCOMES.includes(o as VisitOutcome)) throw new Bad()
      return { round: int(v[0]), step: int(v[1]), stepTitle: titleAt(v[2]), start: time(v[3]), end: timeOrNull(v[4]), deadline: time(v[5]), outcome: o as VisitOutcome }
    })
    const seats: Seat[] = rows(m.se).map((s) => {
      const o = SEAT_OF[text(s[7])]
      if (!o) throw new Bad()
      return {
        round: int(s[0]), step: int(s[1]), stepTitle: titleAt(s[2]), approverId: int(s[3]),
        start: time(s[4]), end: timeOrNull(s[5]), deadline: time(s[6]), outcome: o,
      }
    })
    const returns: ReturnFact[] = rows(m.rt).map((r) => ({
      round: int(r[0]), step: int(r[1]), stepTitle: titleAt(r[2]), approverId: int(r[3]), at: time(r[4]), comment: text(r[5]),
    }))
    const names: Record<number, string> = {}
    if (typeof m.nm !== 'object' || m.nm === null) throw new Bad()
    for (const [k, v] of Object.entries(m.nm as Record<string, unknown>)) names[Number(k)] = text(v)
    const facts: ContractFacts = {
      id,
      title: text(m.t),
      number: textOrNull(m.n),
      contractType: textOrNull(m.k),
      companyId: intOrNull(m.c),
      authorId: intOrNull(m.a),
      routeId: textOrNull(m.r),
      routeName: textOrNull(m.rn),
      submittedAt: timeOrNull(m.s),
      approvedAt: timeOrNull(m.ap),
      withdrawnAt: timeOrNull(m.w),
      outcome,
      rounds: int(m.rd),
      seats,
      visits,
      returns,
      names,
      partial: m.p === 1,
    }
    return { facts, sig: text(m.sig) }
  } catch (e) {
    if (e instanceof Bad) return null
    throw e
  }
}
