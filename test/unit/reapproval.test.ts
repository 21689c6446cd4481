// Approvals bound to a version of the contract, and the re-approval rules per route: everyone
// again, from the step that returned it, only the steps whose watched fields changed.
import { describe, expect, it } from 'vitest'
import { decide, EMPTY_LOG, project, type ApprovalLog, type RouteSet, type ReapprovalRule, type Route } from '../../src/domain/index.ts'
import { changesSinceReviewed, reaskedBy, unrecordedChanges } from '../../src/domain/projection.ts'
import { changedFields, keptSteps, missingRequired, versionHash, type Version } from '../../src/domain/reapproval.ts'
import { isPublishedRoute, publishedHashes, routeHash } from '../../src/domain/route.ts'
import { verifyLog } from '../../src/domain/merge.ts'
import { effectsOfEvent } from '../../src/domain/effects.ts'
import { act, AUTHOR, CFO, LAWYER, nextId, refusalOf, SECURITY, snapshot } from './fixtures.ts'

/** Lawyer (checks everything) → security (the counterparty) → CFO (the money). */
function routes(rule: ReapprovalRule, required?: Route['required']): RouteSet {
  return {
    v: 1, version: 1, updatedAt: null, updatedBy: null,
    routes: [{
      id: 'r', name: 'Крупные', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] }, reapproval: rule,
      ...(required ? { required } : {}),
      steps: [
        { title: 'Юрист', approvers: [{ kind: 'user', userId: LAWYER.id }], mode: 'all', slaHours: 24 },
        { title: 'СБ', approvers: [{ kind: 'user', userId: SECURITY.id }], mode: 'all', slaHours: 24, watch: ['companyId'] },
        { title: 'ФД', approvers: [{ kind: 'user', userId: CFO.id }], mode: 'all', slaHours: 24, watch: ['amount', 'currency', 'document'] },
      ],
    }],
  }
}

const v = (amount: number, extra: Partial<Version> = {}): Version => ({ snapshot: snapshot(amount), documentId: 700, ...extra })

function submitted(rule: ReapprovalRule, amount = 11_950_000): ApprovalLog {
  return act(EMPTY_LOG, AUTHOR, { type: 'submit', routeSet: routes(rule), snapshot: snapshot(amount), documentId: 700, departmentHeadIds: [] }, 0)
}

/** Lawyer and security approved; the CFO's turn. */
function atCfo(rule: ReapprovalRule): ApprovalLog {
  let log = submitted(rule)
  log = act(log, LAWYER, { type: 'approve', current: v(11_950_000) }, 10)
  return act(log, SECURITY, { type: 'approve', current: v(11_950_000) }, 20)
}

describe('the version an approval binds to', () => {
  it('hashes only what the route watches, and the document', () => {
    const route = project(submitted('all')).route
    const narrow = { steps: [{ watch: ['amount' as const] }] }
    expect(versionHash(narrow, v(1))).toBe(versionHash(narrow, { ...v(1), snapshot: { ...snapshot(1), title: 'другое' } }))
    expect(versionHash(narrow, v(1))).not.toBe(versionHash(narrow, v(2)))
    expect(versionHash(route, v(1))).not.toBe(versionHash(route, v(1, { documentId: 701 })))
    expect(changedFields(v(1), v(2, { documentId: 701 }))).toEqual(['amount', 'document'])
  })

  it('records the hash of what the approver saw in the approval', () => {
    const log = atCfo('all')
    const p = project(log)
    const approvals = log.events.filter((e) => e.type === 'approved')
    expect(approvals.map((e) => (e as { seen?: string }).seen)).toEqual([p.versionHash, p.versionHash])
    expect(p.versionHash).toBe(versionHash(p.route, v(11_950_000)))
  })

  it('refuses an approval when the contract changed since the round began, or since the card showed it', () => {
    const log = atCfo('all')
    expect(refusalOf(log, CFO, { type: 'approve', current: v(15_000_000) })).toBe('contractChanged')
    expect(refusalOf(log, CFO, { type: 'approve', seen: versionHash(project(log).route, v(15_000_000)) })).toBe('contractChanged')
    // A return needs no binding: the approver may send back whatever they see.
    expect(decide(log, { type: 'return', comment: 'Сумма?' }, { eventId: nextId(), at: '2026-11-02T12:00:00Z', actor: CFO }).ok).toBe(true)
  })

  it('shows the change not yet recorded and who would be asked again', () => {
    const p = project(atCfo('changed'))
    expect(unrecordedChanges(p, v(11_950_000))).toEqual([])
    expect(unrecordedChanges(p, v(15_000_000))).toEqual([{ field: 'amount', before: 11_950_000, after: 15_000_000 }])
    // The lawyer checks every field: a new title is a change too.
    expect(unrecordedChanges(p, { ...v(11_950_000), snapshot: { ...snapshot(11_950_000), title: 'x' } }).map((c) => c.field)).toEqual(['title'])
    expect(reaskedBy(p, v(15_000_000)).map((r) => r.step)).toEqual([0])
    expect(reaskedBy(project(atCfo('all')), v(15_000_000)).map((r) => r.step)).toEqual([0, 1])
  })

  it('an approval of the old version that merges in after the revision takes no effect', () => {
    const base = submitted('all')
    const lawyer = decide(base, { type: 'approve', current: v(11_950_000) }, { eventId: 'z-late', at: '2026-11-02T10:00:00Z', actor: LAWYER })
    expect(lawyer.ok).toBe(true)
    const revised = act(base, AUTHOR, { type: 'revise', version: v(15_000_000) }, 5)
    const event = lawyer.ok ? lawyer.event : null
    // The lawyer's event lands after the revision: its `seen` is the old version.
    const merged = project({ events: [...revised.events, { ...event!, n: revised.events.length }] })
    expect(merged.ignored.map((i) => i.reason)).toEqual(['contractChanged'])
    expect(merged.currentStep).toBe(0)
  })
})

