// Approvals bound to what was approved, through the real shell, the built app and Chromium.
// The lawyer and security approve; the author raises the amount from 11 950 000 to 15 000 000 in
// the card; the CFO's tab warns, names who approved the old version and what changed, offers no
// «Согласовать», and asks again per the route's rule («only the changed»: the lawyer, who checks
// everything, is asked again; security, who checks the counterparty, is carried over).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, openPortal, screenshot, startStack, switchUser, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'
import { createNodePort } from '../support/node-port.ts'
import { act, type Intent } from '../../src/services/approval/actions.ts'
import { newEventId } from '../../src/domain/eventId.ts'

let stack: Stack
let space: ContractSpace

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'e2e-reapproval', name: 'Крупные сделки', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    reapproval: 'changed',
    steps: [
      { title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] },
      { title: 'Служба безопасности', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.security }], watch: ['companyId'] },
      { title: 'Финансовый директор', mode: 'all', slaHours: 48, approvers: [{ kind: 'user', userId: PEOPLE.cfo }], watch: ['amount', 'currency', 'document'] },
    ],
  }],
}

async function decide(userId: number, itemId: number, intent: Intent): Promise<void> {
  const port = createNodePort({ origin: stack.portal.origin, userId, ctx: stack.portal.ctx, attempts: 3 })
  const user = findUser(stack.portal.ctx, userId)
  const res = await act(port, space, {
    itemId, actor: { id: userId, name: `${user.NAME} ${user.LAST_NAME}` }, eventId: newEventId(), at: new Date().toISOString(), intent,
  }, { announce: false })
  if (!res.ok) throw new Error(`refused: ${res.reason}`)
}

async function newContract(number: string, amount: number): Promise<number> {
  const f = space.fields
  const created = await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: {
      title: `Поставка автомобилей ${number}`, assignedById: PEOPLE.salesManager,
      [f.number]: number, [f.amount]: `${amount}|RUB`, opportunity: amount, currencyId: 'RUB', [f.date]: '2026-11-20',
    },
  })
  return Number((created.result as { item: { id: number } }).item.id)
}

