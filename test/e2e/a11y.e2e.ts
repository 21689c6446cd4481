// Accessibility (issue 8): axe-core, run inside Debian's Chromium on the real app in the real
// shell — the card tab, every workspace tab (the admin sees them all), the route settings and the
// install wizard of a portal that does not have the app yet. Serious and critical violations
// count against `a11y.serious`. Then a keyboard-only user (Tab, Shift+Tab, Enter, Space and
// typing, never the mouse) opens a contract's tab from the portal's page, approves one contract
// and returns another with a comment. With CA_RELIABILITY_REPORT set the numbers go to
// reports/reliability.json (`a11y.serious`, `a11y.keyboardApproval`, …).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import type { Frame, Page } from 'playwright-core'
import { appPath } from '../../emulator/shell/pages.ts'
import { docx } from '../../emulator/seed/docx.ts'
import { USER_COOKIE } from '../../emulator/shell/session.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../src/domain/route.ts'
import { reportSection } from '../support/reliability-report.ts'
import { contractSpace, PEOPLE, PHONE, appFrame, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] }

let stack: Stack
let space: ContractSpace
const views: Record<string, { serious: number; rules: string[] }> = {}
const found: string[] = []
let keyboardApproval = false
let keyboardReturn = false

/** The app's frame in the portal's page. */
async function appFrameOf(page: Page): Promise<Frame> {
  await page.locator('iframe[data-testid="app-frame"]').waitFor()
  for (let i = 0; i < 600; i++) {
    const f = page.frames().find((x) => x.url().startsWith(stack.app.origin))
    if (f) return f
    await page.waitForTimeout(100)
  }
  throw new Error('no app frame')
}

