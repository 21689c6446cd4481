// Standing deputies (issue 10, Deliver 6): during an absence, the turns that open for the person
// away go to their deputy «вместо …»; nobody names themselves, a deputy never sits on their own
// contract, and every client replays the same seats from the log alone.
import { describe, expect, it } from 'vitest'
import { checkAbsence, dayOf, deputyOn, deputySeats, parseAbsences, serializeAbsences, type Absence } from '../../src/domain/deputies.ts'
import { delegationsOf, seatKey } from '../../src/domain/delegation.ts'
import { chainEvent, effectsOfEvent, EMPTY_LOG, project, type Actor, type ApprovalLog, type Command } from '../../src/domain/index.ts'
import { notifyMessage } from '../../src/services/approval/messages.ts'
import type { NotifyEffect } from '../../src/domain/effects.ts'
import { act, AUTHOR, HEAD, LAWYER, LAWYER2, refusalOf, SECURITY, snapshot, submitCmd } from './fixtures.ts'

const DEPUTY: Actor = { id: 71, name: 'Андрей Лебедев' }
const OTHER: Actor = { id: 72, name: 'Ольга Петрова' }

const away = (person: Actor, deputy: Actor, from = '2026-11-01', to = '2026-11-10'): Absence => ({ person, deputy, from, to })

describe('checkAbsence', () => {
  it('refuses naming oneself, no deputy, and a range that ends before it starts', () => {
    expect(checkAbsence(away(HEAD, HEAD))).toBe('deputyIsSelf')
    expect(checkAbsence(away(HEAD, { id: 0, name: '' }))).toBe('deputyMissing')
    expect(checkAbsence(away(HEAD, DEPUTY, '2026-11-10', '2026-11-01'))).toBe('rangeInvalid')
    expect(checkAbsence(away(HEAD, DEPUTY, '2026-11-1', '2026-11-10'))).toBe('rangeInvalid')
    expect(checkAbsence(away(HEAD, DEPUTY))).toBeNull()
  })

  it('drops malformed absences read from storage', () => {
    const read = parseAbsences([away(HEAD, DEPUTY), away(HEAD, HEAD), { person: 'x' }, null, 7])
    expect(read).toEqual([away(HEAD, DEPUTY)])
    expect(parseAbsences('nope')).toEqual([])
    // As stored: app options hold text.
    expect(parseAbsences(serializeAbsences(read))).toEqual(read)
  })
})

describe('deputyOn', () => {
  it('covers the range, both ends included, in the portal zone', () => {
    const list = [away(HEAD, DEPUTY, '2026-11-02', '2026-11-03')]
    expect(deputyOn(list, HEAD.id, '2026-11-01')).toBeNull()
    expect(deputyOn(list, HEAD.id, '2026-11-02')).toEqual(DEPUTY)
    expect(deputyOn(list, HEAD.id, '2026-11-03')).toEqual(DEPUTY)
    expect(deputyOn(list, HEAD.id, '2026-11-04')).toBeNull()
    expect(deputyOn(list, LAWYER.id, '2026-11-02')).toBeNull()
    // 22:30 UTC on the 1st is already the 2nd in Moscow (UTC+3).
    expect(dayOf('2026-11-01T22:30:00.000Z', 180)).toBe('2026-11-02')
  })

  it('a later absence overrides an earlier one that overlaps it', () => {
    const list = [away(HEAD, DEPUTY, '2026-11-01', '2026-11-30'), away(HEAD, OTHER, '2026-11-05', '2026-11-06')]
    expect(deputyOn(list, HEAD.id, '2026-11-05')).toEqual(OTHER)
    expect(deputyOn(list, HEAD.id, '2026-11-07')).toEqual(DEPUTY)
  })
})

describe('deputySeats', () => {
  const day = '2026-11-02'
  it('hands the seat to the deputy, or on to the deputy\'s deputy who is away too', () => {
    expect(deputySeats(1, [LAWYER.id], [away(LAWYER, DEPUTY)], day, AUTHOR.id)).toEqual([{ step: 1, from: LAWYER, to: DEPUTY }])
    const chain = [away(LAWYER, DEPUTY), away(DEPUTY, OTHER)]
    expect(deputySeats(1, [LAWYER.id], chain, day, AUTHOR.id)).toEqual([{ step: 1, from: LAWYER, to: OTHER }])
  })

  it('never seats the author, someone already on the step, or anyone through a cycle', () => {
    expect(deputySeats(1, [LAWYER.id], [away(LAWYER, AUTHOR)], day, AUTHOR.id)).toEqual([])
    expect(deputySeats(1, [LAWYER.id, LAWYER2.id], [away(LAWYER, LAWYER2)], day, AUTHOR.id)).toEqual([])
    expect(deputySeats(1, [LAWYER.id], [away(LAWYER, DEPUTY), away(DEPUTY, LAWYER)], day, AUTHOR.id)).toEqual([])
    expect(deputySeats(1, [LAWYER.id], [away(LAWYER, DEPUTY, '2026-12-01', '2026-12-10')], day, AUTHOR.id)).toEqual([])
  })
})

