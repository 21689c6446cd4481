// Bulk approve in «Мои согласования» through the real shell, the built app and Chromium: the
// lawyer picks three contracts, confirms once, watches the progress, and gets a result for each:
// two approved, one refused (its amount was changed after it was sent: nobody approves a version
// they did not see), which does not stop the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'
import { createNodePort } from '../support/node-port.ts'
import { act } from '../../src/services/approval/actions.ts'
import { newEventId } from '../../src/domain/eventId.ts'
import { project } from '../../src/domain/projection.ts'
import { parseLog } from '../../src/domain/log.ts'
import type { PortalData } from '../../emulator/core/db.ts'

let stack: Stack
let space: ContractSpace
const ids: number[] = []

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'e2e-bulk', name: 'Юрист, затем финансовый директор', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] },
      { title: 'Финансовый директор', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.cfo }] },
    ],
  }],
}

async function submitted(number: string, amount: number): Promise<number> {
  const f = space.fields
  const created = await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: { title: `Пакет ${number}`, assignedById: PEOPLE.salesManager, [f.number]: number, [f.amount]: `${amount}|RUB`, opportunity: amount, currencyId: 'RUB' },
  })
  const itemId = Number((created.result as { item: { id: number } }).item.id)
  const port = createNodePort({ origin: stack.portal.origin, userId: PEOPLE.salesManager, ctx: stack.portal.ctx, attempts: 3 })
  const res = await act(port, space, {
    itemId, actor: { id: PEOPLE.salesManager, name: 'Мария Козлова' }, eventId: newEventId(), at: new Date().toISOString(),
    intent: { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] },
  }, { announce: false })
  if (!res.ok) throw new Error(`refused: ${res.reason}`)
  return itemId
}

const stageOf = (itemId: number): string | null => {
  const item = ((stack.portal.ctx.db as unknown as PortalData).crm.items[space.entityTypeId] ?? {})[itemId] as Record<string, unknown> | undefined
  const parsed = parseLog(item?.[space.fields.approvalLog])
  return parsed.ok ? project(parsed.log).currentStep === 1 ? 'cfo' : project(parsed.log).stageCode : null
}

async function openInbox(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="workspace-inbox"] [data-testid="workspace-row"]').first().waitFor({ timeout: 60_000 })
  return frame
}

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  await stack.portal.ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
  ids.push(await submitted('ПАК-1', 410_000), await submitted('ПАК-2', 420_000), await submitted('ПАК-3', 430_000))
  // The second one's amount is changed in the card after it was sent.
  await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.update', {
    entityTypeId: space.entityTypeId, id: ids[1], fields: { [space.fields.amount]: '520000|RUB', opportunity: 520_000 },
  })
})

afterAll(async () => {
  await stack?.close()
})

describe('bulk approve', () => {
  it('three contracts, one refused: one confirmation, progress, a result each', async () => {
    const lawyer = findUser(stack.portal.ctx, PEOPLE.lawyer)
    const { context, page } = await openPortal(stack, lawyer.ID)
    try {
      const frame = await openInbox(page)
      expect(await frame.locator('[data-testid="bulk-approve"]').isDisabled()).toBe(true)
      for (const id of ids) await frame.locator(`[data-testid="bulk-select"][data-id="${id}"]`).click()
      expect(await frame.locator('[data-testid="bulk-approve"]').textContent()).toContain('Согласовать выбранные (3)')
      await frame.locator('[data-testid="bulk-approve"]').click()
      const dialog = frame.locator('[data-testid="bulk-dialog"]')
      await dialog.waitFor()
      expect(await dialog.locator('[data-testid="bulk-item"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))).toEqual(ids.slice().sort((a, b) => a - b))
      await screenshot(page, 'bulk-confirm')
      await frame.locator('[data-testid="bulk-confirm"]').click()
      await frame.locator('[data-testid="bulk-summary"]').waitFor({ timeout: 120_000 })
      const outcomes = Object.fromEntries(await dialog.locator('[data-testid="bulk-item"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), e.getAttribute('data-outcome')])))
      expect(outcomes).toEqual({ [ids[0]!]: 'approved', [ids[1]!]: 'refused', [ids[2]!]: 'approved' })
      expect(await dialog.locator(`[data-testid="bulk-item"][data-id="${ids[1]}"] [data-testid="bulk-item-result"]`).textContent()).toContain('Договор изменили')
      expect(await frame.locator('[data-testid="bulk-summary"]').textContent()).toContain('Согласовано договоров: 2 из 3')
      expect(await frame.locator('[data-testid="bulk-progress"]').count()).toBe(1)
      await screenshot(page, 'bulk-results')
      expect([stageOf(ids[0]!), stageOf(ids[1]!), stageOf(ids[2]!)]).toEqual(['cfo', 'APPROVAL', 'cfo'])

      // Closed, the list no longer shows the two approved; the refused one stays chosen.
      await frame.locator('[data-testid="bulk-close"]').click()
      await expect.poll(() => frame.locator(`[data-testid="workspace-row"][data-id="${ids[0]}"]`).count(), { timeout: 60_000 }).toBe(0)
      expect(await frame.locator(`[data-testid="workspace-row"][data-id="${ids[1]}"]`).count()).toBe(1)
    } finally {
      await context.close()
    }
    // The same list on a phone: the checkboxes and the button fit.
    const phone = await openPortal(stack, lawyer.ID, PHONE)
    try {
      const frame = await openInbox(phone.page)
      await frame.locator(`[data-testid="bulk-select"][data-id="${ids[1]}"]`).waitFor()
      const scrollWidth = await frame.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)
      expect(scrollWidth).toBeLessThanOrEqual(0)
      await screenshot(phone.page, 'bulk-phone')
    } finally {
      await phone.context.close()
    }
  })
})
