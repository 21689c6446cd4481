// The archivist's desk (issue 11) through the real shell, the built app and Chromium: the admin
// has named Татьяна Павлова the archivist in Settings; a contract's last approval calls her (the
// bell); she lands on «Оригиналы и архив», reminds the author, prints the contract's cover sheet,
// "scans" its QR code (a USB scanner types it and presses Enter), is stopped by a receipt date
// before the approval, receives the original with a place from her own list, finds it by number
// and by an amount range, the filter survives a reload, and she exports it as CSV. The author
// sees where the paper is but cannot record the receipt. At 375 px nothing overflows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import type { FrameLocator, Page } from 'playwright-core'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { act } from '../../src/services/approval/actions.ts'
import { readContract } from '../../src/services/approval/record.ts'
import { project } from '../../src/domain/projection.ts'
import { stageCodeOf } from '../../src/domain/schema.ts'
import { PLACES_OPTION, serializePlaces } from '../../src/domain/archive.ts'
import { createNodePort } from '../support/node-port.ts'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, fullName, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'

const PLACE = 'Шкаф 3, полка 2, папка 14'

let stack: Stack
let space: ContractSpace

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  // The places the archivist keeps (her own user option, as the dialog saves it).
  await createNodePort({ origin: stack.portal.origin, userId: PEOPLE.archivist, ctx: stack.portal.ctx, attempts: 3 })
    .setUserOption(PLACES_OPTION, serializePlaces([PLACE, 'Сейф бухгалтерии']))
})

afterAll(async () => {
  await stack?.close()
})

type Item = Record<string, unknown>
interface Todo { ownerId: number; responsibleId: number; completed: string }
const crm = () => (stack.portal.ctx.db as unknown as { crm: { items: Record<string, Record<string, Item>>; activities: Todo[] } }).crm
const items = (): Item[] => Object.values(crm().items[String(space.entityTypeId)] ?? {})
const item = (id: number) => items().find((it) => Number(it.id) === id) as Item
const stage = (id: number) => stageCodeOf(String(item(id).stageId))
const overflow = (where: Page | FrameLocator) => where.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth)
const input = (frame: FrameLocator, id: string) => frame.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first()

/** Every remaining approval of a contract, by its approvers, through the app's own use case. */
async function approveToOriginals(id: number): Promise<void> {
  for (let guard = 0; guard < 10 && stage(id) === 'APPROVAL'; guard++) {
    const reader = createNodePort({ origin: stack.portal.origin, userId: PEOPLE.admin, ctx: stack.portal.ctx, attempts: 3 })
    const p = project(readContract(await reader.getItem(space.entityTypeId, id), space).stored.log)
    const who = p.currentApprovers[0]
    if (who === undefined || p.currentStep === null) throw new Error(`contract ${id} has nobody deciding`)
    const user = findUser(stack.portal.ctx, who)
    const port = createNodePort({ origin: stack.portal.origin, userId: who, ctx: stack.portal.ctx, attempts: 3 })
    const res = await act(port, space, {
      itemId: id, actor: { id: who, name: fullName(user) }, eventId: crypto.randomUUID(), at: new Date().toISOString(),
      intent: { type: 'approve', round: p.round, step: p.currentStep },
    })
    if (!res.ok) throw new Error(`approve refused: ${res.reason}`)
  }
}

async function openApp(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="greeting"]').waitFor({ timeout: 90_000 })
  return frame
}

