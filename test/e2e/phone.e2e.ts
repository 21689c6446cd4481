// Deciding from the Bitrix24 mobile app (issue 10, "On the road"): the app's only mobile
// placement is the *Apps* menu of a chat (IMMOBILE_CONTEXT_MENU, api-reference/widgets/mobile-app.md).
// At 375 px the lawyer opens the general chat, the *Apps* menu, the app; sees their inbox; opens a
// contract; approves it — and in a second case returns another one with a required comment. The
// decision is recorded (the stored log) and the desktop card tab shows it. Elements are found by
// their visible labels only; screenshots go to /tmp/phone-shots/.
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame, FrameLocator, Page } from 'playwright-core'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, openPortal, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'
import { createNodePort } from '../support/node-port.ts'
import { act } from '../../src/services/approval/actions.ts'
import { newEventId } from '../../src/domain/eventId.ts'
import { project, type Projection } from '../../src/domain/projection.ts'
import { parseLog } from '../../src/domain/log.ts'
import type { PortalData } from '../../emulator/core/db.ts'

const SHOTS = '/tmp/phone-shots'
const COMMENT = 'Уточните срок поставки в п. 2.1'
const TITLES = ['Договор аренды склада в Мурино', 'Договор на вывоз шин с ООО «ЭкоШина»', 'Договор на уборку автосалона на Приморском'] as const

let stack: Stack
let space: ContractSpace
const ids: number[] = []

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'e2e-phone', name: 'Юрист', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [{ title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] }],
  }],
}

async function submitted(title: string, number: string, amount: number): Promise<number> {
  const f = space.fields
  const created = await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: { title, assignedById: PEOPLE.salesManager, [f.number]: number, [f.amount]: `${amount}|RUB`, opportunity: amount, currencyId: 'RUB' },
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

/** One more contract in round 2: the lawyer returned it, the author lowered the amount and resubmitted. */
async function resubmitted(title: string, number: string): Promise<number> {
  const itemId = await submitted(title, number, 960_000)
  const asUser = (userId: number) => createNodePort({ origin: stack.portal.origin, userId, ctx: stack.portal.ctx, attempts: 3 })
  const step = async (userId: number, name: string, intent: Parameters<typeof act>[2]['intent']) => {
    const res = await act(asUser(userId), space, { itemId, actor: { id: userId, name }, eventId: newEventId(), at: new Date().toISOString(), intent }, { announce: false })
    if (!res.ok) throw new Error(`refused: ${res.reason}`)
  }
  await step(PEOPLE.lawyer, 'Елена Соколова', { type: 'return', round: 1, step: 0, comment: COMMENT })
  await stack.portal.ctx.callAs(PEOPLE.salesManager, 'crm.item.update', {
    entityTypeId: space.entityTypeId, id: itemId, fields: { [space.fields.amount]: '905000|RUB', opportunity: 905_000 },
  })
  await step(PEOPLE.salesManager, 'Мария Козлова', { type: 'resubmit', routeSet: ROUTES, departmentHeadIds: [], comment: 'Сумма снижена до 905 000 ₽' })
  return itemId
}

/** What the stored log says now. */
function projectionOf(itemId: number): Projection | null {
  const item = ((stack.portal.ctx.db as unknown as PortalData).crm.items[space.entityTypeId] ?? {})[itemId] as Record<string, unknown> | undefined
  const parsed = parseLog(item?.[space.fields.approvalLog])
  return parsed.ok ? project(parsed.log) : null
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/${name}.png` })
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** axe-core's serious and critical violations in the app's frame (the shell's CSP keeps axe out of the portal page). */
async function axeSerious(target: Page | Frame, exclude: string[] = []): Promise<string[]> {
  await target.addScriptTag({ path: AXE })
  return target.evaluate(async (skip) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe
    const res = await axe.run(skip.length ? { include: [['html']], exclude: skip.map((sel) => [sel]) } : document, { resultTypes: ['violations'] })
    return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${JSON.stringify(v.nodes.slice(0, 12).map((n) => n.target))}`)
  }, exclude)
}

function appFrameOf(page: Page): Frame {
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(stack.app.origin))
  if (!frame) throw new Error('no app frame')
  return frame
}

