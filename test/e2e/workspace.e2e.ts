// The lawyer's morning through the real shell, the built app and Chromium: the left-menu app
// opens on "My approvals", the resubmitted contract is there marked round 2, a click opens its
// card in the portal (openPath), and on a 375 px phone the list stacks without sideways scroll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
import { RESUBMITTED } from '../../emulator/seed/stories.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { contractSpace, PEOPLE, PHONE, appFrame, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'

let stack: Stack
let space: ContractSpace

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
})

afterAll(async () => {
  await stack?.close()
})

async function openWorkspace(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="workspace-inbox"] [data-testid="workspace-row"]').first().waitFor({ timeout: 60_000 })
  return frame
}

const resubmitted = (frame: FrameLocator) => frame.locator('[data-testid="workspace-row"]', { hasText: RESUBMITTED.number })

describe('workspace: My approvals', () => {
  it('the lawyer sees the resubmission marked round 2 and opens its card', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.lawyer)
    try {
      const frame = await openWorkspace(page)
      const row = resubmitted(frame)
      await expect.poll(() => row.count()).toBe(1)
      expect(await row.locator('[data-testid="workspace-row-round"]').textContent()).toContain('Повторно — круг 2')
      expect(await frame.locator('[data-testid="workspace-row"]').first().getAttribute('data-overdue')).toBe('true')
      await screenshot(page, 'workspace-inbox-lawyer')

      const id = Number(await row.getAttribute('data-id'))
      const card = `${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${id}/`
      await row.click()
      await page.waitForURL(card, { timeout: 60_000 })
    } finally {
      await context.close()
    }
  })

  it('at 375 px the rows stack and nothing overflows sideways', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.lawyer, PHONE)
    try {
      const frame = await openWorkspace(page)
      await expect.poll(() => resubmitted(frame).count()).toBe(1)
      const overflow = (where: Page | FrameLocator) => where.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth)
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      // Stacked: within a row, the amount sits below the number, not beside it.
      const row = resubmitted(frame)
      const number = await row.locator('[data-testid="workspace-row-number"]').boundingBox()
      const amount = await row.locator('[data-testid="workspace-row-amount"]').boundingBox()
      expect(number && amount && amount.y >= number.y + number.height - 1).toBe(true)
      await screenshot(page, 'workspace-inbox-phone')

      await frame.getByRole('tab', { name: 'Мои договоры' }).click()
      await frame.locator('[data-testid="workspace-mine"]').waitFor()
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      await screenshot(page, 'workspace-mine-phone')
    } finally {
      await context.close()
    }
  })

  it('the author\'s "My contracts" highlights what came back for revision', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.salesManager)
    try {
      await page.goto(`${stack.portal.origin}/`)
      await page.locator('[data-testid="left-menu-app"]').click()
      const frame = appFrame(page)
      await frame.locator('[data-testid="greeting"]').waitFor({ timeout: 60_000 })
      await frame.getByRole('tab', { name: 'Мои договоры' }).click()
      await frame.locator('[data-testid="workspace-returned-alert"]').waitFor()
      const returned = frame.locator('[data-testid="workspace-row"][data-stage="RETURNED"]')
      expect(await returned.count()).toBeGreaterThan(0)
      expect(await returned.first().locator('[data-testid="workspace-row-needs-you"]').textContent()).toBe('Нужны ваши правки')
      await screenshot(page, 'workspace-mine-author')
    } finally {
      await context.close()
    }
  })
})
