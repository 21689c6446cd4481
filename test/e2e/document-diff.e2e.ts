// "What changed in the document" in Chromium: the lawyer opens the resubmitted demo contract
// «СЕВ-П-2026/0777», asks for the comparison, and sees the new amount highlighted as an
// addition and the old one struck out; on a 375 px phone the comparison fits the screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { contractSpace, ARTIFACTS, PEOPLE, PHONE, appFrame, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import { RESUBMITTED } from '../../emulator/seed/stories.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'

let stack: Stack
let space: ContractSpace
let itemId: number

const overflow = (where: Page | FrameLocator) => where.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth)
const plain = (s: string | null) => (s ?? '').replace(/\s/g, ' ')

async function openDiff(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${itemId}/`)
  await page.locator('[data-testid="app-tab"]').first().click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="document-diff-toggle"]').click({ timeout: 90_000 })
  await frame.locator('[data-testid="document-diff-panel"][data-state="done"]').waitFor({ timeout: 60_000 })
  return frame
}

beforeAll(async () => {
  stack = await startStack()
  const { ctx } = stack.portal
  space = contractSpace(stack)
  const found = await ctx.callAs(PEOPLE.admin, 'crm.item.list', {
    entityTypeId: space.entityTypeId, select: ['id'], filter: { [space.fields.number]: RESUBMITTED.number },
  })
  itemId = Number((found.result as { items: { id: number }[] }).items[0]?.id)
})

afterAll(async () => {
  await stack?.close()
})

describe('document comparison', () => {
  it('the lawyer sees the changed amount highlighted', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.lawyer)
    try {
      const frame = await openDiff(page)
      const added = frame.locator('[data-testid="diff-word-added"]', { hasText: /11\s950\s000/ })
      const removed = frame.locator('[data-testid="diff-word-removed"]', { hasText: /12\s400\s000/ })
      expect(plain(await added.textContent())).toBe('11 950 000')
      expect(plain(await removed.textContent())).toBe('12 400 000')
      // Highlighted for the eye, not only marked in the DOM: underlined on a tint, struck through.
      const look = (el: typeof added) => el.evaluate((n) => {
        const s = getComputedStyle(n)
        return { line: s.textDecorationLine, bg: s.backgroundColor }
      })
      const a = await look(added)
      const r = await look(removed)
      expect(a.line).toContain('underline')
      expect(r.line).toContain('line-through')
      expect(a.bg).not.toBe('rgba(0, 0, 0, 0)')
      expect(r.bg).not.toBe(a.bg)
      // Unchanged clauses are context or folded away, never marked as changes.
      const marked = await frame.locator('[data-testid="diff-changed"], [data-testid="diff-added"], [data-testid="diff-removed"]').allTextContents()
      expect(marked).toHaveLength(3)
      expect(marked.join('\n')).not.toContain('5. Споры')
      await frame.locator('[data-testid="document-diff-panel"]').scrollIntoViewIfNeeded()
      mkdirSync(ARTIFACTS, { recursive: true })
      await frame.locator('[data-testid="document-diff-panel"]').screenshot({ path: join(ARTIFACTS, 'document-diff-panel.png') })
      await screenshot(page, 'document-diff-lawyer')
    } finally {
      await context.close()
    }
  })

  it('at 375 px the comparison, expanded, fits the phone', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.lawyer, PHONE)
    try {
      const frame = await openDiff(page)
      const expand = frame.locator('[data-testid="diff-expand"]')
      for (let i = 0; i < await expand.count(); i++) await expand.nth(i).click()
      expect(await frame.locator('[data-testid="diff-same"]').count()).toBeGreaterThan(2)
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      const panel = frame.locator('[data-testid="document-diff-panel"]')
      expect(await panel.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0)
      await panel.screenshot({ path: join(ARTIFACTS, 'document-diff-phone-panel.png') })
      await screenshot(page, 'document-diff-phone')
    } finally {
      await context.close()
    }
  })
})
