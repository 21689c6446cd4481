// Issue 10 point 8: at 375 px the workspace's tab row is wider than the phone, so it scrolls; its
// edge fades where tabs hide (the hint), and the chosen tab is scrolled into view whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync } from 'node:fs'
import { PEOPLE, PHONE, appFrame, openPortal, startStack, type Stack } from './fixtures.ts'

let stack: Stack
const SHOTS = process.env.H4_SHOTS ?? ''

beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack?.close()
})

describe('workspace tabs on a phone', () => {
  it('show that they scroll, and the chosen tab scrolls into view', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.admin, PHONE)
    try {
      await page.goto(`${stack.portal.origin}/`)
      await page.locator('[data-testid="left-menu-app"]').click()
      const frame = appFrame(page)
      await frame.getByRole('tab', { name: 'Настройки' }).waitFor({ timeout: 60_000 })
      const bar = frame.locator('[data-testid="workspace-tabs-bar"]')
      const list = frame.locator('[data-testid="workspace-tabs-bar"] [data-slot="list"]')
      // Wider than the screen, the row hides tabs at its end and fades there.
      await expect.poll(() => bar.getAttribute('data-hidden-tabs'), { timeout: 30_000 }).toBe('end')
      expect(await list.evaluate((el) => getComputedStyle(el).maskImage || getComputedStyle(el).webkitMaskImage)).toContain('linear-gradient')
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true })
        await page.screenshot({ path: `${SHOTS}/workspace-tabs-375-start.png` })
      }

      await frame.getByRole('tab', { name: 'Настройки' }).click()
      await frame.locator('[data-testid="settings"]').waitFor({ timeout: 60_000 })
      await expect.poll(() => bar.getAttribute('data-hidden-tabs'), { timeout: 30_000 }).toBe('start')
      // The chosen tab shows whole inside the row.
      const inside = await frame.getByRole('tab', { name: 'Настройки' }).evaluate((tab) => {
        const row = tab.closest('[data-slot="list"]') as HTMLElement
        const a = tab.getBoundingClientRect()
        const b = row.getBoundingClientRect()
        return a.left >= b.left - 1 && a.right <= b.right + 1
      })
      expect(inside).toBe(true)
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/workspace-tabs-375-settings.png` })

      // Back to the first tab: the row scrolls back, the end fades again.
      await frame.getByRole('tab', { name: 'Мои согласования' }).click()
      await expect.poll(() => bar.getAttribute('data-hidden-tabs'), { timeout: 30_000 }).toBe('end')
    } finally {
      await context.close()
    }
  })
})
