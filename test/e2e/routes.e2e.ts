// The admin edits an approval route in the workspace's Settings tab through the real shell:
// a step's deadline changes and an approver is added with the portal's own employee picker,
// the save survives a page reload, and a non-admin sees the same routes read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
import { parseRouteSet } from '../../src/domain/route.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { PEOPLE, appFrame, findUser, fullName, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'

let stack: Stack

// The demo seed installs the app with the holding's routes (seedRoutes, version 1): the admin
// edits those as they come.
beforeAll(async () => {
  stack = await startStack()
  const seeded = parseRouteSet(stack.portal.ctx.db.app.options[APP_OPTION_KEYS.routes])
  if (!seeded.ok || seeded.set.version !== 1 || !seeded.set.routes.some((r) => r.id === 'standard')) {
    throw new Error('the demo seed did not store the holding\'s routes (version 1 with a "standard" route)')
  }
})

afterAll(async () => {
  await stack?.close()
})

async function openSettings(page: Page): Promise<FrameLocator> {
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="greeting"]').waitFor({ timeout: 60_000 })
  await frame.getByRole('tab', { name: 'Настройки' }).click()
  await frame.locator('[data-testid="settings"][data-state="done"]').waitFor()
  return frame
}

const step = (frame: FrameLocator, index: number) => frame.locator(`[data-testid="settings-step"][data-step-index="${index}"]`)

describe('routes: the admin edits, everyone reads', () => {
  it('saves a changed deadline and a picked approver, and the change survives a reload', async () => {
    const cfo = findUser(stack.portal.ctx, PEOPLE.cfo)
    const { context, page } = await openPortal(stack, PEOPLE.admin)
    try {
      await page.goto(`${stack.portal.origin}/`)
      let frame = await openSettings(page)
      expect(await frame.locator('[data-testid="settings-readonly"]').count()).toBe(0)
      await frame.locator('[data-testid="settings-route"][data-route-id="standard"]').click()

      await step(frame, 0).locator('input[data-testid="settings-step-sla"]').fill('36')
      await step(frame, 0).locator('[data-testid="settings-pick-approvers"]').click()
      // The picker is the portal's dialog, outside the app's iframe.
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${cfo.ID}"] input`).check()
      await page.locator('[data-testid="user-picker-ok"]').click()
      await expect.poll(() => step(frame, 0).locator(`[data-testid="settings-approver"][data-approver="u${cfo.ID}"]`).textContent()).toContain(fullName(cfo))
      await screenshot(page, 'routes-admin-editing')

      await frame.locator('[data-testid="settings-save"]').click()
      await frame.locator('[data-testid="settings-saved"]').waitFor()
      expect(await frame.locator('[data-testid="settings-version"]').textContent()).toContain('Версия 2')
      const stored = parseRouteSet(stack.portal.ctx.db.app.options[APP_OPTION_KEYS.routes])
      expect(stored.ok && stored.set.version).toBe(2)

      await page.reload()
      frame = await openSettings(page)
      await frame.locator('[data-testid="settings-route"][data-route-id="standard"]').click()
      expect(await frame.locator('[data-testid="settings-version"]').textContent()).toMatch(/Версия 2 · сохранил Алексей Смирнов/)
      expect(await step(frame, 0).locator('input[data-testid="settings-step-sla"]').inputValue()).toBe('36')
      expect(await step(frame, 0).locator(`[data-testid="settings-approver"][data-approver="u${cfo.ID}"]`).textContent()).toContain(fullName(cfo))

      await page.setViewportSize({ width: 375, height: 812 })
      await expect.poll(() => frame.locator('[data-testid="settings"]').evaluate((el) => el.ownerDocument.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
      await screenshot(page, 'routes-admin-phone')
    } finally {
      await context.close()
    }
  })

  it('shows a non-admin the saved routes read-only, with a note why', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.lawyer)
    try {
      await page.goto(`${stack.portal.origin}/`)
      const frame = await openSettings(page)
      expect(await frame.locator('[data-testid="settings"]').getAttribute('data-readonly')).toBe('true')
      expect(await frame.locator('[data-testid="settings-readonly"]').textContent()).toContain('только администратор Битрикс24')
      await frame.locator('[data-testid="settings-route"][data-route-id="standard"]').click()
      expect(await step(frame, 0).locator('[data-testid="settings-step-rule"]').textContent()).toContain('срок 36 часов')
      expect(await step(frame, 0).textContent()).toContain('Сергей Морозов')
      expect(await frame.locator('[data-testid="settings"] input').count()).toBe(0)
      expect(await frame.locator('[data-testid="settings-save"]').count()).toBe(0)
      expect(await frame.locator('[data-testid="settings-pick-approvers"]').count()).toBe(0)
      await screenshot(page, 'routes-readonly')
    } finally {
      await context.close()
    }
  })
})
