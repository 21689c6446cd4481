// Live status in the browser: the CFO's open card tab and the author's "My contracts" follow the
// lawyer's approval through Bitrix24 Push & Pull — one notice, no check request in between. Then,
// with Pull switched off in the emulator (the app installed without the `pull` scope), the
// lawyer's open tab and the author's list follow the CFO's approval through the fallback checks,
// within the fallback's interval (shortened for the test through localStorage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { contractSpace, PEOPLE, appFrame, findUser, fullName, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import type { Emu } from '../../emulator/core/context.ts'
import { pullHub } from '../../emulator/pull/hub.ts'
import { applyControl } from '../../emulator/rest/control.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'
import { FALLBACK_MS_KEY } from '../../src/stores/live.ts'

/** The fallback's first interval in this test; it backs off to 8× that while nothing changes. */
const FALLBACK_MS = 1500
const FOLLOW_MS = 2000

let stack: Stack
let space: ContractSpace
let itemId: number

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'live', name: 'Юрист, финансы, директор', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] },
      { title: 'Финансовый директор', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.cfo }] },
      { title: 'Генеральный директор', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.ceo }] },
    ],
  }],
}

const emu = (): Emu => stack.portal.ctx as Emu
const listChecks = (): number => emu().stats.calls['crm.item.list'] ?? 0

async function openTab(page: Page): Promise<void> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${itemId}/`)
  await page.locator('[data-testid="app-tab"]').first().click()
  await appFrame(page).locator('[data-testid="approval-header"]').waitFor({ timeout: 30_000 })
}

async function openMine(page: Page): Promise<void> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.getByRole('tab', { name: 'Мои договоры' }).click()
  await frame.locator(`[data-testid="workspace-row"][data-id="${itemId}"]`).waitFor({ timeout: 30_000 })
}

const currentApprovers = (page: Page) => appFrame(page).locator('[data-testid="approval-current-approver"]')
  .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-user-id'))))
const holders = (page: Page) => appFrame(page).locator(`[data-testid="workspace-row"][data-id="${itemId}"] [data-testid="workspace-row-holders"]`).textContent()

async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  const { ctx } = stack.portal
  await ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
  const f = space.fields
  const created = await ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: {
      title: 'Договор аренды склада с ООО «Живой статус»', assignedById: PEOPLE.salesManager,
      [f.number]: 'СЕВ-А-2026/0950', [f.amount]: '420000|RUB', opportunity: 420000, currencyId: 'RUB', [f.date]: '2026-11-25',
    },
  })
  itemId = Number((created.result as { item: { id: number } }).item.id)
})

afterAll(async () => {
  await stack?.close()
})

describe('live status', () => {
  it('follows through Push & Pull, then through the fallback with Pull switched off', async () => {
    const author = await openPortal(stack, PEOPLE.salesManager)
    const lawyer = await openPortal(stack, PEOPLE.lawyer)
    const cfo = await openPortal(stack, PEOPLE.cfo)
    const contexts: BrowserContext[] = [author.context, lawyer.context, cfo.context]
    const cfoName = fullName(findUser(stack.portal.ctx, PEOPLE.cfo))
    const ceoName = fullName(findUser(stack.portal.ctx, PEOPLE.ceo))
    try {
      // The author submits; the lawyer, the CFO and the author's list are open.
      await openTab(author.page)
      await appFrame(author.page).locator('[data-testid="action-submit"]').click()
      await expect.poll(() => appFrame(author.page).locator('[data-testid="approval-stage"]').getAttribute('data-stage'), { timeout: 30_000 }).toBe('APPROVAL')
      await openMine(author.page)
      await openTab(lawyer.page)
      await openTab(cfo.page)
      expect(await currentApprovers(cfo.page)).toEqual([PEOPLE.lawyer])

      // Every frame holds its long poll; once connected, no frame checks on its own.
      await waitUntil(() => pullHub(emu()).waiting() >= 3, 30_000)
      await new Promise((r) => setTimeout(r, 6000))
      const checksBefore = listChecks()
      const noticesBefore = emu().stats.calls['pull.application.event.add'] ?? 0

      await appFrame(lawyer.page).locator('[data-testid="action-approve"]').click()
      await appFrame(lawyer.page).locator('[data-testid="approval-read-only"]').waitFor({ timeout: 30_000 })
      await expect.poll(() => currentApprovers(cfo.page), { timeout: FOLLOW_MS, interval: 100 }).toEqual([PEOPLE.cfo])
      await expect.poll(() => holders(author.page), { timeout: FOLLOW_MS, interval: 100 }).toContain(cfoName)
      expect(listChecks() - checksBefore).toBe(0)
      expect((emu().stats.calls['pull.application.event.add'] ?? 0) - noticesBefore).toBe(1)
      await screenshot(cfo.page, 'live-cfo-followed')

      // Pull switched off: the app was installed without the `pull` scope. The lawyer's tab and
      // the author's list are opened again (with a short fallback interval) and follow by checks.
      applyControl(emu(), { pull: { scope: false } })
      for (const c of contexts) await c.addInitScript(([key, ms]) => localStorage.setItem(key, ms), [FALLBACK_MS_KEY, String(FALLBACK_MS)] as const)
      await openMine(author.page)
      await openTab(lawyer.page)
      expect(await currentApprovers(lawyer.page)).toEqual([PEOPLE.cfo])
      // Both fallbacks have made their first check (the list's sets its mark of the latest change).
      const start = listChecks()
      await waitUntil(() => listChecks() >= start + 2, 8 * FALLBACK_MS + 5000)

      await appFrame(cfo.page).locator('[data-testid="action-approve"]').click()
      await appFrame(cfo.page).locator('[data-testid="approval-read-only"]').waitFor({ timeout: 30_000 })
      // Within the fallback's interval: it may have backed off to its longest wait (8×) meanwhile.
      const within = 8 * FALLBACK_MS + FOLLOW_MS
      await expect.poll(() => currentApprovers(lawyer.page), { timeout: within, interval: 100 }).toEqual([PEOPLE.ceo])
      await expect.poll(() => holders(author.page), { timeout: within, interval: 100 }).toContain(ceoName)
      await screenshot(author.page, 'live-author-fallback')
    } finally {
      applyControl(emu(), { reset: 'faults' })
      for (const c of [author.context, lawyer.context, cfo.context]) await c.close()
    }
  }, 240_000)
})
