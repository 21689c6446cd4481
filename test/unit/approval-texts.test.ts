// The texts the app leaves in Bitrix24: deadlines in the recipient's time zone, verbs agreed with
// the actor («Мария Козлова отправила…», not «отправил(а)»), names nobody can decline kept neutral.
import { describe, expect, it } from 'vitest'
import { notifyMessage, timelineMessage, when } from '../../src/services/approval/messages.ts'
import type { NotifyEffect, TimelineEffect } from '../../src/domain/effects.ts'

const notice: NotifyEffect = {
  kind: 'notify', key: 'e1:notify:6', eventId: 'e1', userId: 6, reason: 'yourTurn', actor: { id: 2, name: 'Мария Козлова' },
  round: 2, stepTitle: 'Финансовый директор', deadline: '2026-12-03T21:30:00.000Z', comment: 'Цена снижена до 11 000 000 ₽',
}

describe('texts left in the portal', () => {
  it('state a deadline in the recipient’s time zone, or say UTC when it is unknown', () => {
    expect(when('2026-12-03T21:30:00.000Z', 'ru', 'Europe/Moscow')).toBe('04.12.2026, 00:30')
    expect(when('2026-12-03T21:30:00.000Z', 'ru', 'Asia/Vladivostok')).toBe('04.12.2026, 07:30')
    expect(when('2026-12-03T21:30:00.000Z', 'ru', null)).toBe('03.12.2026, 21:30 UTC')
    expect(when('2026-12-03T21:30:00.000Z', 'ru', 'Nowhere/City')).toBe('03.12.2026, 21:30 UTC')
    const m = notifyMessage(notice, 'ru', 'Поставка', 'https://x.test/c/1', 'resubmitted', 'Europe/Moscow')
    expect(m.message).toContain('Срок: 04.12.2026, 00:30')
    expect(m.message).toContain('Комментарий: Цена снижена до 11 000 000 ₽')
    // Asked again after a change mid-round: the notice says why.
    expect(notifyMessage(notice, 'ru', 'Поставка', 'https://x.test/c/1', 'revised').message).toMatch(/^Договор изменили после согласования — согласуйте новую версию: /)
  })

  it('agree the verb with the actor in Russian', () => {
    const e: TimelineEffect = {
      kind: 'timeline', key: 'e1:timeline', eventId: 'e1',
      message: { event: 'resubmitted', actor: { id: 2, name: 'Мария Козлова' }, round: 2, step: null, stepTitle: null, comment: null, stage: 'APPROVAL', delegateTo: null },
    }
    expect(timelineMessage(e, 'ru').text).toContain('Мария Козлова отправила договор на повторное согласование')
    expect(timelineMessage({ ...e, message: { ...e.message, actor: { id: 3, name: 'Дмитрий Волков' } } }, 'ru').text).toContain('Дмитрий Волков отправил договор')
    expect(timelineMessage({ ...e, message: { ...e.message, actor: { id: 4, name: 'User 4' } } }, 'ru').text).toContain('User 4 отправил(а) договор')
    const delegated = { ...e.message, event: 'delegated' as const, actor: { id: 5, name: 'Елена Соколова' }, delegateTo: { id: 11, name: 'Игорь Кузнецов' } }
    expect(timelineMessage({ ...e, message: delegated }, 'ru').text).toContain('Елена Соколова передала согласование Игорю Кузнецову')
  })
})