async function openTab(page: Page, itemId: number): Promise<void> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${itemId}/`)
  await page.locator('[data-testid="app-tab"]').first().click()
  await appFrame(page).locator('[data-testid="approval-header"]').waitFor({ timeout: 60_000 })
}

const statuses = (page: Page) => appFrame(page).locator('[data-testid="approval-step"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  await stack.portal.ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
})

afterAll(async () => {
  await stack?.close()
})

describe('approval binds to what was approved', () => {
  it('a mid-round amount change warns the CFO and re-asks per the rule', async () => {
    const itemId = await newContract('СЕВ-К-2026/0311', 11_950_000)
    const heads: readonly number[] = []
    await decide(PEOPLE.salesManager, itemId, { type: 'submit', routeSet: ROUTES, departmentHeadIds: heads })
    await decide(PEOPLE.lawyer, itemId, { type: 'approve', round: 1, step: 0 })
    await decide(PEOPLE.security, itemId, { type: 'approve', round: 1, step: 1 })
    // The author raises the amount in the card, as Bitrix24 lets her.
    await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.update', {
      entityTypeId: space.entityTypeId, id: itemId, fields: { [space.fields.amount]: '15000000|RUB', opportunity: 15_000_000 },
    })

    const cfo = findUser(stack.portal.ctx, PEOPLE.cfo)
    const { context, page } = await openPortal(stack, cfo.ID)
    const phone = await openPortal(stack, PEOPLE.lawyer, PHONE)
    try {
      await openTab(page, itemId)
      const tab = appFrame(page)
      const warning = tab.locator('[data-testid="approval-revision"]')
      await warning.waitFor({ timeout: 60_000 })
      expect(await warning.getAttribute('data-rule')).toBe('changed')
      const change = await warning.locator('[data-testid="approval-change"][data-field="amount"]').textContent()
      expect(change?.replace(/\s/g, '')).toContain('11950000,00₽→15000000,00₽')
      expect(await warning.locator('[data-testid="approval-revision-approved"]').allTextContents()).toEqual([
        'Елена Соколова — шаг «Юрист»', 'Николай Егоров — шаг «Служба безопасности»',
      ])
      expect(await tab.locator('[data-testid="approval-revision-rule"]').textContent()).toContain('Елена Соколова')
      // Nobody approves a version they did not see.
      expect(await tab.locator('[data-testid="action-approve"]').count()).toBe(0)
      await screenshot(page, 'reapproval-cfo-warned')
      // The same warning on a phone: nothing runs off the screen.
      await page.setViewportSize(PHONE)
      await expect.poll(() => tab.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)).toBeLessThanOrEqual(0)
      await screenshot(page, 'reapproval-cfo-warned-phone')
      await page.setViewportSize({ width: 1366, height: 900 })

      await tab.locator('[data-testid="action-revise"]').click()
      await expect.poll(() => statuses(page), { timeout: 60_000 }).toEqual(['current', 'approved', 'waiting'])
      expect(await tab.locator('[data-testid="approval-revision"]').count()).toBe(0)
      const carried = tab.locator(`[data-testid="approval-step-person"][data-user-id="${PEOPLE.security}"] [data-testid="approval-carried"]`)
      expect(await carried.textContent()).toContain('согласовано в круге 1, без изменений')
      await screenshot(page, 'reapproval-cfo-reasked')

      // The lawyer, on a phone, sees what changed since she approved, and approves the new version.
      await openTab(phone.page, itemId)
      const ptab = appFrame(phone.page)
      expect(await ptab.locator('[data-testid="approval-changes"]').textContent()).toContain('Изменилось с версии, которую вы смотрели')
      await screenshot(phone.page, 'reapproval-lawyer-phone')
      await ptab.locator('[data-testid="action-approve"]').click()
      // The turn skips security (carried over) and comes to the CFO, who can approve now.
      await expect.poll(() => statuses(page), { timeout: 60_000 }).toEqual(['approved', 'approved', 'current'])
      await tab.locator('[data-testid="action-approve"]').waitFor({ timeout: 60_000 })
      await tab.locator('[data-testid="action-approve"]').click()
      await expect.poll(() => tab.locator('[data-testid="approval-stage"]').getAttribute('data-stage'), { timeout: 60_000 }).toBe('ORIGINALS')
    } finally {
      await phone.context.close()
      await context.close()
    }
  })

  it('a resubmission under «only the changed»: the author previews and says what was fixed; two approvers are carried over, the CFO is asked', async () => {
    const FIXED = 'Цена снижена до 11 000 000 ₽'
    // Here the lawyer checks the paperwork only (number, document): the price is the CFO's alone.
    const routes: RouteSet = {
      ...ROUTES, version: 2,
      routes: ROUTES.routes.map((r) => ({ ...r, steps: r.steps.map((s, i) => (i === 0 ? { ...s, watch: ['number', 'document'] as const } : s)) })),
    }
    await stack.portal.ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(routes) } })
    const itemId = await newContract('СЕВ-К-2026/0312', 11_950_000)
    await decide(PEOPLE.salesManager, itemId, { type: 'submit', routeSet: routes, departmentHeadIds: [] })
    await decide(PEOPLE.lawyer, itemId, { type: 'approve', round: 1, step: 0 })
    await decide(PEOPLE.security, itemId, { type: 'approve', round: 1, step: 1 })
    await decide(PEOPLE.cfo, itemId, { type: 'return', round: 1, step: 2, comment: 'Снизьте цену' })
    await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.update', {
      entityTypeId: space.entityTypeId, id: itemId, fields: { [space.fields.amount]: '11000000|RUB', opportunity: 11_000_000 },
    })

    const author = findUser(stack.portal.ctx, PEOPLE.salesManager)
    const { context, page } = await openPortal(stack, author.ID)
    try {
      await openTab(page, itemId)
      const tab = appFrame(page)
      // While returned, the tab shows the comparison the approvers will see.
      const preview = tab.locator('[data-testid="approval-changes"]').filter({ hasText: 'Что увидят согласующие' })
      expect((await preview.textContent())?.replace(/\s/g, '')).toContain('11950000,00₽→11000000,00₽')
      await tab.locator('[data-testid="action-resubmit"]').click()
      const dialog = tab.locator('[data-testid="resubmit-dialog"]')
      await dialog.waitFor()
      expect(await dialog.locator('[data-testid="approval-change"][data-field="amount"]').count()).toBe(1)
      await tab.locator('[data-testid="resubmit-confirm"]').click()
      await tab.locator('[data-testid="resubmit-comment-required"]').waitFor()
      await tab.locator('textarea[data-testid="resubmit-comment"], [data-testid="resubmit-comment"] textarea').first().fill(FIXED)
      await screenshot(page, 'reapproval-resubmit-dialog')
      await tab.locator('[data-testid="resubmit-confirm"]').click()
      await expect.poll(() => statuses(page), { timeout: 60_000 }).toEqual(['approved', 'approved', 'current'])
      const carried = await tab.locator('[data-testid="approval-carried"]').allTextContents()
      expect(carried.map((c) => c.trim())).toEqual(['согласовано в круге 1, без изменений', 'согласовано в круге 1, без изменений'])
      expect(await tab.locator('[data-testid="approval-history"]').textContent()).toContain(FIXED)

      // The CFO is asked, and the notification says what was fixed.
      const cfo = findUser(stack.portal.ctx, PEOPLE.cfo)
      await switchUser(page, cfo)
      await page.locator('[data-testid="bell"]').click()
      await expect.poll(() => page.locator('[data-testid="notification"]').allTextContents(), { timeout: 60_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining(FIXED)]))
    } finally {
      await context.close()
    }
  })
})
