// Deadlines that act with no server, through the real shell, the built app and Chromium: the
// lawyer's step is two days past its deadline; the author and the lawyer open the card at the same
// moment; the step is escalated exactly once — one effective «просрочено» event, one notice to the
// lawyer's head (the CEO), whatever both clients wrote. A route that names its escalation person
// (route editor) tells that person instead, also exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { contractSpace, PEOPLE, appFrame, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'
import { createNodePort } from '../support/node-port.ts'
import { act } from '../../src/services/approval/actions.ts'
import { newEventId } from '../../src/domain/eventId.ts'
import { parseLog } from '../../src/domain/log.ts'
import { project } from '../../src/domain/projection.ts'
import type { PortalData } from '../../emulator/core/db.ts'

let stack: Stack
let space: ContractSpace
let itemId: number
let namedItemId: number

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    // From a million: the CFO is told when a step is late, not the approver's head.
    id: 'e2e-escalation-named', name: 'Юрист, просрочка — финансовому директору', isDefault: false,
    conditions: { amountFrom: 1_000_000, amountTo: null, contractTypes: [] }, escalateTo: [PEOPLE.cfo],
    steps: [{ title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] }],
  }, {
    id: 'e2e-escalation', name: 'Юрист', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [{ title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] }],
  }],
}

const db = () => stack.portal.ctx.db as unknown as PortalData

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  await stack.portal.ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
  itemId = await overdueContract('Договор поставки масел', 'ПРС-1', 90_000)
  namedItemId = await overdueContract('Договор аренды склада', 'АР-7', 2_400_000)
})

/** A contract sent three days ago: the lawyer's day ran out two days ago. */
async function overdueContract(title: string, number: string, amount: number): Promise<number> {
  const f = space.fields
  const created = await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: { title, assignedById: PEOPLE.salesManager, [f.number]: number, [f.amount]: `${amount}|RUB`, opportunity: amount, currencyId: 'RUB' },
  })
  const id = Number((created.result as { item: { id: number } }).item.id)
  const port = createNodePort({ origin: stack.portal.origin, userId: PEOPLE.salesManager, ctx: stack.portal.ctx, attempts: 3 })
  const res = await act(port, space, {
    itemId: id, actor: { id: PEOPLE.salesManager, name: 'Мария Козлова' }, eventId: newEventId(), at: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    intent: { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] },
  }, { announce: false })
  if (!res.ok) throw new Error(`refused: ${res.reason}`)
  return id
}

afterAll(async () => {
  await stack?.close()
})

async function openTab(page: Page, id = itemId): Promise<void> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${id}/`)
  await page.locator('[data-testid="app-tab"]').first().click()
  await appFrame(page).locator('[data-testid="approval-header"]').waitFor({ timeout: 60_000 })
}

function stored(id = itemId) {
  const item = (db().crm.items[space.entityTypeId] ?? {})[id] as Record<string, unknown> | undefined
  const parsed = parseLog(item?.[space.fields.approvalLog])
  if (!parsed.ok) throw new Error('log unreadable')
  return parsed.log
}

describe('an overdue step', () => {
  it('escalates exactly once when two users open it together', async () => {
    const author = await openPortal(stack, PEOPLE.salesManager)
    const lawyer = await openPortal(stack, PEOPLE.lawyer)
    try {
      await Promise.all([openTab(author.page), openTab(lawyer.page)])
      await expect.poll(() => project(stored()).escalations.length, { timeout: 60_000 }).toBe(1)
      // Give the second client the time to write its own, then count what reached the CEO.
      await expect.poll(() => appFrame(lawyer.page).locator('[data-testid="approval-history-item"][data-type="escalated"]').count(), { timeout: 60_000 }).toBeGreaterThan(0)
      await new Promise((r) => setTimeout(r, 5_000))
      const notices = db().notifications.filter((n) => n.userId === PEOPLE.ceo && n.message.includes('Срок согласования истёк') && n.message.includes('Договор поставки масел'))
      expect(notices).toHaveLength(1)
      expect(notices[0]?.message).toContain('Договор поставки масел')
      const p = project(stored())
      expect(p.escalations).toEqual([expect.objectContaining({ round: 1, step: 0, notify: [PEOPLE.ceo] })])
      expect(p.ignored.every((i) => i.reason === 'alreadyEscalated')).toBe(true)
      await screenshot(lawyer.page, 'escalation-lawyer')
    } finally {
      await author.context.close()
      await lawyer.context.close()
    }
  })

  it('a route that names its escalation person tells that person, exactly once, and not the head', async () => {
    const author = await openPortal(stack, PEOPLE.salesManager)
    const lawyer = await openPortal(stack, PEOPLE.lawyer)
    try {
      await Promise.all([openTab(author.page, namedItemId), openTab(lawyer.page, namedItemId)])
      await expect.poll(() => project(stored(namedItemId)).escalations.length, { timeout: 60_000 }).toBe(1)
      await expect.poll(() => appFrame(lawyer.page).locator('[data-testid="approval-history-item"][data-type="escalated"]').count(), { timeout: 60_000 }).toBeGreaterThan(0)
      // Give the second client the time to write its own, then count what reached whom.
      await new Promise((r) => setTimeout(r, 5_000))
      const about = (userId: number) => db().notifications.filter((n) => n.userId === userId && n.message.includes('Срок согласования истёк') && n.message.includes('Договор аренды склада'))
      expect(about(PEOPLE.cfo)).toHaveLength(1)
      expect(about(PEOPLE.ceo)).toHaveLength(0)
      const p = project(stored(namedItemId))
      expect(p.route?.routeId).toBe('e2e-escalation-named')
      expect(p.escalations).toEqual([expect.objectContaining({ round: 1, step: 0, notify: [PEOPLE.cfo] })])
      expect(p.ignored.every((i) => i.reason === 'alreadyEscalated')).toBe(true)
      await screenshot(lawyer.page, 'escalation-named-lawyer')
    } finally {
      await author.context.close()
      await lawyer.context.close()
    }
  })
})
