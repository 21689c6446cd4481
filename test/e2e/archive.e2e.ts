// The archivist's round through the real shell, the built app and Chromium: the left-menu app,
// «Оригиналы и архив», the receipt of one contract's originals (the row moves to the archive),
// the archive searched by that contract's number, its card showing where the paper is kept; and
// on a 375 px phone nothing overflows sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { join } from 'node:path'
import { contractSpace, ARTIFACTS, PEOPLE, PHONE, appFrame, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'

const STORAGE = 'Шкаф 3, полка 2, папка 14'

let stack: Stack
let space: ContractSpace

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
})

afterAll(async () => {
  await stack?.close()
})

async function openArchive(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="greeting"]').waitFor({ timeout: 60_000 })
  await frame.getByRole('tab', { name: 'Оригиналы и архив' }).click()
  await frame.locator('[data-testid="archive-waiting"] [data-testid="archive-row"]').first().waitFor({ timeout: 60_000 })
  return frame
}

const overflow = (where: Page | FrameLocator) => where.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth)

describe('archivist: originals and archive', () => {
  it('records the receipt of one contract, finds it in the archive by number, sees the storage location in its card', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.archivist)
    try {
      const frame = await openArchive(page)
      await screenshot(page, 'archive-waiting')
      const row = frame.locator('[data-testid="archive-waiting"] [data-testid="archive-row"]').first()
      const id = Number(await row.getAttribute('data-id'))
      const number = (await row.locator('[data-testid="archive-row-number"]').textContent())?.replace(/^№\s*/, '').trim() ?? ''
      expect(number).not.toBe('')

      await row.locator('[data-testid="archive-row-receive"]').click()
      const dialog = frame.locator('[data-testid="archive-receive-dialog"]')
      await dialog.waitFor()
      await frame.locator('[data-testid="archive-receive-storage"]').fill(STORAGE)
      await screenshot(page, 'archive-receive-dialog')
      await frame.locator('[data-testid="archive-receive-confirm"]').click()
      await frame.locator('[data-testid="archive-done"]').waitFor({ timeout: 60_000 })
      await expect.poll(() => frame.locator(`[data-testid="archive-waiting"] [data-testid="archive-row"][data-id="${id}"]`).count()).toBe(0)

      // The number has its own filter (the text search looks in titles); Enter runs it.
      const byNumber = frame.locator('[data-testid="archive-filter-number"] input, input[data-testid="archive-filter-number"]').first()
      await byNumber.fill(number)
      await byNumber.press('Enter')
      const found = frame.locator('[data-testid="archive-browser"] [data-testid="archive-row"]')
      await expect.poll(() => found.count(), { timeout: 60_000 }).toBe(1)
      expect(await found.first().getAttribute('data-id')).toBe(String(id))
      expect(await found.first().locator('[data-testid="archive-row-storage"]').textContent()).toContain(STORAGE)
      await screenshot(page, 'archive-found')

      await found.first().locator('[data-testid="archive-row-open"]').click()
      await page.waitForURL(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${id}/`, { timeout: 60_000 })
      await page.locator('[data-testid="app-tab"]').first().click()
      const card = appFrame(page)
      await card.locator('[data-testid="approval-originals"][data-state="archived"]').waitFor({ timeout: 60_000 })
      expect(await card.locator('[data-testid="approval-originals-storage"]').textContent()).toBe(STORAGE)
      expect(await card.locator('[data-testid="approval-originals-by"]').textContent()).toContain('Павлова')
      expect(await card.locator('[data-testid="approval-stage"]').getAttribute('data-stage')).toBe('SUCCESS')
      await screenshot(page, 'archive-card')
    } finally {
      await context.close()
    }
  })

  it('at 375 px the waiting list, the archive and the dialog fit the phone', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.archivist, PHONE)
    try {
      const frame = await openArchive(page)
      await frame.locator('[data-testid="archive-browser"] [data-testid="archive-row"]').first().waitFor()
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await screenshot(page, 'archive-phone')
      await frame.locator('[data-testid="archive-browser"]').scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(ARTIFACTS, 'archive-browser-phone-view.png') })
      await frame.locator('[data-testid="archive-row-receive"]').first().click()
      await frame.locator('[data-testid="archive-receive-dialog"]').waitFor()
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      const box = await frame.locator('[data-testid="archive-receive-confirm"]').boundingBox()
      expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true)
      await screenshot(page, 'archive-dialog-phone')
      // What the phone shows: the dialog by the row it was opened from.
      await page.screenshot({ path: join(ARTIFACTS, 'archive-dialog-phone-view.png') })
    } finally {
      await context.close()
    }
  })
})
