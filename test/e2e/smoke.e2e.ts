// The thinnest slice through everything: the shell opens the built app the way Bitrix24 does,
// the unmodified SDK initialises through the postMessage protocol, and a REST call made with
// the frame's token comes back as the user the portal says is logged in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PEOPLE, appFrame, findUser, fullName, openPortal, screenshot, startStack, switchUser, type Stack } from './fixtures.ts'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.close()
})

describe('smoke: portal shell + app', () => {
  it('shows the app tab in a contract card as the user switched to, and follows a switch', async () => {
    const { ctx } = stack.portal
    const admin = findUser(ctx, PEOPLE.admin)
    const lawyer = findUser(ctx, PEOPLE.lawyer)
    const { context, page } = await openPortal(stack, admin.ID)
    try {
      await page.goto(`${stack.portal.origin}/`)
      await expect.poll(() => page.locator('select[data-testid="user-switcher"]').inputValue()).toBe(String(admin.ID))

      await switchUser(page, lawyer)
      expect(await page.locator('select[data-testid="user-switcher"]').inputValue()).toBe(String(lawyer.ID))

      await page.locator('[data-testid="left-menu-contracts"]').click()
      const link = page.locator('a[data-testid="contract-link"]').first()
      await link.waitFor()
      await link.click()
      await page.waitForURL(/\/crm\/type\/\d+\/details\/\d+\/$/)

      await page.locator('[data-testid="app-tab"]').first().click()
      const frame = page.locator('iframe[data-testid="app-frame"]')
      await frame.waitFor()
      expect(await frame.getAttribute('name')).toMatch(new RegExp(`^${stack.portal.ctx.domain.replace(/\./g, '\\.')}\\|0\\|[0-9a-f]{32}$`))
      await expect.poll(() => appFrame(page).locator('[data-testid="greeting"]').textContent(), { timeout: 60_000 }).toContain(fullName(lawyer))
      await appFrame(page).locator('[data-testid="contract-tab"]').waitFor()
      await screenshot(page, 'smoke-contract-tab-lawyer')

      await switchUser(page, admin)
      await page.locator('[data-testid="app-tab"]').first().click()
      await expect.poll(() => appFrame(page).locator('[data-testid="greeting"]').textContent(), { timeout: 60_000 }).toContain(fullName(admin))
    } finally {
      await context.close()
    }
  })

  it('opened directly, outside Bitrix24, says so instead of hanging', async () => {
    const context = await stack.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${stack.app.origin}/`)
      await page.locator('[data-testid="outside-bitrix"]').waitFor({ state: 'visible', timeout: 2_000 })
    } finally {
      await context.close()
    }
  })
})