/** axe-core on the frame's whole document; serious and critical violations are recorded. */
async function audit(frame: Frame, view: string): Promise<AxeViolation[]> {
  await frame.addScriptTag({ path: AXE })
  const violations = await frame.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe
    const res = await axe.run(document, { resultTypes: ['violations'] })
    // For contrast, the colours and ratio axe measured (what a fix has to change).
    const detail = (n: { any?: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } | null }[] }) => {
      const d = n.any?.[0]?.data
      return d?.fgColor ? ` [${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}]` : ''
    }
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 8).map((n) => ({ target: n.target, html: n.html.slice(0, 160) + detail(n as never) })) }))
  })
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  views[view] = { serious: serious.length, rules: serious.map((v) => v.id) }
  for (const v of serious) found.push(`${view}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.html}`).join(' | ')}`)
  return serious
}

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'a11y', name: 'Юрист', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [{ title: 'Юрист', mode: 'any', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] }],
  }],
}

/** A contract the lawyer is asked about now (submitted by its author through the REST). */
async function waitingForLawyer(title: string): Promise<number> {
  const { ctx } = stack.portal
  const f = space.fields
  const companies = await ctx.callAs(PEOPLE.admin, 'crm.item.list', { entityTypeId: 4, select: ['id'] })
  const companyId = Number((companies.result as { items: { id: number }[] }).items[0]?.id)
  const created = await ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: space.entityTypeId,
    fields: {
      title, assignedById: PEOPLE.salesManager, [f.number]: `A11Y-${title.length}`, [f.amount]: '640000|RUB', opportunity: 640000, currencyId: 'RUB', companyId,
      [f.documents]: [[`${title}.docx`, docx([title, 'Текст договора']).toString('base64')]],
    },
  })
  return Number((created.result as { item: { id: number } }).item.id)
}

beforeAll(async () => {
  stack = await startStack()
  space = contractSpace(stack)
}, 420_000)

afterAll(async () => {
  await stack?.close()
  const serious = Object.values(views).reduce((n, v) => n + v.serious, 0)
  reportSection('a11y', { serious, keyboardApproval: keyboardApproval && keyboardReturn, views })
})

describe('axe-core: no serious or critical violations', () => {
  it('the card tab (an approver with decisions to take)', async () => {
    const { context, page } = await openPortal(stack, PEOPLE.lawyer)
    try {
      const list = await stack.portal.ctx.callAs(PEOPLE.admin, 'crm.item.list', { entityTypeId: space.entityTypeId, select: ['id', 'stageId', space.fields.approvers] })
      const items = (list.result as { items: Record<string, unknown>[] }).items
      const waiting = items.find((i) => String(i.stageId).endsWith(':APPROVAL') && (i[space.fields.approvers] as unknown[] | undefined)?.map(Number).includes(PEOPLE.lawyer))
      await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${Number(waiting?.id)}/`)
      await page.locator('[data-testid="app-tab"]').first().click()
      const frame = await appFrameOf(page)
      await frame.locator('[data-testid="approval-actions"]').waitFor({ timeout: 60_000 })
      await audit(frame, 'card')
      // The return dialog too: a form with a required comment.
      await frame.locator('[data-testid="action-return"]').click()
      await frame.getByRole('dialog').waitFor()
      await audit(frame, 'card-return-dialog')
    } finally {
      await context.close()
    }
  })

  it('every workspace tab and the settings (the administrator sees them all), at 1366 and 375 px', async () => {
    for (const viewport of [{ width: 1366, height: 900 }, PHONE]) {
      const { context, page } = await openPortal(stack, PEOPLE.admin, viewport)
      try {
        await page.goto(`${stack.portal.origin}/`)
        await page.locator('[data-testid="left-menu-app"]').click()
        const frame = await appFrameOf(page)
        await frame.getByRole('tab', { name: 'Настройки' }).waitFor({ timeout: 60_000 })
        const names = await frame.getByRole('tab').allTextContents()
        expect(names.length).toBeGreaterThanOrEqual(5)
        for (const name of ['Мои согласования', 'Мои договоры', 'Оригиналы и архив', 'Аналитика', 'Настройки']) {
          await frame.getByRole('tab', { name }).click()
          if (name === 'Настройки') await frame.locator('[data-testid="settings"][data-state="done"]').waitFor({ timeout: 60_000 })
          else await frame.waitForTimeout(1_500)
          await frame.locator('[data-state="loading"]').first().waitFor({ state: 'detached', timeout: 60_000 }).catch(() => undefined)
          await audit(frame, `workspace ${name} @${viewport.width}`)
        }
      } finally {
        await context.close()
      }
    }
  })

  it('the install wizard on a portal without the app', async () => {
    const fresh = await startStack({ seed: 'people' })
    try {
      const context = await fresh.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' })
      await context.addCookies([{ name: USER_COOKIE, value: String(PEOPLE.admin), url: fresh.portal.origin }])
      const page = await context.newPage()
      await page.goto(`${fresh.portal.origin}${appPath(fresh.portal.ctx)}`)
      const frame = appFrame(page)
      await frame.locator('[data-testid="install-wizard"]').waitFor({ timeout: 90_000 })
      const f = page.frames().find((x) => x.url().startsWith(fresh.app.origin))
      if (!f) throw new Error('no wizard frame')
      await audit(f, 'install wizard')
      await screenshot(page, 'a11y-install-wizard')
      await context.close()
    } finally {
      await fresh.close()
    }
  })

  it('adds up to zero', () => {
    expect(found).toEqual([])
  })
})

/** Which element has the focus, described (inside the app's frame when the frame has it). */
async function focused(page: Page): Promise<string> {
  const top = await page.evaluate(() => {
    const a = document.activeElement
    return a?.tagName === 'IFRAME' ? 'IFRAME' : `${a?.tagName}|${a?.getAttribute('data-testid') ?? ''}|${(a?.textContent ?? '').trim().slice(0, 60)}`
  })
  if (top !== 'IFRAME') return `top:${top}`
  const frame = page.frames().find((x) => x.url().startsWith(stack.app.origin))
  if (!frame) return 'top:IFRAME'
  return 'app:' + await frame.evaluate(() => {
    const a = document.activeElement
    return `${a?.tagName}|${a?.getAttribute('data-testid') ?? ''}|${(a?.getAttribute('aria-label') ?? a?.textContent ?? '').trim().slice(0, 60)}`
  })
}

