// The approval story through the portal shell, the built app and Chromium, each person in their
// own turn: the author submits, the lawyer approves, the CFO returns with a comment, the author
// reads it (in the tab and in the bell) and resubmits, the CFO — on a phone — sees round 2, the
// earlier comment and the lawyer's mark, and approves; the lawyer approves again and the
// contract reaches "approved, awaiting originals".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, openPortal, screenshot, startStack, switchUser, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'

const COMMENT = 'Уточните график платежей в п. 3'
const FIXED = 'График платежей уточнён в п. 3'

let stack: Stack
let space: ContractSpace
let itemId: number

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'e2e', name: 'Юрист и финансы', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [{
      title: 'Юрист и финансовый директор', mode: 'all', slaHours: 24,
      approvers: [{ kind: 'user', userId: PEOPLE.lawyer }, { kind: 'user', userId: PEOPLE.cfo }],
    }],
  }],
}

async function openTab(page: Page): Promise<void> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${itemId}/`)
  await page.locator('[data-testid="app-tab"]').first().click()
  await appFrame(page).locator('[data-testid="approval-header"]').waitFor({ timeout: 60_000 })
}

const stage = (page: Page) => appFrame(page).locator('[data-testid="approval-stage"]').getAttribute('data-stage')

beforeAll(async () => {
  stack = await startStack()
  const { ctx } = stack.portal
  space = contractSpace(stack)
  await ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
  const f = space.fields
  const created = await ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: {
      title: 'Договор поставки шин с ООО «Шинный центр Нева»', assignedById: PEOPLE.salesManager,
      [f.number]: 'СЕВ-П-2026/0900', [f.amount]: '640000|RUB', opportunity: 640000, currencyId: 'RUB', [f.date]: '2026-11-20',
    },
  })
  itemId = Number((created.result as { item: { id: number } }).item.id)
})

afterAll(async () => {
  await stack?.close()
})

describe('approval story', () => {
  it('submit → approve → return → resubmit → approve → awaiting originals', async () => {
    const author = findUser(stack.portal.ctx, PEOPLE.salesManager)
    const lawyer = findUser(stack.portal.ctx, PEOPLE.lawyer)
    const cfo = findUser(stack.portal.ctx, PEOPLE.cfo)
    const { context, page } = await openPortal(stack, author.ID)
    const phone = await openPortal(stack, cfo.ID, PHONE)
    try {
      // The author submits the draft.
      await openTab(page)
      expect(await stage(page)).toBe('NEW')
      await appFrame(page).locator('[data-testid="action-submit"]').click()
      await expect.poll(() => stage(page), { timeout: 60_000 }).toBe('APPROVAL')

      // The lawyer approves.
      await switchUser(page, lawyer)
      await openTab(page)
      await appFrame(page).locator('[data-testid="action-approve"]').click()
      await appFrame(page).locator('[data-testid="approval-read-only"]').waitFor({ timeout: 60_000 })
      // A confirmation of what was done, not only "you can only view".
      expect(await appFrame(page).locator('[data-testid="approval-done"]').textContent()).toContain('вы согласовали договор')

      // The CFO returns it with a comment (a return without one is refused by the dialog).
      await switchUser(page, cfo)
      await openTab(page)
      await appFrame(page).locator('[data-testid="action-return"]').click()
      await appFrame(page).locator('[data-testid="return-confirm"]').click()
      await appFrame(page).locator('[data-testid="return-comment-required"]').waitFor()
      await appFrame(page).locator('[data-testid="return-comment"] textarea, textarea[data-testid="return-comment"]').first().fill(COMMENT)
      // The dialog opens by the buttons, not in the middle of a frame as tall as the tab.
      const dialogTop = await appFrame(page).locator('[role="dialog"]').evaluate((d) => d.getBoundingClientRect().top)
      const buttonsTop = await appFrame(page).locator('[data-testid="approval-actions"]').evaluate((d) => d.getBoundingClientRect().top)
      expect(Math.abs(dialogTop - buttonsTop)).toBeLessThan(400)
      await screenshot(page, 'approval-return-dialog')
      await appFrame(page).locator('[data-testid="return-confirm"]').click()
      await expect.poll(() => stage(page), { timeout: 60_000 }).toBe('RETURNED')

      // The author sees the comment in the bell and in the tab, and resubmits.
      await switchUser(page, author)
      await expect.poll(() => page.locator('[data-testid="bell-count"]').textContent(), { timeout: 60_000 }).not.toBe('0')
      await page.locator('[data-testid="bell"]').click()
      await expect.poll(() => page.locator('[data-testid="notification"]').allTextContents(), { timeout: 60_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining(COMMENT)]))
      await openTab(page)
      expect(await appFrame(page).locator('[data-testid="approval-return-notes"]').textContent()).toContain(COMMENT)
      await screenshot(page, 'approval-returned-author')
      // Resubmitting asks what was fixed, beside the comparison the approvers will see.
      await appFrame(page).locator('[data-testid="action-resubmit"]').click()
      await appFrame(page).locator('[data-testid="resubmit-dialog"]').waitFor()
      await appFrame(page).locator('[data-testid="resubmit-confirm"]').click()
      await appFrame(page).locator('[data-testid="resubmit-comment-required"]').waitFor()
      await appFrame(page).locator('textarea[data-testid="resubmit-comment"], [data-testid="resubmit-comment"] textarea').first().fill(FIXED)
      await appFrame(page).locator('[data-testid="resubmit-confirm"]').click()
      await expect.poll(() => stage(page), { timeout: 60_000 }).toBe('APPROVAL')

      // The CFO, on a phone, sees round 2, what was asked, and the lawyer's earlier approval.
      await openTab(phone.page)
      const tab = appFrame(phone.page)
      expect(await tab.locator('[data-testid="approval-round-badge"]').textContent()).toContain('круг 2')
      expect(await tab.locator('[data-testid="approval-return-notes"]').textContent()).toContain(COMMENT)
      const lawyerMark = tab.locator(`[data-testid="approval-step-person"][data-user-id="${lawyer.ID}"] [data-testid="approval-reviewed-mark"]`)
      expect(await lawyerMark.textContent()).toContain('уже согласовала в круге 1')
      const frameBox = await phone.page.locator('iframe[data-testid="app-frame"]').boundingBox()
      expect(frameBox?.width ?? 0).toBeLessThanOrEqual(PHONE.width)
      const scrollWidth = await tab.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)
      expect(scrollWidth).toBeLessThanOrEqual(0)
      await screenshot(phone.page, 'approval-round2-cfo-phone')
      await tab.locator('[data-testid="action-approve"]').click()
      await tab.locator('[data-testid="approval-read-only"]').waitFor({ timeout: 60_000 })

      // The lawyer approves round 2 too; the contract is approved and awaits its originals.
      await switchUser(page, lawyer)
      await openTab(page)
      await appFrame(page).locator('[data-testid="action-approve"]').click()
      await expect.poll(() => stage(page), { timeout: 60_000 }).toBe('ORIGINALS')
      expect(await appFrame(page).locator('[data-testid="approval-stage"]').textContent()).toContain('Согласован, ждём оригиналы')
      // The CFO's open tab follows without a reload.
      await expect.poll(() => stage(phone.page), { timeout: 60_000 }).toBe('ORIGINALS')
      await screenshot(page, 'approval-approved')
    } finally {
      await phone.context.close()
      await context.close()
    }
  })
})
