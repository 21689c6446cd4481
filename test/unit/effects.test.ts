// Side effects run after the state write and are retried; keys derived from event ids are what
// stop a retry (or a second writer merging the same events) from sending a notification or
// opening a to-do twice.
import { describe, expect, it } from 'vitest'
import { decide, effectsOfEvent, EMPTY_LOG, mergeLogs, sideEffects, todoRef, type ApprovalLog, type SideEffect } from '../../src/domain/index.ts'
import { act, at, AUTHOR, CEO, CFO, LAWYER, LAWYER2, must, resubmitCmd, SECURITY, STRANGER, submitCmd, submittedLog } from './fixtures.ts'

const brief = (effects: SideEffect[]) =>
  effects.map((e) => (e.kind === 'timeline' ? `timeline:${e.message.event}` : e.kind === 'notify' ? `notify:${e.userId}:${e.reason}` : `${e.kind}:${e.userId}`))

describe('sideEffects', () => {
  it('submit: timeline message, a to-do with the deadline and a notice for each first-step approver', () => {
    const after = submittedLog()
    const effects = sideEffects(EMPTY_LOG, after)
    expect(brief(effects)).toEqual([
      'timeline:submitted',
      `todoOpen:${LAWYER.id}`, `notify:${LAWYER.id}:yourTurn`,
      `todoOpen:${LAWYER2.id}`, `notify:${LAWYER2.id}:yourTurn`,
    ])
    const id = after.events[0]?.id
    expect(effects.find((e) => e.kind === 'todoOpen')).toMatchObject({
      key: `${id}:todoOpen:${LAWYER.id}`, todoRef: todoRef(1, 0, LAWYER.id), deadline: at(24 * 60), stepTitle: 'Юрист',
    })
  })

  it('approval on an `any` step closes every seat of the step and opens the next', () => {
    const before = submittedLog()
    const after = act(before, LAWYER2, { type: 'approve' }, 10)
    expect(brief(sideEffects(before, after))).toEqual([
      'timeline:approved',
      `todoClose:${LAWYER.id}`, `todoClose:${LAWYER2.id}`,
      `todoOpen:${SECURITY.id}`, `notify:${SECURITY.id}:yourTurn`,
    ])
    const close = sideEffects(before, after).find((e) => e.kind === 'todoClose' && e.userId === LAWYER.id)
    expect(close).toMatchObject({ todoRef: todoRef(1, 0, LAWYER.id) })
  })

  it('the last approval tells the author; a return tells the author with the comment', () => {
    let log = act(submittedLog(), LAWYER, { type: 'approve' }, 1)
    log = act(log, SECURITY, { type: 'approve' }, 2)
    const approved = act(log, CEO, { type: 'approve' }, 3)
    expect(brief(sideEffects(log, approved))).toEqual(['timeline:approved', `todoClose:${CEO.id}`, `notify:${AUTHOR.id}:approved`])
    const returned = act(log, CEO, { type: 'return', comment: 'Нужна виза' }, 3)
    const effects = sideEffects(log, returned)
    expect(brief(effects)).toEqual(['timeline:returned', `todoClose:${CEO.id}`, `notify:${AUTHOR.id}:returned`])
    expect(effects.at(-1)).toMatchObject({ comment: 'Нужна виза', actor: CEO })
  })

  it('withdrawal closes open to-dos and tells those approvers', () => {
    const before = submittedLog()
    const after = act(before, AUTHOR, { type: 'withdraw' }, 5)
    expect(brief(sideEffects(before, after))).toEqual([
      'timeline:withdrawn', `todoClose:${LAWYER.id}`, `notify:${LAWYER.id}:withdrawn`, `todoClose:${LAWYER2.id}`, `notify:${LAWYER2.id}:withdrawn`,
    ])
  })

  it('resubmission reopens to-dos in the new round with new refs', () => {
    const returned = act(submittedLog(), LAWYER, { type: 'return', comment: 'Нет' }, 5)
    const after = act(returned, AUTHOR, resubmitCmd(500_000), 6)
    const opens = sideEffects(returned, after).filter((e) => e.kind === 'todoOpen')
    expect(opens.map((e) => e.kind === 'todoOpen' && e.todoRef)).toEqual([todoRef(2, 0, LAWYER.id), todoRef(2, 0, LAWYER2.id)])
  })

  it('delegation moves the to-do from the delegator to the delegate', () => {
    const before = submittedLog()
    const after = act(before, LAWYER, { type: 'delegate', to: CFO }, 5)
    expect(brief(sideEffects(before, after))).toEqual(['timeline:delegated', `todoClose:${LAWYER.id}`, `todoOpen:${CFO.id}`, `notify:${CFO.id}:yourTurn`])
    expect(sideEffects(before, after)[0]).toMatchObject({ message: { delegateTo: CFO } })
  })

  it('receipt of originals is logged; archiving also tells the author', () => {
    let log = act(submittedLog(), LAWYER, { type: 'approve' }, 1)
    log = act(log, SECURITY, { type: 'approve' }, 2)
    log = act(log, CEO, { type: 'approve' }, 3)
    const received = act(log, STRANGER, { type: 'receiveOriginal', receivedAt: '2026-11-05', storageLocation: 'Шкаф 1' }, 4)
    expect(brief(sideEffects(log, received))).toEqual(['timeline:originalReceived'])
    const archived = act(received, STRANGER, { type: 'archive' }, 5)
    expect(brief(sideEffects(received, archived))).toEqual(['timeline:archived', `notify:${AUTHOR.id}:archived`])
  })

  it('no notice goes to the actor themselves', () => {
    const log = act(EMPTY_LOG, LAWYER, submitCmd(500_000), 0)
    // The submitting lawyer is the author: dropped from her own route (issue 8), so no seat, no to-do.
    expect(brief(sideEffects(EMPTY_LOG, log))).toEqual(['timeline:submitted', `todoOpen:${LAWYER2.id}`, `notify:${LAWYER2.id}:yourTurn`])
  })

  it('recomputing gives the same keys; an ignored event has no effects; merged events each count once', () => {
    const base = submittedLog()
    const a = must(decide(base, { type: 'approve' }, { eventId: 'k-a', at: at(9), actor: LAWYER })).log
    const b = must(decide(base, { type: 'return', comment: 'Стоп' }, { eventId: 'k-b', at: at(9), actor: LAWYER2 })).log
    const r = mergeLogs(a, b)
    if (!r.ok) throw new Error(r.error)
    const m: ApprovalLog = r.log
    const keys = (x: SideEffect[]) => x.map((e) => e.key)
    expect(keys(sideEffects(base, m))).toEqual(keys(sideEffects(base, m)))
    expect(keys(sideEffects(a, m))).toEqual([]) // k-b was ignored: nothing more to do for the writer of a
    expect(effectsOfEvent(m, 'k-b')).toEqual([])
    expect(keys(sideEffects(base, m))).toEqual(keys(effectsOfEvent(m, 'k-a')))
    expect(new Set(keys(sideEffects(base, m))).size).toBe(sideEffects(base, m).length)
    expect(keys(effectsOfEvent(m, 'k-a')).every((k) => k.startsWith('k-a:'))).toBe(true)
  })
})
