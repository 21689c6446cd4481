/**
 * The receipt dialog's rules: a storage location is required and length-limited, the date of
 * receipt defaults to today and cannot be in the future; what it hands on is trimmed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import ArchiveReceiveDialog from '../../../src/components/archive/ArchiveReceiveDialog.vue'
import { daysSince, localToday, receiptIssues, STORAGE_LOCATION_MAX_LENGTH } from '../../../src/components/archive/receipt.ts'
import { mountApp } from '../setup.ts'

const TODAY = '2026-11-27'

function mountDialog(locale: 'ru' | 'en' = 'ru') {
  const confirmed: unknown[] = []
  const { wrapper } = mountApp(ArchiveReceiveDialog, {
    locale,
    props: { open: false, busy: false, contractTitle: 'Договор <b>поставки</b>', today: TODAY, onConfirm: (r: unknown) => confirmed.push(r) },
  })
  return { wrapper, confirmed }
}

const $ = (sel: string) => document.body.querySelector<HTMLElement>(`[data-testid="${sel}"]`)
const input = (sel: string) => $(sel) as HTMLInputElement

async function type(sel: string, value: string): Promise<void> {
  const el = input(sel)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await nextTick()
}

async function open(wrapper: ReturnType<typeof mountDialog>['wrapper']): Promise<void> {
  await wrapper.setProps({ open: true })
  for (let i = 0; i < 5 && !$('archive-receive-dialog'); i++) await new Promise((r) => setTimeout(r, 10))
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the receipt dialog', () => {
  it('requires a storage location, defaults the date to today, hands on trimmed values', async () => {
    const { wrapper, confirmed } = mountDialog()
    await open(wrapper)
    expect(input('archive-receive-date').value).toBe(TODAY)
    expect(input('archive-receive-date').getAttribute('max')).toBe(TODAY)
    // The title is text, never markup.
    expect($('archive-receive-contract')?.textContent).toBe('Договор <b>поставки</b>')
    expect($('archive-receive-contract')?.querySelector('b')).toBeNull()

    $('archive-receive-confirm')?.click()
    await nextTick()
    expect(confirmed).toEqual([])
    expect($('archive-receive-dialog')?.textContent).toContain('Укажите место хранения')

    await type('archive-receive-storage', '   ')
    $('archive-receive-confirm')?.click()
    await nextTick()
    expect(confirmed).toEqual([])

    await type('archive-receive-storage', '  Шкаф 3, полка 2, папка 14 ')
    await type('archive-receive-comment', ' принесла курьер ')
    expect($('archive-receive-dialog')?.textContent).not.toContain('Укажите место хранения')
    $('archive-receive-confirm')?.click()
    await nextTick()
    expect(confirmed).toEqual([{ receivedAt: TODAY, storageLocation: 'Шкаф 3, полка 2, папка 14', comment: 'принесла курьер' }])
    wrapper.unmount()
  })

  it('refuses a date in the future or no date, in English too', async () => {
    const { wrapper, confirmed } = mountDialog('en')
    await open(wrapper)
    await type('archive-receive-storage', 'Cabinet 1')
    await type('archive-receive-date', '2026-11-28')
    $('archive-receive-confirm')?.click()
    await nextTick()
    expect(confirmed).toEqual([])
    expect($('archive-receive-dialog')?.textContent).toContain('cannot be in the future')

    await type('archive-receive-date', '')
    $('archive-receive-confirm')?.click()
    await nextTick()
    expect(confirmed).toEqual([])
    expect($('archive-receive-dialog')?.textContent).toContain('Enter the date of receipt')

    await type('archive-receive-date', '2026-11-02')
    $('archive-receive-confirm')?.click()
    await nextTick()
    expect(confirmed).toEqual([{ receivedAt: '2026-11-02', storageLocation: 'Cabinet 1' }])
    wrapper.unmount()
  })

  it('limits the storage location to what the domain accepts', async () => {
    const { wrapper } = mountDialog()
    await open(wrapper)
    expect(input('archive-receive-storage').getAttribute('maxlength')).toBe(String(STORAGE_LOCATION_MAX_LENGTH))
    wrapper.unmount()
    const long = 'x'.repeat(STORAGE_LOCATION_MAX_LENGTH + 1)
    expect(receiptIssues({ receivedAt: TODAY, storageLocation: long, comment: '' }, TODAY)).toEqual({ storageLocation: 'storageTooLong' })
    expect(receiptIssues({ receivedAt: TODAY, storageLocation: 'x'.repeat(STORAGE_LOCATION_MAX_LENGTH), comment: '' }, TODAY)).toEqual({})
    expect(receiptIssues({ receivedAt: '2026-02-30x', storageLocation: 'a', comment: '' }, TODAY)).toEqual({ receivedAt: 'dateRequired' })
  })

  it('counts whole days of waiting and reads today from the local calendar', () => {
    const now = Date.parse('2026-11-27T12:00:00Z')
    expect(daysSince('2026-11-20T11:00:00Z', now)).toBe(7)
    expect(daysSince('2026-11-27T08:00:00Z', now)).toBe(0)
    expect(daysSince(null, now)).toBeNull()
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05')
  })
})
