// First install on a fresh portal (issue 3 "Done when"): the holding's people exist, the app does
// not. An employee who opens it is told to ask an admin; the admin opens it, runs the wizard to
// the end, and the card tab and the left-menu page appear — all through the real shell and SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page, Route } from 'playwright-core'
import { appPath } from '../../emulator/shell/pages.ts'
import { INSTALL_STEPS, parseInstallRecord } from '../../src/services/install/installer.ts'
import { APP_OPTION_KEYS, PLACEMENTS, stageId, userFieldName } from '../../src/domain/schema.ts'
import { PEOPLE, appFrame, findUser, fullName, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'

let stack: Stack

beforeAll(async () => {
  stack = await startStack({ seed: 'people' })
})

afterAll(async () => {
  await stack?.close()
})

/** One REST call through the admin's inbound webhook, as an integrator's script would make it. */
async function hook<T>(method: string, params: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${stack.portal.adminWebhookUrl}${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  })
  const body = (await res.json()) as { result?: T; error?: string; error_description?: string }
  if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description ?? ''}`)
  return body.result as T
}

/**
 * Bitrix24 reloads the app page right after installFinish(). Holding that reload keeps the
 * finished wizard on screen for as long as the test looks at it; `release()` lets it through.
 */
async function holdReload(page: Page, url: string): Promise<{ release(): void; reloaded(): boolean }> {
  let loads = 0
  let release = (): void => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  await page.route(url, async (route: Route) => {
    const request = route.request()
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return route.continue()
    loads++
    if (loads > 1) await gate
    await route.continue()
  })
  return { release, reloaded: () => loads > 1 }
}

describe('install: first run on a fresh portal', () => {
  it('tells an employee who opens the app that an administrator must install it', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.salesManager)
    try {
      await page.goto(`${stack.portal.origin}${appPath(stack.portal.ctx)}`)
      const message = page.locator('[data-testid="app-not-installed"]')
      await message.waitFor()
      expect(await message.textContent()).toContain('Установить его может администратор портала')
      expect(await page.locator('iframe[data-testid="app-frame"]').count()).toBe(0)
      expect(await page.locator('[data-testid="left-menu-market"]').count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('the admin runs the wizard to the end; the card tab and the left-menu page appear', async () => {
    const admin = findUser(stack.portal.ctx, PEOPLE.admin)
    const url = `${stack.portal.origin}${appPath(stack.portal.ctx)}`
    const { context, page } = await openPortal(stack, admin.ID)
    try {
      const reload = await holdReload(page, url)
      await page.goto(`${stack.portal.origin}/`)
      expect(await page.locator('[data-testid="left-menu-app"]').count()).toBe(0)
      await page.locator('[data-testid="left-menu-market"]').click()
      await page.waitForURL(url)

      const wizard = appFrame(page).locator('[data-testid="install-wizard"]')
      await wizard.locator('[data-testid="install-start"]').click({ timeout: 30_000 })
      // Every step up to the record reports done in the wizard; the last one (installFinish) is
      // seen in the portal, which reloads the page right after it.
      for (const id of INSTALL_STEPS.filter((x) => x !== 'finish')) {
        await wizard.locator(`[data-testid="install-step-${id}"][data-status="done"]`).waitFor({ timeout: 120_000 })
      }
      await screenshot(page, 'install-wizard-steps-done')
      await expect.poll(() => stack.portal.ctx.db.app.installed, { timeout: 60_000 }).toBe(true)
      const record = parseInstallRecord(stack.portal.ctx.db.app.options[APP_OPTION_KEYS.install])
      if (!record) throw new Error('the wizard finished without storing the install record')
      expect(stack.portal.ctx.db.crm.userFields.map((f) => f.fieldName)).toContain(userFieldName(record.typeId, 'approvalLog'))
      reload.release()

      expect(stack.portal.ctx.db.app.placements.map((p) => p.placement).sort()).toEqual([PLACEMENTS.detailTab(record.entityTypeId), PLACEMENTS.leftMenu].sort())

      // After the portal's reload the left-menu page is the app's LEFT_MENU placement.
      await expect.poll(() => reload.reloaded()).toBe(true)
      await page.locator('[data-testid="left-menu-app"]').click()
      await expect.poll(() => appFrame(page).locator('[data-testid="workspace"] [data-testid="greeting"]').textContent(), { timeout: 30_000 }).toContain(fullName(admin))
      await screenshot(page, 'install-left-menu-after')

      const f = record.fields
      const { item } = await hook<{ item: { id: number } }>('crm.item.add', {
        entityTypeId: record.entityTypeId,
        fields: {
          title: 'Договор поставки шин с ООО «Формула Колёс»',
          assignedById: PEOPLE.salesManager,
          stageId: stageId(record.entityTypeId, record.categoryId, 'NEW'),
          [f.number]: 'СЕВ-П-2026/0001',
          [f.amount]: '480000|RUB',
          [f.round]: 0,
        },
      })
      await page.goto(`${stack.portal.origin}/crm/type/${record.entityTypeId}/details/${item.id}/`)
      await page.locator('[data-testid="app-tab"]').first().click()
      await appFrame(page).locator('[data-testid="contract-tab"]').waitFor({ timeout: 30_000 })
      await screenshot(page, 'install-card-tab-after')
    } finally {
      await context.close()
    }
  })
})