describe('a turn that opens during the absence', () => {
  const submitAway = (absences: readonly Absence[]): Command => ({ ...submitCmd(500_000), absences } as Command)

  it('goes to the deputy «вместо» the person away, from the submission', () => {
    const log = act(EMPTY_LOG, AUTHOR, submitAway([away(LAWYER, DEPUTY)]), 0)
    const p = project(log)
    expect(p.currentApprovers).toEqual([DEPUTY.id, LAWYER2.id])
    expect(delegationsOf(log.events, p).get(seatKey(0, DEPUTY.id))).toEqual(LAWYER)
    // The deputy decides in the lawyer's place; the lawyer no longer can.
    expect(refusalOf(log, LAWYER, { type: 'approve' })).toBe('notCurrentApprover')
    const next = act(log, DEPUTY, { type: 'approve' }, 5)
    expect(project(next).currentStep).toBe(1)
  })

  it('goes to the deputy when an approval opens the next step', () => {
    const submitted = act(EMPTY_LOG, AUTHOR, submitCmd(500_000), 0)
    const approved = act(submitted, LAWYER, { type: 'approve', absences: [away(SECURITY, DEPUTY)] } as Command, 5)
    const p = project(approved)
    expect(p.currentStep).toBe(1)
    expect(p.currentApprovers).toEqual([DEPUTY.id])
    expect(delegationsOf(approved.events, p).get(seatKey(1, DEPUTY.id))).toEqual(SECURITY)
    // The deputy gets the to-do and the notice, which names whom they replace; security gets neither.
    const effects = effectsOfEvent(approved, approved.events.at(-1)!.id)
    expect(effects.flatMap((x) => (x.kind === 'todoOpen' ? [x.userId] : []))).toEqual([DEPUTY.id])
    const notice = effects.find((x) => x.kind === 'notify' && x.userId === DEPUTY.id)
    expect(notice && 'insteadOf' in notice ? notice.insteadOf : null).toEqual(SECURITY)
    expect(effects.some((x) => x.kind !== 'timeline' && x.userId === SECURITY.id)).toBe(false)
  })

  it('leaves a turn alone outside the range, and a turn already open', () => {
    const outside = act(EMPTY_LOG, AUTHOR, submitAway([away(LAWYER, DEPUTY, '2026-12-01', '2026-12-10')]), 0)
    expect(project(outside).currentApprovers).toEqual([LAWYER.id, LAWYER2.id])
    // An absence set while the step is already open hands nothing over: only new turns move.
    const later = act(outside, AUTHOR, { type: 'revise', version: { snapshot: snapshot(600_000), documentId: 700 } }, 5)
    expect(project(later).steps[0]?.approverIds).toEqual([LAWYER.id, LAWYER2.id])
  })

  it('a forged seat for the author takes no effect on replay', () => {
    const log: ApprovalLog = act(EMPTY_LOG, AUTHOR, submitCmd(500_000), 0)
    const first = log.events[0]!
    const { prevHash: _p, hash: _h, ...content } = first
    const forged = chainEvent(first.prevHash, { ...content, deputies: [{ step: 0, from: LAWYER, to: AUTHOR }, { step: 0, from: LAWYER2, to: LAWYER }] } as typeof content)
    const p = project({ events: [forged] })
    expect(p.currentApprovers).toEqual([LAWYER.id, LAWYER2.id])
  })
})

describe('the deputy\'s notification', () => {
  it('says whom they replace, the name declined', () => {
    const n: NotifyEffect = {
      kind: 'notify', key: 'e1:notify:11', eventId: 'e1', userId: 11, reason: 'yourTurn', actor: { id: 5, name: 'Елена Соколова' },
      round: 1, stepTitle: 'Служба безопасности', deadline: null, comment: null, insteadOf: { id: 8, name: 'Николай Егоров' },
    }
    const ru = notifyMessage(n, 'ru', 'Договор', 'https://portal/crm/1')
    expect(ru.message).toContain('Вместо Николая Егорова')
    expect(ru.messageOut).toContain('Вместо Николая Егорова')
    expect(notifyMessage(n, 'en', 'Contract', 'https://portal/crm/1').message).toContain('Instead of Николай Егоров')
  })
})
