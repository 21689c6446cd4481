/**
 * The delegation dialog: nothing can be confirmed before a colleague is picked through the
 * portal's picker, a pick the domain would refuse is said at once, and a refusal that came back
 * from the portal is shown in the dialog next to the choice that caused it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref, type Ref } from 'vue'
import { flushPromises } from '@vue/test-utils'
import ApprovalDelegateDialog from '../../../src/components/approval/ApprovalDelegateDialog.vue'
import type { PickedUser } from '../../../src/platform/port.ts'
import type { RefusalCode } from '../../../src/domain/refusal.ts'
import { mountApp, waitFor } from '../setup.ts'
import { PEOPLE } from '../../support/people.ts'

const ME = PEOPLE.lawyer
const CFO = PEOPLE.cfo
const DEPUTY: PickedUser = { id: 11, name: 'Игорь Кузнецов', position: 'Руководитель отдела продаж', photo: null }

function mountDialog(picks: (PickedUser | null)[], refusal: Ref<RefusalCode | null> = ref(null)) {
  const confirmed: { to: PickedUser; comment: string }[] = []
  const queue = [...picks]
  const Host = defineComponent(() => {
    const open = ref(true)
    return () => h(ApprovalDelegateDialog, {
      open: open.value,
      'onUpdate:open': (v: boolean) => { open.value = v },
      busy: false,
      anchored: false,
      pick: async () => queue.shift() ?? null,
      selfId: ME,
      seatedIds: [ME, CFO],
      refusal: refusal.value,
      onConfirm: (to: PickedUser, comment: string) => confirmed.push({ to, comment }),
    })
  })
  mountApp(Host)
  return { confirmed, refusal }
}

const q = (id: string) => document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement | null
const confirmButton = () => q('delegate-confirm') as HTMLButtonElement

async function pick(): Promise<void> {
  ;(q('delegate-pick') as HTMLButtonElement).click()
  await flushPromises()
}

describe('ApprovalDelegateDialog', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('keeps confirm disabled until a colleague is picked, then hands over with the comment', async () => {
    const { confirmed } = mountDialog([null, DEPUTY])
    await waitFor(() => q('delegate-confirm') !== null)
    expect(confirmButton().disabled).toBe(true)
    expect(q('delegate-dialog')?.textContent).toContain('Сотрудник не выбран')

    // The picker closed without a choice: still nobody.
    await pick()
    expect(q('delegate-picked')).toBeNull()
    expect(confirmButton().disabled).toBe(true)

    await pick()
    expect(q('delegate-picked')?.getAttribute('data-user-id')).toBe('11')
    expect(q('delegate-picked')?.textContent).toContain('Игорь Кузнецов')
    expect(confirmButton().disabled).toBe(false)
    const textarea = document.body.querySelector('textarea') as HTMLTextAreaElement
    expect(textarea.maxLength).toBe(2000)
    textarea.value = '  В отпуске до 10-го  '
    textarea.dispatchEvent(new Event('input'))
    await flushPromises()
    confirmButton().click()
    await flushPromises()
    expect(confirmed).toEqual([{ to: DEPUTY, comment: 'В отпуске до 10-го' }])
  })

  it('says at once that the seat cannot go to oneself or to someone already on the step', async () => {
    const { confirmed } = mountDialog([
      { id: ME, name: 'Елена Соколова', position: '', photo: null },
      { id: CFO, name: 'Сергей Морозов', position: '', photo: null },
    ])
    await waitFor(() => q('delegate-pick') !== null)
    await pick()
    expect(q('delegate-refusal')?.getAttribute('data-code')).toBe('invalidDelegate')
    expect(q('delegate-refusal')?.textContent).toContain('самому себе')
    expect(confirmButton().disabled).toBe(true)
    await pick()
    expect(q('delegate-refusal')?.textContent).toContain('уже согласует этот шаг')
    expect(confirmButton().disabled).toBe(true)
    confirmButton().click()
    await flushPromises()
    expect(confirmed).toEqual([])
  })

  it('shows the refusal the portal returned', async () => {
    const refusal = ref<RefusalCode | null>(null)
    mountDialog([DEPUTY], refusal)
    await waitFor(() => q('delegate-pick') !== null)
    await pick()
    expect(q('delegate-refusal')).toBeNull()
    refusal.value = 'notCurrentApprover'
    await flushPromises()
    expect(q('delegate-refusal')?.getAttribute('data-code')).toBe('notCurrentApprover')
    expect(q('delegate-refusal')?.textContent).toContain('Сейчас решение принимаете не вы.')
  })
})