/** Presses Tab (or Shift+Tab) until the focus is on what `want` matches; fails after `max`. */
async function tabTo(page: Page, want: RegExp, max = 80, key = 'Tab'): Promise<string> {
  const trail: string[] = []
  for (let i = 0; i < max; i++) {
    const now = await focused(page)
    if (want.test(now)) return now
    trail.push(now)
    await page.keyboard.press(key)
  }
  throw new Error(`the focus never reached ${want} with ${key}: ${trail.slice(-12).join(' → ')}`)
}

describe('keyboard only', () => {
  it('opens a contract\'s tab from the portal, approves it, and returns another with a comment', async () => {
    await stack.portal.ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
    const approveId = await waitingForLawyer('Договор для согласования с клавиатуры')
    const returnId = await waitingForLawyer('Договор для возврата с клавиатуры, без мыши')
    const author = await openPortal(stack, PEOPLE.salesManager)
    try {
      for (const id of [approveId, returnId]) {
        await author.page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${id}/`)
        await author.page.locator('[data-testid="app-tab"]').first().click()
        await appFrame(author.page).locator('[data-testid="action-submit"]').click({ timeout: 60_000 })
        await expect.poll(() => appFrame(author.page).locator('[data-testid="approval-stage"]').getAttribute('data-stage'), { timeout: 60_000 }).toBe('APPROVAL')
      }
    } finally {
      await author.context.close()
    }

    const { context, page } = await openPortal(stack, PEOPLE.lawyer)
    try {
      const stage = () => appFrame(page).locator('[data-testid="approval-stage"]').getAttribute('data-stage')
      // Approve: from the portal's card, the keyboard reaches the app's tab and its button.
      await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${approveId}/`)
      await tabTo(page, /^top:.*\|app-tab\|/)
      await page.keyboard.press('Enter')
      await appFrame(page).locator('[data-testid="approval-actions"]').waitFor({ timeout: 60_000 })
      await tabTo(page, /^app:BUTTON\|action-approve\|/, 120)
      await page.keyboard.press('Enter')
      // A confirmation, if the tab asks for one, is taken with the keyboard too.
      const dialog = appFrame(page).getByRole('dialog')
      if (await dialog.isVisible().catch(() => false)) {
        await tabTo(page, /^app:BUTTON\|.*confirm/i, 20)
        await page.keyboard.press('Enter')
      }
      await expect.poll(stage, { timeout: 60_000 }).toBe('ORIGINALS')
      keyboardApproval = true

      // Return: the dialog's comment is typed, its button pressed with Space; Shift+Tab walks back.
      await page.goto(`${stack.portal.origin}/crm/type/${space.entityTypeId}/details/${returnId}/`)
      await tabTo(page, /^top:.*\|app-tab\|/)
      await page.keyboard.press('Enter')
      await appFrame(page).locator('[data-testid="approval-actions"]').waitFor({ timeout: 60_000 })
      await tabTo(page, /^app:BUTTON\|action-return\|/, 120)
      await page.keyboard.press('Space')
      await appFrame(page).getByRole('dialog').waitFor()
      await tabTo(page, /^app:TEXTAREA\|/, 20)
      await page.keyboard.type('Уточните реквизиты покупателя')
      const confirm = await tabTo(page, /^app:BUTTON\|return-confirm\|/, 20)
      // Past the button and back again.
      await page.keyboard.press('Tab')
      await tabTo(page, new RegExp(`^${confirm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), 20, 'Shift+Tab')
      await page.keyboard.press('Space')
      await expect.poll(stage, { timeout: 60_000 }).toBe('RETURNED')
      keyboardReturn = true
      await screenshot(page, 'a11y-keyboard-returned')
    } finally {
      await context.close()
    }
    expect(keyboardApproval && keyboardReturn).toBe(true)
  })
})