describe('a change mid-round', () => {
  it('«everyone again»: the round goes back to the first step and the CFO waits', () => {
    const log = act(atCfo('all'), CFO, { type: 'revise', version: v(15_000_000) }, 30)
    expect(verifyLog(log).ok).toBe(true)
    const p = project(log)
    expect(p.stageCode).toBe('APPROVAL')
    expect(p.round).toBe(1)
    expect(p.revision).toBe(1)
    expect(p.currentStep).toBe(0)
    expect(p.currentApprovers).toEqual([LAWYER.id])
    expect(p.steps.map((s) => s.status)).toEqual(['current', 'waiting', 'waiting'])
    expect(p.versions.map((x) => x.kind)).toEqual(['submitted', 'revised'])
    // The lawyer's to-do opens again under a new reference (the first one was closed).
    const opened = effectsOfEvent(log, log.events.at(-1)!.id).filter((e) => e.kind === 'todoOpen' || e.kind === 'todoClose')
    expect(opened.map((e) => [e.kind, (e as { todoRef: string }).todoRef])).toEqual([
      ['todoClose', `r1s2u${CFO.id}`], ['todoOpen', `r1s0u${LAWYER.id}v1`],
    ])
  })

  it('«only the changed»: security is carried over, the lawyer (who checks everything) is asked again, then the CFO', () => {
    let log = act(atCfo('changed'), CFO, { type: 'revise', version: v(15_000_000) }, 30)
    let p = project(log)
    expect(p.currentApprovers).toEqual([LAWYER.id])
    expect(p.steps[1]?.status).toBe('approved')
    expect(p.steps[1]?.approvals[0]?.carriedFrom).toBe(1)
    log = act(log, LAWYER, { type: 'approve', current: v(15_000_000) }, 40)
    p = project(log)
    // Security's step is already approved: the turn skips to the CFO.
    expect(p.currentApprovers).toEqual([CFO.id])
    log = act(log, CFO, { type: 'approve', current: v(15_000_000) }, 50)
    expect(project(log).stageCode).toBe('ORIGINALS')
  })

  it('is recorded by the author or someone on the route, once per change', () => {
    const log = atCfo('changed')
    expect(refusalOf(log, { id: 77, name: 'Посторонний' }, { type: 'revise', version: v(15_000_000) })).toBe('notCurrentApprover')
    expect(refusalOf(log, CFO, { type: 'revise', version: v(11_950_000) })).toBe('versionUnchanged')
    const revised = act(log, AUTHOR, { type: 'revise', version: v(15_000_000) }, 30)
    expect(refusalOf(revised, CFO, { type: 'revise', version: v(15_000_000) })).toBe('versionUnchanged')
  })

  it('each approver sees the changes since the version they last reviewed', () => {
    const log = act(atCfo('all'), CFO, { type: 'revise', version: v(15_000_000) }, 30)
    const p = project(log)
    expect(changesSinceReviewed(p, LAWYER.id)).toEqual({ changes: [{ field: 'amount', before: 11_950_000, after: 15_000_000 }], round: 1 })
    expect(changesSinceReviewed(p, CFO.id).changes).toEqual([])
  })
})

