// The hash chain is what tells an approver that history was edited outside the app (someone
// changed the hidden field by REST). Each kind of edit must be caught, and a log must survive
// the trip through the string field unchanged.
import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  checkBudget,
  EMPTY_LOG,
  GENESIS_HASH,
  hashEvent,
  parseLog,
  serializeLog,
  verifyChain,
  verifyLog,
  type ApprovalEvent,
  type ApprovalLog,
} from '../../src/domain/index.ts'
import { act, LAWYER, SECURITY, submittedLog } from './fixtures.ts'

function history(): ApprovalLog {
  let log = submittedLog()
  log = act(log, LAWYER, { type: 'approve', comment: 'Ок' }, 10)
  log = act(log, SECURITY, { type: 'approve' }, 20)
  return log
}

const withEvents = (log: ApprovalLog, events: ApprovalEvent[]): ApprovalLog => ({ ...log, events })

describe('verifyChain', () => {
  it('accepts an untouched history and links the first event to the genesis hash', () => {
    const log = history()
    expect(verifyChain(log)).toEqual({ ok: true })
    expect(log.events[0]?.prevHash).toBe(GENESIS_HASH)
    expect(log.events[1]?.prevHash).toBe(log.events[0]?.hash)
  })

  it('detects an edited event', () => {
    const log = history()
    const events = log.events.map((e, i) => (i === 1 ? { ...e, comment: 'Не ок' } : e))
    expect(verifyChain(withEvents(log, events))).toEqual({ ok: false, problem: 'hashMismatch', index: 1, eventId: log.events[1]?.id })
  })

  it('detects an edited event whose hash was recomputed by the editor (the next link breaks)', () => {
    const log = history()
    const first = log.events[0] as ApprovalEvent
    const forged = { ...first, actor: { id: 1, name: 'Админ' } }
    const events = [{ ...forged, hash: hashEvent(forged.prevHash, forged) }, ...log.events.slice(1)]
    expect(verifyChain(withEvents(log, events))).toMatchObject({ ok: false, problem: 'prevHashMismatch', index: 1 })
  })

  it('detects a removed event', () => {
    const log = history()
    const events = [log.events[0], log.events[2]] as ApprovalEvent[]
    expect(verifyChain(withEvents(log, events))).toMatchObject({ ok: false, problem: 'prevHashMismatch', index: 1 })
  })

  it('detects reordered events', () => {
    const log = history()
    const events = [log.events[0], log.events[2], log.events[1]] as ApprovalEvent[]
    expect(verifyChain(withEvents(log, events))).toMatchObject({ ok: false, index: 1 })
  })

  it('detects a duplicated event', () => {
    const log = history()
    const events = [...log.events, log.events[2]] as ApprovalEvent[]
    expect(verifyChain(withEvents(log, events))).toMatchObject({ ok: false, problem: 'duplicateId', index: 3 })
  })
})

describe('log storage', () => {
  it('survives serialisation and still verifies', () => {
    const log = history()
    const parsed = parseLog(serializeLog(log))
    expect(parsed).toEqual({ ok: true, log })
    expect(parsed.ok && verifyLog(parsed.log)).toEqual({ ok: true })
  })

  it('reads an empty field as an empty log and rejects foreign data', () => {
    expect(parseLog('')).toEqual({ ok: true, log: EMPTY_LOG })
    expect(parseLog(null)).toEqual({ ok: true, log: EMPTY_LOG })
    expect(parseLog('not json')).toEqual({ ok: false, error: 'invalidJson' })
    expect(parseLog('{"v":2,"events":[]}')).toEqual({ ok: false, error: 'unsupportedVersion' })
    expect(parseLog('{"v":1,"route":null,"events":[{"id":1}]}')).toEqual({ ok: false, error: 'invalidShape' })
    expect(parseLog('{"v":1,"route":"main","events":[]}')).toEqual({ ok: false, error: 'invalidShape' })
  })

  it('reads a log written without a route key (nothing submitted yet) as having none', () => {
    expect(parseLog('{"v":1,"events":[]}')).toEqual({ ok: true, log: EMPTY_LOG })
    expect(parseLog({ v: 1, events: [] })).toEqual({ ok: true, log: EMPTY_LOG })
  })

  it('canonical JSON ignores key order and undefined values', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: 'x' }] })).toBe(canonicalJson({ a: [2, { c: 'x' }], b: 1 }))
  })

  it('measures the budget in UTF-8 bytes, not characters', () => {
    const log = history()
    const chars = serializeLog(log).length
    const ok = checkBudget(log)
    expect(ok.ok).toBe(true)
    expect(ok.bytes).toBeGreaterThan(chars) // Cyrillic names take two bytes each
    expect(checkBudget(log, chars)).toEqual({ ok: false, bytes: ok.bytes, limit: chars })
  })
})
