// The bell's link opens the app itself (REST_APP_URI, api-reference/widgets/universal/app-url.md):
// the author submits a contract, the lawyer — on the contracts list — sees the notification in the
// bell, follows its link, and the app opens in a slider over that page directly on the contract's
// approval view, where she approves. Nothing navigates away from the page she was on.
import { mkdirSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractSpace, PEOPLE, findUser, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { act } from '../../src/services/approval/actions.ts'
import { APP_OPTION_KEYS, appLinkPath } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'
import { createNodePort } from '../support/node-port.ts'

const SHOTS = '/tmp/applink-shots'
const TITLE = 'Договор аренды склада с ООО «Логистик Парк»'

let stack: Stack
let space: ContractSpace
let itemId: number

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'e2e', name: 'Юрист', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [{ title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] }],
  }],
}

beforeAll(async () => {
  stack = await startStack()
  const { ctx, origin } = stack.portal
  space = contractSpace(stack)
  await ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
  const f = space.fields
  const created = await ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: {
      title: TITLE, assignedById: PEOPLE.salesManager,
      [f.number]: 'СЕВ-А-2026/0777', [f.amount]: '480000|RUB', opportunity: 480000, currencyId: 'RUB', [f.date]: '2026-11-25',
    },
  })
  itemId = Number((created.result as { item: { id: number } }).item.id)
  // The author submits with the app's own use case: its notification to the lawyer is the app's.
  const author = findUser(ctx, PEOPLE.salesManager)
  const port = createNodePort({ origin, userId: author.ID, ctx, attempts: 3 })
  await act(port, space, {
    itemId, actor: { id: author.ID, name: `${author.NAME} ${author.LAST_NAME}` }, eventId: randomUUID(), at: new Date().toISOString(),
    intent: { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] },
  })
})

afterAll(async () => {
  await stack?.close()
})

describe('a notification opens the app on the contract', () => {
  it('bell → link → the app in a slider on the approval view → approve', async () => {
    const { ctx, origin } = stack.portal
    // The install kept the app's code (app.info CODE), so the link is the app's own.
    expect(space.appCode).toBe(ctx.db.app.clientId)
    const notice = ctx.db.notifications.find((n) => n.userId === PEOPLE.lawyer && n.message.includes(TITLE))
    expect(notice?.message).toContain(`[URL=${origin}${appLinkPath(space.appCode ?? '', itemId)}]`)

    const { context, page } = await openPortal(stack, PEOPLE.lawyer)
    try {
      const listPath = `/crm/type/${space.entityTypeId}/list/`
      await page.goto(`${origin}${listPath}`)
      await expect.poll(() => page.locator('[data-testid="bell-count"]').textContent(), { timeout: 60_000 }).not.toBe('0')
      await page.getByRole('button', { name: 'Уведомления' }).click()
      const link = page.locator('[data-testid="bell-panel"]').getByRole('link', { name: TITLE }).first()
      await link.waitFor()
      await link.click()

      // The app, in a slider over the list she was on, opened by REST_APP_URI.
      const slider = page.locator('[data-testid="app-slider"]')
      await slider.waitFor()
      expect(await slider.locator('iframe[data-testid="app-frame"]').getAttribute('data-placement')).toBe('REST_APP_URI')
      expect(new URL(page.url()).pathname).toBe(listPath)
      const app = page.frameLocator('[data-testid="app-slider"] iframe[data-testid="app-frame"]')
      await app.getByText(TITLE).first().waitFor({ timeout: 60_000 })
      const approve = app.getByRole('button', { name: 'Согласовать', exact: true })
      await approve.waitFor({ timeout: 60_000 })
      mkdirSync(SHOTS, { recursive: true })
      await page.screenshot({ path: `${SHOTS}/applink-slider-1366.png` })
      await screenshot(page, 'app-link-slider')

      await approve.click()
      await app.getByText('вы согласовали договор').first().waitFor({ timeout: 60_000 })
      await page.screenshot({ path: `${SHOTS}/applink-approved-1366.png` })
      // Her decision is recorded on the contract: the only step is done.
      const stage = app.locator('[data-testid="approval-stage"]')
      await expect.poll(() => stage.getAttribute('data-stage'), { timeout: 60_000 }).toBe('ORIGINALS')

      // × closes the slider; the list is still there underneath.
      await page.locator('[data-testid="app-slider-close"]').click()
      await slider.waitFor({ state: 'detached' })
      expect(await page.locator('[data-testid="contracts-table"]').isVisible()).toBe(true)
    } finally {
      await context.close()
    }
  })
})
