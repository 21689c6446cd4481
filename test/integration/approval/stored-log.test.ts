import { describe, expect, it } from 'vitest'
import { EMPTY_STORED, hasDoneKey, isDone, parseStored, serializeStored, withDone, type StoredLog } from '../../../src/services/approval/stored-log.ts'
import { STRING_FIELD_MAX_BYTES } from '../../../src/domain/schema.ts'
import { utf8Bytes } from '../../../src/domain/sha256.ts'
import type { ApprovalEvent } from '../../../src/domain/log.ts'

// Done marks ride in the log field beside the domain's log. They must survive a round trip,
// never break the domain's reading of the log, and never push the field past what Bitrix24 keeps.
describe('stored log: the approval log plus done marks', () => {
  it('round-trips marks and reads as the same domain log', () => {
    const stored = withDone(EMPTY_STORED, ['0123456789abcdef:timeline', '0123456789abcdef:notify:5'])
    const text = serializeStored(stored)
    const back = parseStored(text)
    expect(back.ok).toBe(true)
    if (!back.ok) return
    expect(back.stored.log).toEqual(EMPTY_STORED.log)
    expect(hasDoneKey(back.stored, '0123456789abcdef:notify:5')).toBe(true)
    expect(hasDoneKey(back.stored, '0123456789abcdef:notify:6')).toBe(false)
  })

  it('reads a field written before marks existed (the demo seed writes `{v:1,events:[]}`)', () => {
    const back = parseStored(JSON.stringify({ v: 1, events: [] }))
    expect(back).toEqual({ ok: true, stored: EMPTY_STORED })
    expect(parseStored('{oops')).toEqual({ ok: false, error: 'invalidJson' })
  })

  it('collapses marks of earlier rounds into a watermark when the field would overflow', () => {
    const event = (i: number, round: number): ApprovalEvent => ({
      id: `e${String(i).padStart(11, '0')}-x`, n: i, type: 'approved', at: '2026-11-27T10:00:00Z', actor: { id: 1, name: 'A' }, round, step: 0,
      prevHash: '0', hash: '0',
    })
    const events = Array.from({ length: 200 }, (_, i) => event(i, i < 190 ? 1 : 2))
    let stored: StoredLog = { ...EMPTY_STORED, log: { v: 1, route: null, events } }
    const keys = events.flatMap((e) => Array.from({ length: 30 }, (_, k) => `${e.id}:notify:${1000 + k}`))
    stored = withDone(stored, keys)
    const text = serializeStored(stored)
    expect(utf8Bytes(text).length).toBeLessThanOrEqual(STRING_FIELD_MAX_BYTES)
    const back = parseStored(text)
    if (!back.ok) throw new Error('unreadable')
    expect(back.stored.fxBefore).toBe(2)
    expect(isDone(back.stored, `${events[0]!.id}:notify:1000`, 1)).toBe(true)
    expect(isDone(back.stored, `${events[199]!.id}:notify:1000`, 2)).toBe(true)
    expect(isDone(back.stored, `${events[199]!.id}:notify:9999`, 2)).toBe(false)
  })
})