/** Nothing on the page or in the app's frame is wider than the phone. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const outer = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  expect(outer.scroll).toBeLessThanOrEqual(outer.client)
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(stack.app.origin))
  if (frame) {
    const inner = await frame.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
    expect(inner.scroll).toBeLessThanOrEqual(inner.client)
  }
}

/** The lawyer's phone: the general chat, the *Apps* menu, the app. */
async function openAppFromChat(page: Page, screenshots = false): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/mobile/`)
  await page.getByText('Общий чат', { exact: true }).waitFor()
  if (screenshots) await shot(page, '01-chat')
  await page.getByRole('button', { name: 'Приложения' }).click()
  const item = page.getByRole('menuitem', { name: 'Согласование договоров' })
  await item.waitFor()
  if (screenshots) await shot(page, '02-apps-menu')
  await item.click()
  const frame = appFrame(page)
  await frame.getByText('Ждут вашего решения').waitFor({ timeout: 90_000 })
  return frame
}

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  await stack.portal.ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
  ids.push(await submitted(TITLES[0], 'МОБ-1', 1_250_000), await submitted(TITLES[1], 'МОБ-2', 318_000), await resubmitted(TITLES[2], 'МОБ-3'))
})

afterAll(async () => {
  await stack?.close()
})

describe('deciding from the mobile app\'s chat menu at 375 px', () => {
  it('the lawyer approves a contract from the phone; the card records it', async () => {
    const lawyer = findUser(stack.portal.ctx, PEOPLE.lawyer)
    const { context, page } = await openPortal(stack, lawyer.ID, PHONE)
    try {
      const frame = await openAppFromChat(page, true)
      // The widget opens as a page on top of the chat, with the app's title.
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Согласование договоров')
      await frame.getByRole('button', { name: TITLES[0] }).waitFor()
      await shot(page, '03-inbox')
      await expectNoHorizontalOverflow(page)
      expect(await axeSerious(appFrameOf(page))).toEqual([])

      // The resubmitted one says what changed since the round the lawyer reviewed.
      await frame.getByRole('button', { name: TITLES[2] }).click()
      await frame.getByText('Изменилось с круга 1, который вы смотрели').waitFor({ timeout: 60_000 })
      expect(await frame.getByText('Повторно — круг 2').count()).toBeGreaterThan(0)
      expect(await frame.getByText(/960\s000,00\s₽ → 905\s000,00\s₽/).count()).toBe(1)
      expect(await frame.getByText(COMMENT).count()).toBeGreaterThan(0)
      await shot(page, '04a-changes')
      await expectNoHorizontalOverflow(page)
      expect(await axeSerious(appFrameOf(page))).toEqual([])
      await frame.getByRole('button', { name: '← К списку' }).click()
      await frame.getByText('Ждут вашего решения').waitFor()

      await frame.getByRole('button', { name: TITLES[0] }).click()
      const approve = frame.getByRole('button', { name: 'Согласовать' })
      await approve.waitFor({ timeout: 60_000 })
      expect(await frame.getByText('№ МОБ-1').count()).toBeGreaterThan(0)
      expect(await frame.getByRole('button', { name: 'Вернуть на доработку' }).isVisible()).toBe(true)
      // The decision buttons are on the screen, not below it.
      const box = await page.locator('iframe').boundingBox()
      const btn = await approve.boundingBox()
      expect(box && btn && btn.y + btn.height <= box.y + box.height + 1).toBe(true)
      await shot(page, '04-decision')
      await expectNoHorizontalOverflow(page)

      await approve.click()
      await frame.getByText('Договор согласован').waitFor({ timeout: 60_000 })
      await shot(page, '05-approved')
      await expectNoHorizontalOverflow(page)
      const p = projectionOf(ids[0] as number)
      expect(p?.stageCode).toBe('ORIGINALS')
      expect(p?.steps[0]?.approvals.map((a) => a.actor.id)).toEqual([PEOPLE.lawyer])

      // Back to the inbox: the contract is no longer there; the other one still is.
      await frame.getByRole('button', { name: 'К списку договоров' }).click()
      await frame.getByRole('button', { name: TITLES[1] }).waitFor()
      expect(await frame.getByRole('button', { name: TITLES[0] }).count()).toBe(0)

      // The desktop card tab shows the decision too (the author's web view).
      const author = await openPortal(stack, PEOPLE.salesManager)
      try {
        await author.page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${ids[0]}/`)
        await author.page.getByRole('button', { name: 'Согласование', exact: true }).click()
        await appFrame(author.page).getByText('Согласован, ждём оригиналы').first().waitFor({ timeout: 60_000 })
      } finally {
        await author.context.close()
      }
    } finally {
      await context.close()
    }
  })

  it('the lawyer returns a contract from the phone with a required comment', async () => {
    const lawyer = findUser(stack.portal.ctx, PEOPLE.lawyer)
    const { context, page } = await openPortal(stack, lawyer.ID, PHONE)
    try {
      const frame = await openAppFromChat(page)
      await frame.getByRole('button', { name: TITLES[1] }).click()
      await frame.getByRole('button', { name: 'Вернуть на доработку' }).click()
      const dialog = frame.getByRole('dialog', { name: 'Вернуть договор на доработку' })
      await dialog.waitFor()
      // Without a comment nothing is sent.
      await dialog.getByRole('button', { name: 'Вернуть', exact: true }).click()
      await dialog.getByText('Без комментария вернуть нельзя.').waitFor()
      await shot(page, '06-return-dialog')
      await expectNoHorizontalOverflow(page)
      expect(projectionOf(ids[1] as number)?.stageCode).toBe('APPROVAL')

      await dialog.getByRole('textbox').fill(COMMENT)
      await dialog.getByRole('button', { name: 'Вернуть', exact: true }).click()
      await frame.getByText('Договор возвращён на доработку').waitFor({ timeout: 60_000 })
      await shot(page, '07-returned')
      const p = projectionOf(ids[1] as number)
      expect(p?.stageCode).toBe('RETURNED')
      expect(p?.returnComments.map((c) => c.comment)).toEqual([COMMENT])

      await frame.getByRole('button', { name: 'К списку договоров' }).click()
      await frame.getByText('Ждут вашего решения').waitFor()
      expect(await frame.getByRole('button', { name: TITLES[1] }).count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('someone who is not the approver finds nothing to decide', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.salesManager, PHONE)
    try {
      await page.goto(`${stack.portal.origin}/mobile/`)
      await page.getByRole('button', { name: 'Приложения' }).click()
      await page.getByRole('menuitem', { name: 'Согласование договоров' }).click()
      const frame = appFrame(page)
      await frame.getByText('Ждут вашего решения').waitFor({ timeout: 90_000 })
      expect(await frame.getByRole('button', { name: TITLES[0] }).count()).toBe(0)
      expect(await frame.getByRole('button', { name: TITLES[1] }).count()).toBe(0)
    } finally {
      await context.close()
    }
  })
})
