// A deputy a person names for themselves (issue 10, Deliver 6), through the real shell, the built
// app and Chromium, found by visible labels: the approver of a contract's next step (not an
// administrator) names the head of sales as deputy in the workspace for a range covering today;
// a third user writes a forged entry into the app's data storage over REST naming themselves the
// same person's deputy, starting later (it would win if it counted); the lawyer approves, and the
// turn goes to the head of sales «вместо …» (declined), with his notification and to-do, while the
// forger gets nothing. Screenshots at 1366 and 375 px go to /tmp/deputy-shots/.
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FrameLocator, Page } from 'playwright-core'
import { contractSpace, PEOPLE, PHONE, appFrame, findUser, fullName, openPortal, startStack, type Stack } from './fixtures.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { parseStored } from '../../src/services/approval/stored-log.ts'
import { project } from '../../src/domain/projection.ts'
import { declineName } from '../../src/domain/names.ts'
import { DEPUTIES_ENTITY, entryDates, entryName } from '../../src/domain/deputies.ts'
import type { PortalData } from '../../emulator/core/db.ts'

const SHOTS = '/tmp/deputy-shots'
let stack: Stack
let space: ContractSpace
let itemId: number
let awayId: number
let authorId: number
const db = () => stack.portal.ctx.db as unknown as PortalData

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)
const ru = (ymd: string) => ymd.split('-').reverse().join('.')

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
  // A contract on the lawyer's step whose next step has one approver — not an administrator,
  // the lawyer, the head of sales or the author: the one who goes on vacation.
  const items = Object.values(db().crm.items[space.entityTypeId] ?? {}) as Record<string, unknown>[]
  for (const item of items) {
    if (!(item[space.fields.approvers] as number[] | undefined)?.includes(PEOPLE.lawyer)) continue
    const parsed = parseStored(item[space.fields.approvalLog])
    if (!parsed.ok) continue
    const p = project(parsed.stored.log)
    const next = p.currentStep === null ? undefined : p.steps[p.currentStep + 1]
    const who = next?.approverIds.length === 1 ? next.approverIds[0] : undefined
    if (p.steps[p.currentStep ?? -1]?.mode !== 'any' && p.currentApprovers.length !== 1) continue
    if (!who || who === PEOPLE.lawyer || who === PEOPLE.salesHead || who === PEOPLE.admin || who === p.author?.id) continue
    itemId = Number(item.id)
    awayId = who
    authorId = p.author?.id ?? 0
    break
  }
  expect(itemId).toBeGreaterThan(0)
  expect(findUser(stack.portal.ctx, awayId).IS_ADMIN).toBe(false)
})

afterAll(async () => {
  await stack?.close()
})

async function openWorkspace(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/`)
  await page.getByRole('link', { name: 'Согласование договоров' }).first().click()
  const frame = appFrame(page)
  await frame.getByRole('heading', { name: 'Отпуск и заместитель' }).waitFor({ timeout: 60_000 })
  return frame
}

async function openCard(page: Page): Promise<FrameLocator> {
  await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${itemId}/`)
  await page.getByRole('button', { name: 'Согласование', exact: true }).first().click()
  return appFrame(page)
}

/** Picks a person in the portal's employee selector by their visible name. */
async function pickUser(page: Page, name: string): Promise<void> {
  await page.getByRole('dialog').getByText(name, { exact: true }).click()
}

