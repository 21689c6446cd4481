// Delegation through the real shell, the built app and Chromium: the lawyer, about to go on
// holiday, hands the resubmitted contract waiting on her to the head of sales through the
// portal's own user picker; the route then shows him "instead of" her, she can no longer decide,
// and he — on a 375 px phone — opens the card from the portal and approves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, fullName, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { RESUBMITTED } from '../../emulator/seed/stories.ts'
import type { PortalData } from '../../emulator/core/db.ts'

const COMMENT = 'Я в отпуске до 10-го, прошу согласовать за меня'

let stack: Stack
let space: ContractSpace
let itemId: number
// The fixtures type the context by its public contract; the CRM tables are the emulator's own.
const db = () => stack.portal.ctx.db as unknown as PortalData

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  const items = Object.values(db().crm.items[space.entityTypeId] ?? {}) as Record<string, unknown>[]
  const found = items.find((i) => i[space.fields.number] === RESUBMITTED.number)
  itemId = Number(found?.id)
  // The story this test tells: the contract waits on the lawyer, and not on the head of sales.
  expect(found?.[space.fields.approvers]).toContain(PEOPLE.lawyer)
  expect(found?.[space.fields.approvers]).not.toContain(PEOPLE.salesHead)
})

afterAll(async () => {
  await stack?.close()
})

async function openTab(page: Page): Promise<void> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${itemId}/`)
  await page.locator('[data-testid="app-tab"]').first().click()
  await appFrame(page).locator('[data-testid="approval-header"]').waitFor({ timeout: 60_000 })
}

describe('delegation', () => {
  it('the lawyer hands her seat to the head of sales, who approves on a phone', async () => {
    const lawyer = findUser(stack.portal.ctx, PEOPLE.lawyer)
    const deputy = findUser(stack.portal.ctx, PEOPLE.salesHead)
    const { context, page } = await openPortal(stack, lawyer.ID)
    const phone = await openPortal(stack, deputy.ID, PHONE)
    try {
      await openTab(page)
      const tab = appFrame(page)
      await tab.locator('[data-testid="action-delegate"]').click()
      await tab.locator('[data-testid="delegate-dialog"]').waitFor()
      expect(await tab.locator('[data-testid="delegate-confirm"]').isDisabled()).toBe(true)

      // Her own name is refused at once, before anything is written.
      await tab.locator('[data-testid="delegate-pick"]').click()
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${lawyer.ID}"]`).click()
      expect(await tab.locator('[data-testid="delegate-refusal"]').getAttribute('data-code')).toBe('invalidDelegate')
      expect(await tab.locator('[data-testid="delegate-confirm"]').isDisabled()).toBe(true)

      await tab.locator('[data-testid="delegate-pick"]').click()
      await page.locator('[data-testid="user-picker"]').waitFor()
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${deputy.ID}"]`).click()
      await expect.poll(() => tab.locator('[data-testid="delegate-picked"]').getAttribute('data-user-id')).toBe(String(deputy.ID))
      await tab.locator('[data-testid="delegate-comment"] textarea, textarea[data-testid="delegate-comment"]').first().fill(COMMENT)
      await screenshot(page, 'delegation-dialog-lawyer')
      // The frame is as tall as the tab, so the dialog's buttons can sit below the portal's
      // viewport: she scrolls the portal page, as one does.
      await page.evaluate(() => window.scrollBy(0, 400))
      await tab.locator('[data-testid="delegate-confirm"]').click()

      // She sees him on the step in her place, and can no longer decide.
      const seat = tab.locator(`[data-testid="approval-current-approver"][data-user-id="${deputy.ID}"]`)
      await seat.waitFor({ timeout: 60_000 })
      expect(await seat.locator('[data-testid="approval-instead-of"]').textContent()).toContain('вместо Елены Соколовой')
      await tab.locator('[data-testid="approval-read-only"]').waitFor({ timeout: 60_000 })
      expect(await tab.locator(`[data-testid="approval-current-approver"][data-user-id="${lawyer.ID}"]`).count()).toBe(0)
      const history = tab.locator('[data-testid="approval-history-item"][data-type="delegated"]')
      expect(await history.count()).toBe(1)
      expect(await history.textContent()).toContain(COMMENT)
      await screenshot(page, 'delegation-after-lawyer')

      // The portal's timeline says it in words; the head of sales got a to-do and a notification.
      const messages = db().crm.logMessages.filter((m) => m.entityId === itemId && m.text.includes('передала согласование'))
      expect(messages).toHaveLength(1)
      expect(messages[0]?.text).toContain(`${fullName(lawyer)} передала согласование Игорю Кузнецову`)
      const todos = () => db().crm.activities.filter((a) => a.ownerId === itemId && a.responsibleId === deputy.ID)
      expect(todos().map((a) => a.completed)).toEqual(['N'])

      // He opens the card on a phone and approves.
      await openTab(phone.page)
      const mine = appFrame(phone.page)
      expect(await mine.locator(`[data-testid="approval-step-person"][data-user-id="${deputy.ID}"] [data-testid="approval-instead-of"]`).textContent())
        .toContain('вместо Елены Соколовой')
      const scrollWidth = await mine.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)
      expect(scrollWidth).toBeLessThanOrEqual(0)
      await screenshot(phone.page, 'delegation-deputy-phone')
      await mine.locator('[data-testid="action-approve"]').click()
      await mine.locator('[data-testid="approval-read-only"]').waitFor({ timeout: 60_000 })
      const approved = mine.locator(`[data-testid="approval-step-person"][data-user-id="${deputy.ID}"]`)
      await expect.poll(() => approved.textContent(), { timeout: 60_000 }).toContain('согласовал ')
      expect(todos().map((a) => a.completed)).toEqual(['Y'])
      await screenshot(phone.page, 'delegation-approved-phone')
    } finally {
      await context.close()
      await phone.context.close()
    }
  })
})