describe('a resubmission', () => {
  /** Round 1: lawyer and security approve, the CFO returns it asking for a lower price. */
  function returnedByCfo(rule: ReapprovalRule): ApprovalLog {
    return act(atCfo(rule), CFO, { type: 'return', comment: 'Снизьте цену' }, 30)
  }
  const resubmit = (rule: ReapprovalRule, amount: number, companyId = 5) => ({
    type: 'resubmit' as const, routeSet: routes(rule), snapshot: snapshot(amount, { companyId }), documentId: 700, departmentHeadIds: [], comment: 'Цена снижена',
  })

  it('«everyone again» starts from the first step', () => {
    const p = project(act(returnedByCfo('all'), AUTHOR, resubmit('all', 11_000_000), 40))
    expect(p.round).toBe(2)
    expect(p.currentApprovers).toEqual([LAWYER.id])
    expect(p.steps.map((s) => s.status)).toEqual(['current', 'waiting', 'waiting'])
  })

  it('«from the returning step» carries the steps before it over', () => {
    const p = project(act(returnedByCfo('fromReturned'), AUTHOR, resubmit('fromReturned', 11_000_000, 6), 40))
    expect(p.currentApprovers).toEqual([CFO.id])
    expect(p.steps.map((s) => s.status)).toEqual(['approved', 'approved', 'current'])
    expect(p.steps[0]?.approvals[0]?.carriedFrom).toBe(1)
  })

  it('«only the changed» carries two approvers over and asks the one whose field changed', () => {
    // A route where the lawyer checks the paperwork only: the price is the CFO's alone.
    const set = routes('changed')
    const narrowed: RouteSet = { ...set, routes: [{ ...set.routes[0]!, steps: set.routes[0]!.steps.map((s, i) => (i === 0 ? { ...s, watch: ['number', 'document'] as const } : s)) }] }
    let log = act(EMPTY_LOG, AUTHOR, { type: 'submit', routeSet: narrowed, snapshot: snapshot(11_950_000), documentId: 700, departmentHeadIds: [] }, 0)
    log = act(log, LAWYER, { type: 'approve' }, 10)
    log = act(log, SECURITY, { type: 'approve' }, 20)
    log = act(log, CFO, { type: 'return', comment: 'Снизьте цену' }, 30)
    log = act(log, AUTHOR, { ...resubmit('changed', 11_000_000), routeSet: narrowed }, 40)
    const p = project(log)
    expect(p.steps.map((s) => s.status)).toEqual(['approved', 'approved', 'current'])
    expect(p.steps.slice(0, 2).map((s) => s.approvals[0]?.carriedFrom)).toEqual([1, 1])
    expect(p.currentApprovers).toEqual([CFO.id])
    // A changed counterparty is security's business: then security is asked again.
    const q = project(act(returnedByCfo('changed'), AUTHOR, resubmit('changed', 11_000_000, 6), 40))
    expect(q.steps.map((s) => s.status)).toEqual(['current', 'waiting', 'waiting'])
  })

  it('keeps nothing when the route the contract now takes is another one', () => {
    expect(keptSteps('changed', [{}, {}], [{ approved: true, returned: false, samePeople: false }, undefined], [], false)).toEqual([false, false])
    expect(keptSteps('fromReturned', [{}, {}], [{ approved: true, returned: false, samePeople: true }, undefined], ['amount'], true)).toEqual([false, false])
  })
})

describe('submission rules', () => {
  it('refuses a submission without the route’s required fields and names them', () => {
    const out = decide(EMPTY_LOG, {
      type: 'submit', routeSet: routes('all', ['document', 'number', 'amount', 'companyId']),
      snapshot: snapshot(null, { number: null, companyId: null }), documentId: null, departmentHeadIds: [],
    }, { eventId: nextId(), at: '2026-11-02T09:00:00Z', actor: AUTHOR })
    expect(out.ok).toBe(false)
    expect(!out.ok && out.reason).toBe('requiredMissing')
    expect(!out.ok && out.missing).toEqual(['document', 'number', 'amount', 'companyId'])
  })

  it('a route saved before the rule existed requires nothing', () => {
    expect(missingRequired({}, { snapshot: snapshot(null), documentId: null })).toEqual([])
    expect(missingRequired({ required: ['date'] }, { snapshot: snapshot(1, { date: '2026-11-01' }), documentId: null })).toEqual([])
  })
})

describe('published routes', () => {
  it('a route with a rule and watched fields hashes with them, and its frozen copy is recognised', () => {
    const set = routes('changed')
    const route = set.routes[0]!
    expect(routeHash(route)).not.toBe(routeHash({ ...route, reapproval: 'all' }))
    // A route without the new keys hashes as before (routes published earlier stay published).
    const { reapproval: _r, ...plain } = route
    expect(routeHash({ ...plain, steps: plain.steps.map(({ watch: _w, ...s }) => s) })).toBe(routeHash({ ...route, reapproval: 'all', steps: plain.steps.map(({ watch: _w, ...s }) => s) }))
    const frozen = project(submitted('changed')).route!
    expect(frozen.reapproval).toBe('changed')
    expect(isPublishedRoute(frozen, publishedHashes(set))).toBe(true)
  })
})
