// A standing deputy through the real shell, the built app and Chromium (issue 10, Deliver 6):
// the administrator records in the workspace that the approver of a contract's next step is on
// vacation this week, with the head of sales as deputy; the lawyer approves, and the next turn
// goes to the deputy «вместо …» (declined), with his notification and CRM to-do; he sees the
// contract in his inbox and, on a 375 px phone, the card names whom he replaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, fullName, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { parseStored } from '../../src/services/approval/stored-log.ts'
import { project } from '../../src/domain/projection.ts'
import { declineName } from '../../src/domain/names.ts'
import { DEPUTIES_OPTION } from '../../src/domain/deputies.ts'
import type { PortalData } from '../../emulator/core/db.ts'

let stack: Stack
let space: ContractSpace
let itemId: number
let awayId: number
const db = () => stack.portal.ctx.db as unknown as PortalData

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  // A contract on the lawyer's step whose next step has one approver who is neither the lawyer,
  // the deputy nor the author: that approver is the one on vacation.
  const items = Object.values(db().crm.items[space.entityTypeId] ?? {}) as Record<string, unknown>[]
  for (const item of items) {
    if (!(item[space.fields.approvers] as number[] | undefined)?.includes(PEOPLE.lawyer)) continue
    const parsed = parseStored(item[space.fields.approvalLog])
    if (!parsed.ok) continue
    const p = project(parsed.stored.log)
    const next = p.currentStep === null ? undefined : p.steps[p.currentStep + 1]
    const who = next?.approverIds.length === 1 ? next.approverIds[0] : undefined
    if (p.steps[p.currentStep ?? -1]?.mode !== 'any' && p.currentApprovers.length !== 1) continue
    if (!who || who === PEOPLE.lawyer || who === PEOPLE.salesHead || who === p.author?.id) continue
    itemId = Number(item.id)
    awayId = who
    break
  }
  expect(itemId).toBeGreaterThan(0)
})

afterAll(async () => {
  await stack?.close()
})

async function openWorkspace(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="deputy-panel"]').waitFor({ timeout: 60_000 })
  return frame
}

async function openTab(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${itemId}/`)
  await page.locator('[data-testid="app-tab"]').first().click()
  const tab = appFrame(page)
  await tab.locator('[data-testid="approval-header"]').waitFor({ timeout: 60_000 })
  return tab
}

describe('deputy', () => {
  it('a deputy receives a turn that opens during the vacation', async () => {
    const admin = findUser(stack.portal.ctx, PEOPLE.admin)
    const away = findUser(stack.portal.ctx, awayId)
    const deputy = findUser(stack.portal.ctx, PEOPLE.salesHead)
    const instead = `вместо ${declineName(fullName(away), 'genitive')}`
    expect(instead).not.toBe(`вместо ${fullName(away)}`)

    const { context, page } = await openPortal(stack, admin.ID)
    try {
      const ws = await openWorkspace(page)
      await ws.locator('[data-testid="deputy-add"]').click()
      await ws.locator('[data-testid="deputy-pick-person"]').click()
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${away.ID}"]`).click()
      await expect.poll(() => ws.locator('[data-testid="deputy-person"]').getAttribute('data-user-id')).toBe(String(away.ID))
      // Nobody is their own deputy: said at once, and Save stays off.
      await ws.locator('[data-testid="deputy-pick"]').click()
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${away.ID}"]`).click()
      await ws.locator('[data-testid="deputy-problem"]').waitFor()
      expect(await ws.locator('[data-testid="deputy-save"]').isDisabled()).toBe(true)
      await ws.locator('[data-testid="deputy-pick"]').click()
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${deputy.ID}"]`).click()
      await ws.locator('[data-testid="deputy-from"] input, input[data-testid="deputy-from"]').first().fill(day(-1))
      await ws.locator('[data-testid="deputy-to"] input, input[data-testid="deputy-to"]').first().fill(day(7))
      await screenshot(page, 'deputy-form-1366')
      await ws.locator('[data-testid="deputy-save"]').click()
      await ws.locator('[data-testid="deputy-saved"], [data-testid="deputy-error"]').first().waitFor({ timeout: 60_000 })
      expect(await ws.locator('[data-testid="deputy-error"]').count()).toBe(0)
      const row = ws.locator(`[data-testid="deputy-row"][data-user-id="${away.ID}"]`)
      expect(await row.textContent()).toContain(`${fullName(deputy)} ${instead}`)
      await screenshot(page, 'deputy-saved-1366')
      expect(String(db().app.options[DEPUTIES_OPTION])).toContain(`"id":${deputy.ID}`)
    } finally {
      await context.close()
    }
    // The same panel on a phone: the list and the form fit the width.
    const narrow = await openPortal(stack, admin.ID, PHONE)
    try {
      const ws = await openWorkspace(narrow.page)
      await ws.locator(`[data-testid="deputy-row"][data-user-id="${away.ID}"]`).waitFor()
      await ws.locator('[data-testid="deputy-add"]').click()
      await ws.locator('[data-testid="deputy-form"]').waitFor()
      const overflow = await ws.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await ws.locator('[data-testid="deputy-form"]').scrollIntoViewIfNeeded()
      await screenshot(narrow.page, 'deputy-form-375')
    } finally {
      await narrow.context.close()
    }

    // The lawyer approves: the next step opens while its approver is away.
    const lawyer = await openPortal(stack, PEOPLE.lawyer)
    try {
      const tab = await openTab(lawyer.page)
      await tab.locator('[data-testid="action-approve"]').click()
      await tab.locator('[data-testid="approval-read-only"]').waitFor({ timeout: 60_000 })
      const seat = tab.locator(`[data-testid="approval-current-approver"][data-user-id="${deputy.ID}"]`)
      await seat.waitFor({ timeout: 60_000 })
      expect(await seat.locator('[data-testid="approval-instead-of"]').textContent()).toContain(instead)
    } finally {
      await lawyer.context.close()
    }
    const item = db().crm.items[space.entityTypeId]?.[itemId] as Record<string, unknown>
    expect(item[space.fields.approvers]).toContain(deputy.ID)
    expect(item[space.fields.approvers]).not.toContain(away.ID)
    // His to-do and notification; nothing for the person away.
    await expect.poll(() => db().crm.activities.filter((a) => a.ownerId === itemId && a.responsibleId === deputy.ID && a.completed === 'N').length, { timeout: 30_000 }).toBe(1)
    expect(db().crm.activities.filter((a) => a.ownerId === itemId && a.responsibleId === away.ID && a.completed === 'N')).toHaveLength(0)
    const notices = db().notifications.filter((n) => n.userId === deputy.ID).map((n) => n.message)
    expect(notices.join('\n')).toContain(`Вместо ${declineName(fullName(away), 'genitive')}`)

    // He sees it in his inbox and, on a phone, whom he replaces; then he approves.
    const phone = await openPortal(stack, deputy.ID, PHONE)
    try {
      const card = await openTab(phone.page)
      const mine = card.locator(`[data-testid="approval-step-person"][data-user-id="${deputy.ID}"] [data-testid="approval-instead-of"]`)
      expect(await mine.textContent()).toContain(instead)
      const overflow = await card.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await screenshot(phone.page, 'deputy-card-375')
      const ws = await openWorkspace(phone.page)
      await ws.locator(`[data-testid="workspace-row"][data-id="${itemId}"]`).waitFor({ timeout: 60_000 })
      await screenshot(phone.page, 'deputy-inbox-375')
    } finally {
      await phone.context.close()
    }
  })
})
