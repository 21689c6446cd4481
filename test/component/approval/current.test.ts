import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import ApprovalCurrent from '../../../src/components/approval/ApprovalCurrent.vue'
import type { PortalUserInfo } from '../../../src/platform/port.ts'
import { mountApp } from '../setup.ts'

const lawyer: PortalUserInfo = { id: 5, name: 'Елена', lastName: 'Соколова', fullName: 'Елена Соколова', position: 'Юрист', photo: null, departmentIds: [5] }

// The deadline is what an approver must not miss: past it, the line changes wording and colour.
function mountCurrent(deadline: string, now: number, insteadOf?: ReadonlyMap<number, string>) {
  const Host = defineComponent(() => {
    return () => h(ApprovalCurrent, { approverIds: [5, 77], users: new Map([[5, lawyer]]), deadline, now, insteadOf })
  })
  return mountApp(Host).wrapper
}

describe('ApprovalCurrent', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('names the approvers (an unknown one by id) and shows the deadline', () => {
    const w = mountCurrent('2026-12-01T10:00:00Z', Date.parse('2026-11-30T10:00:00Z'))
    const people = w.findAll('[data-testid="approval-current-approver"]')
    expect(people.map((x) => x.attributes('data-user-id'))).toEqual(['5', '77'])
    expect(people[0]?.text()).toContain('Елена Соколова')
    expect(people[0]?.text()).toContain('Юрист')
    expect(people[1]?.find('.font-medium').text()).toBe('#77')
    const line = w.get('[data-testid="approval-deadline"]')
    expect(line.attributes('data-overdue')).toBe('false')
    expect(line.text()).toMatch(/^Срок: 01\.12\.2026/)
  })

  it('highlights an overdue step', () => {
    const w = mountCurrent('2026-12-01T10:00:00Z', Date.parse('2026-12-02T10:00:00Z'))
    const line = w.get('[data-testid="approval-deadline"]')
    expect(line.attributes('data-overdue')).toBe('true')
    expect(line.text()).toMatch(/^Просрочено: срок истёк 01\.12\.2026/)
    expect(line.classes()).toContain('font-semibold')
  })

  it('names whom a delegate replaces, and only for the delegate', () => {
    const w = mountCurrent('2026-12-01T10:00:00Z', Date.parse('2026-11-30T10:00:00Z'), new Map([[77, 'Сергей Морозов']]))
    const marks = w.findAll('[data-testid="approval-instead-of"]')
    expect(marks).toHaveLength(1)
    expect(marks[0]?.text()).toBe('вместо Сергея Морозова')
    expect(w.findAll('[data-testid="approval-current-approver"]')[1]?.text()).toContain('вместо Сергея Морозова')
  })
})
