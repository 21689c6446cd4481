// The Analytics tab through the real shell, the built app and Chromium, as the admin on the demo
// portal: the numbers equal what the seed's stories (emulator/seed/stories.ts) give by hand, a
// count drills down to its contracts and one opens its card, a table exports as Excel-ready CSV,
// and at 375 px nothing overflows sideways. The lawyer, not named a viewer, has no such tab.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
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

async function openAnalytics(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.getByRole('tab', { name: 'Аналитика' }).click()
  await frame.locator('[data-testid="analytics-count-submitted"]').waitFor({ timeout: 60_000 })
  return frame
}

const count = (frame: FrameLocator, key: string) => frame.locator(`[data-testid="analytics-count-${key}"]`).getAttribute('data-value')
const cellsOf = (frame: FrameLocator, section: string) =>
  frame.locator(`[data-testid="analytics-table-${section}"] tbody tr`).evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())))

describe('analytics: the admin on the demo portal', () => {
  it('shows the stories\' numbers, drills down to a card and exports CSV', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.admin)
    try {
      const frame = await openAnalytics(page)
      // By hand from stories.ts: 10 + 1 on approval, 5 returned, 7 + 8 approved, 3 withdrawn.
      expect(await count(frame, 'submitted')).toBe('34')
      expect(await count(frame, 'approved')).toBe('15')
      expect(await count(frame, 'returned')).toBe('5')
      expect(await count(frame, 'withdrawn')).toBe('3')
      expect(await count(frame, 'inFlight')).toBe('11')
      // Returns per step (step, returns, rate, contracts): the lawyer returned 720 000 ₽ and
      // 370 000 ₽, the CFO 3 100 000 ₽ and СЕВ-П-2026/0777, the head, security and the CEO one each.
      const returns = Object.fromEntries((await cellsOf(frame, 'step-returns')).map((r) => [r[0], r[1]]))
      expect(returns).toMatchObject({ 'Юрист': '2', 'Финансовый директор': '2', 'Руководитель отдела': '1', 'Служба безопасности': '1', 'Генеральный директор': '1' })
      // Rounds: one contract went round twice.
      expect(await cellsOf(frame, 'rounds')).toEqual([['1', '33'], ['2', '1']])
      // Waiting longest: the CEO for 60 h, the lawyer 30 h, security 28 h — the three overdue.
      const waiting = await cellsOf(frame, 'waiting')
      expect(waiting.slice(0, 3).map((r) => [r[1], r[4]])).toEqual([['Генеральный директор', 'да'], ['Юрист', 'да'], ['Служба безопасности', 'да']])
      expect(waiting.filter((r) => r[4] === 'да')).toHaveLength(3)
      await frame.locator('[data-testid="analytics-chart"]').first().waitFor()
      await screenshot(page, 'analytics-admin')

      // CSV of the steps table: UTF-8 with a BOM, semicolons, the same rows.
      const [download] = await Promise.all([page.waitForEvent('download'), frame.locator('[data-testid="analytics-csv-steps"]').click()])
      expect(download.suggestedFilename()).toBe('analytics-steps.csv')
      const csv = readFileSync(await download.path())
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const lines = csv.toString('utf8').slice(1).trim().split('\r\n')
      expect(lines[0]?.split(';')[0]).toBe('Шаг')
      expect(lines).toHaveLength(1 + (await cellsOf(frame, 'steps')).length)

      // Drill-down: the 5 returned contracts; one opens its card in the portal.
      await frame.locator('[data-testid="analytics-count-returned"]').click()
      const items = frame.locator('[data-testid="analytics-drill-contract"]')
      await expect.poll(() => items.count()).toBe(5)
      await screenshot(page, 'analytics-drill')
      const id = Number(await items.first().getAttribute('data-id'))
      await items.first().click()
      await page.waitForURL(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${id}/`, { timeout: 20_000 })
    } finally {
      await context.close()
    }
  })

  it('a bar\'s table row drills down to the contracts behind it', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.admin)
    try {
      const frame = await openAnalytics(page)
      const row = frame.locator('[data-testid="analytics-table-step-returns"] tbody tr', { hasText: 'Финансовый директор' })
      await row.locator('[data-testid="analytics-drill"]').click()
      await expect.poll(() => frame.locator('[data-testid="analytics-drill-contract"]').count()).toBe(2)
      expect(await frame.locator('[data-testid="analytics-drill-list"]').textContent()).toContain('СЕВ-П-2026/0777')
    } finally {
      await context.close()
    }
  })

  it('at 375 px the tab stacks without sideways scroll', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.admin, PHONE)
    try {
      const frame = await openAnalytics(page)
      expect(await count(frame, 'submitted')).toBe('34')
      await frame.locator('[data-testid="analytics-chart"]').first().waitFor()
      const overflow = (where: Page | FrameLocator) => where.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth)
      expect(await overflow(frame)).toBeLessThanOrEqual(0)
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await screenshot(page, 'analytics-phone')
    } finally {
      await context.close()
    }
  })

  it('the lawyer, not named a viewer, has no Analytics tab', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.lawyer)
    try {
      await page.goto(`${stack.portal.origin}/`)
      await page.locator('[data-testid="left-menu-app"]').click()
      const frame = appFrame(page)
      await frame.locator('[data-testid="greeting"]').waitFor({ timeout: 60_000 })
      expect(await frame.getByRole('tab', { name: 'Аналитика' }).count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('an admin names the CFO in Settings; the CFO then has the tab', async () => {
    const admin = await openPortal(stack, PEOPLE.admin)
    try {
      await admin.page.goto(`${stack.portal.origin}/`)
      await admin.page.locator('[data-testid="left-menu-app"]').click()
      const frame = appFrame(admin.page)
      await frame.getByRole('tab', { name: 'Настройки' }).click()
      const block = frame.locator('[data-testid="settings-analytics-viewers"]')
      await block.locator('[data-testid="settings-analytics-add"]').click()
      // The picker is the portal's dialog, outside the app's iframe.
      await admin.page.locator(`[data-testid="user-picker-item"][data-user-id="${PEOPLE.cfo}"] input`).check()
      await admin.page.locator('[data-testid="user-picker-ok"]').click()
      await expect.poll(() => block.locator('[data-testid="settings-analytics-viewer"]').count()).toBe(1)
      await block.locator('[data-testid="settings-analytics-save"]').click()
      await block.locator('[data-testid="settings-analytics-saved"]').waitFor()
      await screenshot(admin.page, 'analytics-viewers-settings')
    } finally {
      await admin.context.close()
    }
    const { context, page } = await openPortal(stack, PEOPLE.cfo)
    try {
      const frame = await openAnalytics(page)
      expect(await count(frame, 'submitted')).toBe('34')
    } finally {
      await context.close()
    }
  })
})