/** A REST call with an app token of `userId`, as any user of the app may make it. */
async function restAs(userId: number, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const auth = stack.portal.ctx.auth.issue(userId).accessToken
  const res = await fetch(`${stack.portal.origin}/rest/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...params, auth }) })
  return (await res.json()) as Record<string, unknown>
}

describe('a deputy the person names for themselves', () => {
  it('takes the turn «вместо …»; a forged entry by a third user is ignored', async () => {
    const away = findUser(stack.portal.ctx, awayId)
    const deputy = findUser(stack.portal.ctx, PEOPLE.salesHead)
    const forger = findUser(stack.portal.ctx, (u) => !u.IS_ADMIN && ![awayId, PEOPLE.salesHead, PEOPLE.lawyer, authorId].includes(u.ID) && u.ID !== PEOPLE.noAccess)
    const declined = declineName(fullName(away), 'genitive')
    expect(declined).not.toBe(fullName(away))
    const instead = `вместо ${declined}`

    // The forger writes an entry naming themselves the person's deputy from today: later than the
    // person's own (from yesterday), so it would take the turn if the app trusted it.
    const forged = { person: { id: away.ID, name: fullName(away) }, deputy: { id: forger.ID, name: fullName(forger) }, from: day(0), to: day(7) }
    const added = await restAs(forger.ID, 'entity.item.add', { ENTITY: DEPUTIES_ENTITY, NAME: entryName(forged), ...entryDates(forged) })
    expect(added.result).toBeTypeOf('number')

    const { context, page } = await openPortal(stack, away.ID)
    try {
      const ws = await openWorkspace(page)
      await expect.poll(() => ws.getByText(/Назначьте заместителя/).count()).toBe(1)
      await ws.getByRole('button', { name: 'Назначить заместителя' }).click()
      // Nobody is their own deputy; a last day before the first, or a range already over, is refused.
      await ws.getByRole('button', { name: 'Выбрать' }).click()
      await pickUser(page, fullName(away))
      await ws.getByText('Нельзя назначить заместителем самого себя.').waitFor()
      expect(await ws.getByRole('button', { name: 'Сохранить' }).isDisabled()).toBe(true)
      await ws.getByRole('button', { name: 'Выбрать' }).click()
      await pickUser(page, fullName(deputy))
      await ws.getByLabel('Первый день').fill(day(3))
      await ws.getByLabel('Последний день').fill(day(1))
      await ws.getByText('Последний день раньше первого.').waitFor()
      await ws.getByLabel('Первый день').fill(day(-9))
      await ws.getByLabel('Последний день').fill(day(-2))
      await ws.getByText('Эти дни уже прошли: выберите период, который ещё не закончился.').waitFor()
      await ws.getByLabel('Первый день').fill(day(-1))
      await ws.getByLabel('Последний день').fill(day(7))
      expect(await ws.getByRole('alert').count()).toBe(0)
      await shot(page, 'self-form-1366')
      await ws.getByRole('button', { name: 'Сохранить' }).click()
      await ws.getByText(`Сохранено: с ${ru(day(-1))} по ${ru(day(7))} ваши новые согласования получит ${fullName(deputy)}.`).waitFor({ timeout: 60_000 })
      await ws.getByText(`С ${ru(day(-1))} по ${ru(day(7))} (9 дней) ваши новые согласования получает ${fullName(deputy)}.`).waitFor()
      await shot(page, 'self-saved-1366')
    } finally {
      await context.close()
    }
    const items = db().entities?.[DEPUTIES_ENTITY]?.items ?? []
    expect(items.map((i) => i.createdBy).sort()).toEqual([away.ID, forger.ID].sort())

    // The same panel on a phone: what is set, and the form, fit the width.
    const narrow = await openPortal(stack, away.ID, PHONE)
    try {
      const ws = await openWorkspace(narrow.page)
      await ws.getByText(`ваши новые согласования получает ${fullName(deputy)}`).waitFor({ timeout: 60_000 })
      expect(await ws.getByRole('button', { name: 'Отменить замещение' }).count()).toBe(1)
      await ws.getByRole('button', { name: 'Изменить заместителя' }).click()
      // The form starts from what is set.
      await ws.getByText(fullName(deputy), { exact: true }).waitFor()
      expect(await ws.getByLabel('Последний день').inputValue()).toBe(day(7))
      const overflow = await ws.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await ws.getByRole('button', { name: 'Сохранить' }).scrollIntoViewIfNeeded()
      await shot(narrow.page, 'self-form-375')
    } finally {
      await narrow.context.close()
    }

    // The lawyer approves: the next step opens while its approver is away.
    const lawyer = await openPortal(stack, PEOPLE.lawyer)
    try {
      const tab = await openCard(lawyer.page)
      await tab.getByRole('button', { name: 'Согласовать', exact: true }).click({ timeout: 90_000 })
      await tab.getByText(instead).first().waitFor({ timeout: 90_000 })
      await shot(lawyer.page, 'self-card-lawyer-1366')
    } finally {
      await lawyer.context.close()
    }
    const item = db().crm.items[space.entityTypeId]?.[itemId] as Record<string, unknown>
    expect(item[space.fields.approvers]).toContain(deputy.ID)
    expect(item[space.fields.approvers]).not.toContain(away.ID)
    expect(item[space.fields.approvers]).not.toContain(forger.ID)
    // His to-do and notification; nothing for the person away or the forger.
    const open = (id: number) => db().crm.activities.filter((a) => a.ownerId === itemId && a.responsibleId === id && a.completed === 'N').length
    await expect.poll(() => open(deputy.ID), { timeout: 30_000 }).toBe(1)
    expect(open(away.ID)).toBe(0)
    expect(open(forger.ID)).toBe(0)
    expect(db().notifications.filter((n) => n.userId === deputy.ID).map((n) => n.message).join('\n')).toContain(`Вместо ${declined}`)

    // The deputy sees it on his phone: the card names whom he stands in for.
    const phone = await openPortal(stack, deputy.ID, PHONE)
    try {
      const card = await openCard(phone.page)
      await card.getByText(instead).first().waitFor({ timeout: 60_000 })
      const overflow = await card.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await shot(phone.page, 'self-card-deputy-375')
    } finally {
      await phone.context.close()
    }
  })
})
