// A broken chain blocks the contract (decide refuses). Accepting it must be explicit, leave a
// trace, and give a log the machine and merges work with again — without hiding what happened.
import { describe, expect, it } from 'vitest'
import {
  acceptHistory, decide, mergeLogs, parseLog, project, serializeLog, verifyLog, wasAccepted, type ApprovalEvent, type ApprovalLog,
} from '../../src/domain/index.ts'
import { act, at, CEO, LAWYER, SECURITY, STRANGER, submittedLog } from './fixtures.ts'

const ADMIN = { id: 1, name: 'Администратор' }
const accept = (log: ApprovalLog) => {
  const r = acceptHistory(log, { at: at(500), actor: ADMIN })
  if (!r.ok) throw new Error(r.reason)
  return r.log
}

function history(): ApprovalLog {
  let log = submittedLog()
  log = act(log, LAWYER, { type: 'approve' }, 10)
  return act(log, SECURITY, { type: 'approve' }, 20)
}

describe('acceptHistory', () => {
  it('accepts an edited event as it stands, records who and what, and unblocks the machine', () => {
    const log = history()
    const tampered: ApprovalLog = { ...log, events: log.events.map((e, i) => (i === 1 ? { ...e, comment: 'Дописано руками' } : e)) }
    expect(decide(tampered, { type: 'approve' }, { eventId: 'x', at: at(30), actor: CEO })).toMatchObject({ ok: false, reason: 'brokenChain' })
    const fixed = accept(tampered)
    expect(verifyLog(fixed)).toEqual({ ok: true })
    expect(fixed.events[1]?.comment).toBe('Дописано руками')
    expect(fixed.accepted).toEqual([{ at: at(500), by: ADMIN, problem: 'hashMismatch', index: 1, previousHead: tampered.events[2]?.hash }])
    expect(wasAccepted(fixed)).toBe(true)
    const next = decide(fixed, { type: 'approve' }, { eventId: 'x', at: at(30), actor: CEO })
    expect(next.ok && next.log.accepted).toEqual(fixed.accepted)
    expect(next.ok && project(next.log).stageCode).toBe('ORIGINALS')
  })

  it('repairs order and numbering after removed, reordered or duplicated events', () => {
    const log = history()
    const [a, b, c] = log.events as [ApprovalEvent, ApprovalEvent, ApprovalEvent]
    const removed = accept({ ...log, events: [a, c] })
    expect(removed.events.map((e) => [e.id, e.n])).toEqual([[a.id, 0], [c.id, 1]])
    expect(verifyLog(removed)).toEqual({ ok: true })
    // Security's approval now refers to step 1 while step 0 was never approved: ignored, not trusted.
    expect(project(removed).ignored).toEqual([{ eventId: c.id, reason: 'staleDecision' }])
    expect(accept({ ...log, events: [a, c, b] }).events.map((e) => e.id)).toEqual([a.id, b.id, c.id])
    expect(accept({ ...log, events: [a, b, c, b] }).events).toHaveLength(3)
  })

  it('restores a swapped current route from the events', () => {
    const log = submittedLog()
    const swapped: ApprovalLog = { ...log, route: { routeId: 'x', name: 'x', version: 9, steps: [{ title: 'x', mode: 'any', slaHours: 1, approverIds: [STRANGER.id] }] } }
    const fixed = accept(swapped)
    expect(fixed.route).toEqual(log.route)
    expect(fixed.accepted?.[0]?.problem).toBe('routeMismatch')
  })

  it('refuses when there is nothing to accept', () => {
    expect(acceptHistory(history(), { at: at(1), actor: ADMIN })).toEqual({ ok: false, reason: 'historyIntact' })
  })

  it('the acceptance survives storage and merges', () => {
    const log = history()
    // An edited comment (an edited document would unbind the approvals given to the original: reapproval.test.ts).
    const fixed = accept({ ...log, events: log.events.map((e, i) => (i === 0 ? { ...e, comment: 'изменено' } : e)) })
    expect(parseLog(serializeLog(fixed))).toEqual({ ok: true, log: fixed })
    const other = act(fixed, CEO, { type: 'approve' }, 40)
    const r = mergeLogs(fixed, other)
    expect(r.ok && r.log.accepted).toEqual(fixed.accepted)
    expect(r.ok && r.log.events).toHaveLength(4)
  })
})