describe('the archivist\'s desk', () => {
  let contractId = 0
  let number = ''

  it('the admin names the archivists in Settings', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.admin)
    try {
      const frame = await openApp(page)
      await frame.getByRole('tab', { name: 'Настройки' }).click()
      const block = frame.locator('[data-testid="settings-archivists"]')
      await block.waitFor({ timeout: 90_000 })
      // The demo's archivist is named already; the admin adds the CFO, saves, and takes him off again.
      await expect.poll(() => block.locator('[data-testid="settings-archivist"] > span').allTextContents(), { timeout: 60_000 }).toEqual(['Татьяна Павлова'])
      await block.locator('[data-testid="settings-archivists-add"]').click()
      // The picker is the portal's dialog, outside the app's iframe.
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${PEOPLE.cfo}"] input`).check()
      await page.locator('[data-testid="user-picker-ok"]').click()
      await expect.poll(() => block.locator('[data-testid="settings-archivist"]').count()).toBe(2)
      await block.locator('[data-testid="settings-archivists-save"]').click()
      await block.locator('[data-testid="settings-archivists-saved"]').waitFor()
      expect(String(stack.portal.ctx.db.app.options.ca_archivists)).toContain(`[${PEOPLE.archivist},${PEOPLE.cfo}]`)
      await screenshot(page, 'archivist-settings')
      await block.locator(`[data-testid="settings-archivist"][data-id="${PEOPLE.cfo}"] button`).click()
      await block.locator('[data-testid="settings-archivists-save"]').click()
      await expect.poll(() => String(stack.portal.ctx.db.app.options.ca_archivists)).toContain(`[${PEOPLE.archivist}]`)
    } finally {
      await context.close()
    }
  })

  it('a contract\'s last approval calls the archivist: bell, landing tab, who brings the paper, a reminder', async () => {
    // A contract on approval, approved to the end by its approvers.
    const candidate = items().find((it) => stageCodeOf(String(it.stageId)) === 'APPROVAL' && String(it[space.fields.number] ?? '') !== '' && Number(it.opportunity) > 0)
    if (!candidate) throw new Error('the demo has no contract on approval')
    contractId = Number(candidate.id)
    number = String(candidate[space.fields.number])
    await approveToOriginals(contractId)
    expect(stage(contractId)).toBe('ORIGINALS')

    const { context, page } = await openPortal(stack, PEOPLE.archivist)
    try {
      await page.goto(`${stack.portal.origin}/`)
      await expect.poll(() => page.locator('[data-testid="bell-count"]').textContent(), { timeout: 60_000 }).not.toBe('0')
      await page.locator('[data-testid="bell"]').click()
      await expect.poll(() => page.locator('[data-testid="notification"]').allTextContents(), { timeout: 60_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining('ждём бумажный оригинал')]))
      await screenshot(page, 'archivist-bell')
      // Her CRM to-do in the contract's card.
      expect(crm().activities.some((a) => a.ownerId === contractId && a.responsibleId === PEOPLE.archivist && a.completed === 'N')).toBe(true)

      // She lands on «Оригиналы и архив» without a click.
      const frame = await openApp(page)
      await frame.locator('[data-testid="archive-tab"]').waitFor({ timeout: 90_000 })
      expect(await frame.getByRole('tab', { name: 'Оригиналы и архив' }).getAttribute('aria-selected')).toBe('true')
      const row = frame.locator(`[data-testid="archive-waiting"] [data-testid="archive-row"][data-id="${contractId}"]`)
      await row.waitFor({ timeout: 90_000 })
      const author = findUser(stack.portal.ctx, Number(item(contractId).assignedById))
      expect(await row.locator('[data-testid="archive-row-bringer"]').textContent()).toContain(fullName(author))
      await row.locator('[data-testid="archive-row-days"]').waitFor()
      await row.locator('[data-testid="archive-row-remind"]').click()
      await expect.poll(() => row.locator('[data-testid="archive-row-remind"]').getAttribute('data-state'), { timeout: 60_000 }).toBe('sent')
      expect(stack.portal.ctx.db.notifications.some((n) => n.userId === author.ID && n.tag?.startsWith(`CA|${contractId}|remind|`))).toBe(true)
      await screenshot(page, 'archivist-landing')
    } finally {
      await context.close()
    }
  })

  it('prints the cover sheet, scans its code, is held to the approval date, receives with a place from her list', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.archivist)
    try {
      // Her landing was remembered: this visit opens on the archive, whose batch comes first.
      expect(stack.portal.ctx.db.app.userOptions[PEOPLE.archivist]?.ca_landing).toBe('archive')
      const batches: string[] = []
      page.on('request', (r) => {
        if (r.url().startsWith(`${stack.portal.origin}/rest/batch`)) batches.push(r.postData() ?? '')
      })
      const frame = await openApp(page)
      const row = frame.locator(`[data-testid="archive-waiting"] [data-testid="archive-row"][data-id="${contractId}"]`)
      await row.waitFor({ timeout: 90_000 })
      expect(batches[0]).toContain('"waiting"')
      expect(batches[0]).not.toContain('"inbox"')
      await row.locator('[data-testid="archive-row-cover"]').click()
      const sheet = frame.locator('[data-testid="archive-cover-sheet"]')
      await sheet.waitFor({ timeout: 60_000 })
      await frame.locator('[data-testid="archive-cover-qr"]').waitFor()
      const code = String(await sheet.getAttribute('data-code'))
      expect(code).toBe(`CA:${contractId}:${number}`)
      expect(await sheet.textContent()).toContain(number)
      expect(await frame.locator('[data-testid="archive-cover-approvals"] tr').count()).toBeGreaterThan(0)
      // Print: the browser's own dialog, counted instead of shown; the print layout is the sheet alone.
      await frame.locator('html').evaluate(() => {
        const w = window as unknown as { print: () => void; printed: number }
        w.printed = 0
        w.print = () => { w.printed++ }
      })
      await frame.locator('[data-testid="archive-cover-print"]').click()
      expect(await frame.locator('html').evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
      await screenshot(page, 'archivist-cover-sheet')
      await page.keyboard.press('Escape')
      await sheet.waitFor({ state: 'detached' })

      // The scanner types the code (under the Russian layout "CA:" arrives as "СФЖ") and Enter.
      const scan = input(frame, 'archive-scan')
      await scan.scrollIntoViewIfNeeded()
      await scan.pressSequentially('СФЖ' + code.slice(3).replace(/:/g, 'Ж'), { delay: 5 })
      await scan.press('Enter')
      const dialog = frame.locator('[data-testid="archive-receive-dialog"]')
      await dialog.waitFor({ timeout: 60_000 })
      expect(await frame.locator('[data-testid="archive-receive-contract"]').textContent()).toBe(String(item(contractId).title))

      // A date before the approval is refused in words.
      await input(frame, 'archive-receive-date').fill('2020-01-15')
      await frame.locator('[data-testid="archive-place"]', { hasText: PLACE }).click()
      expect(await input(frame, 'archive-receive-storage').inputValue()).toBe(PLACE)
      await frame.locator('[data-testid="archive-receive-confirm"]').click()
      await expect.poll(() => dialog.textContent()).toContain('не может быть раньше согласования')
      expect(stage(contractId)).toBe('ORIGINALS')
      await screenshot(page, 'archivist-date-before-approval')

      await input(frame, 'archive-receive-date').fill(new Date().toISOString().slice(0, 10))
      await frame.locator('[data-testid="archive-receive-confirm"]').click()
      await frame.locator('[data-testid="archive-done"]').waitFor({ timeout: 90_000 })
      expect(stage(contractId)).toBe('SUCCESS')
      expect(item(contractId)[space.fields.storageLocation]).toBe(PLACE)
      // Her to-do is closed with the receipt.
      await expect.poll(() => crm().activities.filter((a) => a.ownerId === contractId && a.responsibleId === PEOPLE.archivist && a.completed === 'N').length, { timeout: 30_000 }).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('finds it by number and by an amount range, keeps the filter over a reload, exports the filter as CSV', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.archivist)
    try {
      let frame = await openApp(page)
      await frame.locator('[data-testid="archive-browser"]').waitFor({ timeout: 90_000 })
      const found = frame.locator('[data-testid="archive-browser"] [data-testid="archive-row"]')
      await input(frame, 'archive-filter-number').fill(number)
      await input(frame, 'archive-filter-number').press('Enter')
      await expect.poll(() => found.count(), { timeout: 60_000 }).toBe(1)
      expect(await found.first().getAttribute('data-id')).toBe(String(contractId))
      expect(await found.first().locator('[data-testid="archive-row-storage"]').textContent()).toContain(PLACE)

      // By amount: from just below to just above this contract's amount.
      const amount = Number(item(contractId).opportunity)
      await input(frame, 'archive-filter-number').fill('')
      await input(frame, 'archive-filter-amount-min').fill(String(Math.floor(amount * 0.99)))
      await input(frame, 'archive-filter-amount-max').fill(String(Math.ceil(amount * 1.01)))
      await input(frame, 'archive-filter-amount-max').press('Enter')
      await expect.poll(async () => (await found.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).includes(String(contractId)), { timeout: 60_000 }).toBe(true)
      const amounts = await frame.locator('[data-testid="archive-browser"] [data-testid="archive-row-amount"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-amount'))))
      expect(amounts.every((a) => a >= Math.floor(amount * 0.99) && a <= Math.ceil(amount * 1.01))).toBe(true)
      const total = Number(await frame.locator('[data-testid="archive-count"]').getAttribute('data-total'))
      expect(total).toBe(amounts.length)
      await screenshot(page, 'archivist-amount-range')

      // The filter is remembered: a reload of the portal page brings it back.
      await page.waitForTimeout(2500)
      await page.reload()
      frame = await openApp(page)
      await expect.poll(() => input(frame, 'archive-filter-amount-min').inputValue(), { timeout: 90_000 }).toBe(String(Math.floor(amount * 0.99)))
      await expect.poll(() => found.count(), { timeout: 60_000 }).toBe(amounts.length)

      // Export: UTF-8 with BOM, «;», the rows of the filter and a total line.
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), frame.locator('[data-testid="archive-export"]').click()])
      const csv = readFileSync(String(await download.path()), 'utf8')
      expect(csv.startsWith('\uFEFFID;Номер;')).toBe(true)
      const lines = csv.split('\r\n').filter(Boolean)
      expect(lines).toHaveLength(amounts.length + 2)
      expect(csv).toContain(`${contractId};${number};`)
      await frame.locator('[data-testid="archive-export-notice"][data-kind="done"]').waitFor()
      await screenshot(page, 'archivist-export')
    } finally {
      await context.close()
    }
  })

  it('the author sees where the paper is and cannot record the receipt', async () => {
    const waiting = items().find((it) => stageCodeOf(String(it.stageId)) === 'ORIGINALS') as Item
    const authorId = Number(waiting.assignedById)
    const { context, page } = await openPortal(stack, authorId)
    try {
      const frame = await openApp(page)
      await frame.getByRole('tab', { name: 'Оригиналы и архив' }).click()
      await frame.locator('[data-testid="archive-not-archivist"]').waitFor({ timeout: 90_000 })
      expect(await frame.locator('[data-testid="archive-row-receive"]').count()).toBe(0)
      expect(await frame.locator('[data-testid="archive-scan"]').count()).toBe(0)
      await screenshot(page, 'archivist-author-view')
      // In the contract's card: the paper is awaited, no receipt button.
      await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${Number(waiting.id)}/`)
      await page.locator('[data-testid="app-tab"]').first().click()
      const card = appFrame(page)
      await card.locator('[data-testid="approval-originals"][data-state="waiting"]').waitFor({ timeout: 90_000 })
      expect(await card.locator('[data-testid="approval-receive"]').count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('at 375 px the desk fits the phone: scan field, filters, rows and the cover sheet', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.archivist, PHONE)
    try {
      const frame = await openApp(page)
      await frame.locator('[data-testid="archive-browser"]').waitFor({ timeout: 90_000 })
      // The filter of the earlier visit is remembered: back to the whole archive.
      if (await frame.locator('[data-testid="archive-reset"]').count()) await frame.locator('[data-testid="archive-reset"]').click()
      await frame.locator('[data-testid="archive-browser"] [data-testid="archive-row"]').first().waitFor({ timeout: 90_000 })
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await screenshot(page, 'archivist-phone')
      await frame.locator('[data-testid="archive-browser"] [data-testid="archive-row-cover"]').first().click()
      await frame.locator('[data-testid="archive-cover-sheet"]').waitFor({ timeout: 60_000 })
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      await screenshot(page, 'archivist-cover-phone')
    } finally {
      await context.close()
    }
  })
})
