// First install on a fresh portal (issue 3 "Done when"): the holding's people exist, the app does
// not. An employee who opens it is told to ask an admin; the admin opens it, runs the wizard to
// the end, and the card tab and the left-menu page appear — all through the real shell and SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
      // The wizard's steps as the app frame shows them, recorded as they change: the portal
      // reloads the page right after installFinish, so the finished wizard is not there to read.
      const steps = new Map<string, string>()
      await page.exposeBinding('__installStep', (_source, id: string, status: string) => void steps.set(id, status))
      await page.addInitScript(() => {
        const report = () => {
          for (const el of document.querySelectorAll('[data-testid^="install-step-"][data-status]')) {
            (window as unknown as { __installStep?: (id: string, status: string) => void }).__installStep?.(el.getAttribute('data-testid') ?? '', el.getAttribute('data-status') ?? '')
          }
        }
        new MutationObserver(report).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] })
      })
      await page.goto(`${stack.portal.origin}/`)
      expect(await page.locator('[data-testid="left-menu-app"]').count()).toBe(0)
      await page.locator('[data-testid="left-menu-market"]').click()
      await page.waitForURL(url)

      const wizard = appFrame(page).locator('[data-testid="install-wizard"]')
      await wizard.locator('[data-testid="install-start"]').click({ timeout: 60_000 })
      await wizard.locator('[data-testid="install-step-admin"][data-status="done"]').waitFor({ timeout: 120_000 })
      await screenshot(page, 'install-wizard-running')
      // installFinish, the last step, is seen in the portal; every step before it in the wizard.
      await expect.poll(() => stack.portal.ctx.db.app.installed, { timeout: 120_000 }).toBe(true)
      await expect.poll(() => INSTALL_STEPS.filter((x) => x !== 'finish').filter((id) => steps.get(`install-step-${id}`) !== 'done'), { timeout: 60_000 }).toEqual([])
      const record = parseInstallRecord(stack.portal.ctx.db.app.options[APP_OPTION_KEYS.install])
      if (!record) throw new Error('the wizard finished without storing the install record')
      const fields = await hook<{ fields: { fieldName: string }[] }>('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${record.typeId}` } })
      expect(fields.fields.map((f) => f.fieldName)).toContain(userFieldName(record.typeId, 'approvalLog'))
      expect(stack.portal.ctx.db.app.placements.map((p) => p.placement).sort()).toEqual([PLACEMENTS.detailTab(record.entityTypeId), PLACEMENTS.leftMenu, PLACEMENTS.mobileChat, PLACEMENTS.appLink].sort())

      // After the portal's reload the left-menu page is the app's LEFT_MENU placement.
      await page.locator('[data-testid="left-menu-app"]').waitFor({ timeout: 60_000 })
      await page.locator('[data-testid="left-menu-app"]').click()
      await expect.poll(() => appFrame(page).locator('[data-testid="workspace"] [data-testid="greeting"]').textContent(), { timeout: 60_000 }).toContain(fullName(admin))
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
      await appFrame(page).locator('[data-testid="contract-tab"]').waitFor({ timeout: 60_000 })
      await screenshot(page, 'install-card-tab-after')
    } finally {
      await context.close()
    }
  })
})
