// "Instead of …" beside a delegate, without a portal: only delegations that took effect in the
// current round count, and a seat handed on twice names the last person who handed it.
import { describe, expect, it } from 'vitest'
import { delegationsOf, seatKey } from '../../src/domain/delegation.ts'
import { project, type Actor, type ApprovalLog } from '../../src/domain/index.ts'
import { act, AUTHOR, resubmitCmd, STRANGER, submittedLog } from './fixtures.ts'

const DEPUTY: Actor = { id: 71, name: 'Заместитель' }
const SECOND: Actor = { id: 72, name: 'Второй заместитель' }

function setup(): { log: ApprovalLog; seated: Actor } {
  const log = submittedLog()
  return { log, seated: { id: project(log).currentApprovers[0]!, name: 'Юрист' } }
}

const of = (log: ApprovalLog) => delegationsOf(log.events, project(log))

describe('delegationsOf', () => {
  it('names whom a delegate replaces on the step', () => {
    const { log, seated } = setup()
    const next = act(log, seated, { type: 'delegate', to: DEPUTY }, 1)
    expect(of(next)).toEqual(new Map([[seatKey(0, DEPUTY.id), seated]]))
  })

  it('a seat handed on twice names the last person who handed it', () => {
    const { log, seated } = setup()
    const twice = act(act(log, seated, { type: 'delegate', to: DEPUTY }, 1), DEPUTY, { type: 'delegate', to: SECOND }, 2)
    const d = of(twice)
    expect(d.get(seatKey(0, SECOND.id))).toEqual(DEPUTY)
    expect(d.has(seatKey(0, DEPUTY.id))).toBe(false)
  })

  it('ignores delegations that took no effect and those of an earlier round', () => {
    const { log, seated } = setup()
    const refusedLater = { ...act(log, seated, { type: 'delegate', to: DEPUTY }, 1) }
    // A stranger's delegation (a hand-built log) is ignored by the projection, so it names nobody.
    const e0 = refusedLater.events[refusedLater.events.length - 1]!
    const bogus = { ...e0, id: 'zz-bogus', n: refusedLater.events.length, actor: STRANGER, delegateTo: SECOND }
    expect(of({ ...refusedLater, events: [...refusedLater.events, bogus] }).has(seatKey(0, SECOND.id))).toBe(false)
    // Returned and resubmitted: round 2 starts without the delegation of round 1.
    const returned = act(refusedLater, DEPUTY, { type: 'return', comment: 'Нет подписи' }, 2)
    const round2 = act(returned, AUTHOR, resubmitCmd(500_000), 3)
    expect(project(round2).round).toBe(2)
    expect(of(round2).size).toBe(0)
  })
})
