// The portal's own contract card, driven the way a person uses Bitrix24 — by visible labels:
// create a contract from the list, change an amount, add a document version, be refused without
// rights; and the portal header that must fit a 375 px phone whatever the font.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { PEOPLE, PHONE, contractSpace, findUser, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import { probeAppRoot } from './probe.ts'

let stack: Stack

beforeAll(async () => {
  // The card is the portal's, not the app's: a stand-in app in the tab is enough.
  stack = await startStack({ appRoot: probeAppRoot() })
})

afterAll(async () => {
  await stack?.close()
})

type Item = Record<string, unknown>

async function restItem(id: number): Promise<Item> {
  const { entityTypeId } = contractSpace(stack)
  const { result } = await stack.portal.ctx.callAs(1, 'crm.item.get', { entityTypeId, id })
  return (result as { item: Item }).item
}

async function openContracts(page: Page): Promise<void> {
  await page.goto(`${stack.portal.origin}/`)
  await page.getByRole('navigation').getByRole('link', { name: 'Договоры' }).click()
  await page.waitForURL(/\/list\/$/)
}

/** The header may not be wider than the window, and nothing in it may stick out of it. */
async function headerOverflow(page: Page): Promise<{ page: number; header: number; right: number }> {
  return page.evaluate(() => {
    const header = document.querySelector('header') as HTMLElement
    const width = document.documentElement.clientWidth
    const right = Math.max(...[...header.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right))
    return {
      page: document.documentElement.scrollWidth - width,
      header: header.scrollWidth - header.clientWidth,
      right: Math.max(0, Math.ceil(right) - width),
    }
  })
}

describe('shell: the contract card as an author uses it', () => {
  it('«Создать» opens an empty card; the title and the contract amount are saved with crm.item.add', async () => {
    const author = findUser(stack.portal.ctx, PEOPLE.salesManager)
    const { page, context } = await openPortal(stack, author.ID)
    try {
      await openContracts(page)
      await page.getByRole('link', { name: 'Создать' }).click()
      await page.waitForURL(/\/details\/0\/$/)
      await page.getByLabel('Название').fill('Договор аренды склада в Мурино')
      await page.getByLabel('Сумма договора').fill('480000')
      await screenshot(page, 'shell-card-new')
      await Promise.all([page.waitForURL(/\/details\/[1-9]\d*\/$/), page.getByRole('button', { name: 'Сохранить' }).click()])

      const id = Number(/\/details\/(\d+)\/$/.exec(page.url())?.[1])
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Договор аренды склада в Мурино')
      const item = await restItem(id)
      const { fields } = contractSpace(stack)
      expect(item).toMatchObject({ title: 'Договор аренды склада в Мурино', assignedById: author.ID, createdBy: author.ID })
      expect(item[fields.amount]).toBe('480000|RUB')
      // The new contract is in the list the author sees.
      await openContracts(page)
      await page.getByRole('link', { name: 'Договор аренды склада в Мурино' }).waitFor()
    } finally {
      await context.close()
    }
  })

  it('changes the amount of a draft and adds a document version: both versions stay', async () => {
    const { ctx } = stack.portal
    const { entityTypeId, fields } = contractSpace(stack)
    const author = findUser(ctx, PEOPLE.salesManager)
    const { result } = await ctx.callAs(author.ID, 'crm.item.list', { entityTypeId, filter: { assignedById: author.ID }, order: { id: 'ASC' } })
    const draft = (result as { items: Item[] }).items.find((i) => Array.isArray(i[fields.documents]) && (i[fields.documents] as unknown[]).length === 1)
    if (!draft) throw new Error('the demo seed has no contract of the author with exactly one document version')
    const firstFile = Number(((draft[fields.documents] as Item[])[0] as Item).id)

    const { page, context } = await openPortal(stack, author.ID)
    try {
      await openContracts(page)
      await page.getByRole('link', { name: String(draft.title) }).click()
      await page.waitForURL(new RegExp(`/details/${String(draft.id)}/$`))
      expect(await page.getByRole('listitem').filter({ hasText: 'Версия' }).count()).toBe(1)

      await page.getByLabel('Сумма договора').fill('777000.5')
      await page.getByLabel('Версии документа').setInputFiles({
        name: 'Договор (редакция 2).docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: Buffer.from('PK\u0003\u0004 a small stand-in for a DOCX'),
      })
      await expect.poll(() => page.getByText('Договор (редакция 2).docx').count()).toBe(1)
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Сохранить' }).click()])

      await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'Версия' }).count()).toBe(2)
      expect(await page.getByLabel('Сумма договора').inputValue()).toBe('777000.5')
      await screenshot(page, 'shell-card-1366')
      const item = await restItem(Number(draft.id))
      expect(item[fields.amount]).toBe('777000.5|RUB')
      const ids = (item[fields.documents] as Item[]).map((f) => Number(f.id))
      expect(ids).toHaveLength(2)
      expect(ids[0]).toBe(firstFile)
      // Only what changed was written: the title the author did not touch is as it was.
      expect(item.title).toBe(draft.title)

      // The new version downloads from the card with the author's session.
      const link = page.getByRole('link', { name: 'Версия 2' })
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
      expect(download.suggestedFilename()).toBe('Договор (редакция 2).docx')
    } finally {
      await context.close()
    }
  })

  it('a person without CRM rights is told «Доступ запрещён» when saving', async () => {
    const nobody = findUser(stack.portal.ctx, PEOPLE.noAccess)
    const { page, context } = await openPortal(stack, nobody.ID)
    try {
      await openContracts(page)
      await page.getByRole('link', { name: 'Создать' }).click()
      await page.getByLabel('Название').fill('Попытка без прав')
      await page.getByRole('button', { name: 'Сохранить' }).click()
      const alert = page.getByRole('alert')
      await expect.poll(() => alert.textContent()).toContain('Доступ запрещён')
      expect(page.url()).toMatch(/\/details\/0\/$/)
    } finally {
      await context.close()
    }
  })
})

describe('shell: which fields the card shows', () => {
  it('shows exactly the fields the common card layout keeps; every user field without one', async (test) => {
    const { ctx } = stack.portal
    // The contracts type has one funnel: its layout is the default one (no extras).
    const { entityTypeId } = contractSpace(stack)
    const admin = findUser(ctx, (u) => u.IS_ADMIN)
    const fieldsRes = await ctx.callAs(admin.ID, 'crm.item.fields', { entityTypeId })
    const described = (fieldsRes.result as { fields: Record<string, Item> }).fields
    const userFields = Object.values(described).filter((d) => d.isDynamic === true)
    const [kept, dropped] = [userFields[0], userFields[userFields.length - 1]]
    if (!kept || !dropped || kept === dropped) throw new Error('the contract type has fewer than two user fields')
    const before = await ctx
      .callAs(admin.ID, 'crm.item.details.configuration.get', { entityTypeId, scope: 'C' })
      .catch((e: { error?: string }) => (e.error === 'ERROR_METHOD_NOT_FOUND' ? 'missing' : Promise.reject(e)))
    if (before === 'missing') {
      test.skip()
      return
    }
    const someDraft = (await ctx.callAs(admin.ID, 'crm.item.list', { entityTypeId, order: { id: 'ASC' } })).result as { items: Item[] }
    const url = `${stack.portal.origin}/crm/type/${entityTypeId}/details/${String(someDraft.items[0]?.id)}/`
    const { page, context } = await openPortal(stack, admin.ID)
    try {
      await ctx.callAs(admin.ID, 'crm.item.details.configuration.set', {
        entityTypeId,
        scope: 'C',
        data: [{ name: 'main', title: 'О договоре', type: 'section', elements: [{ name: 'TITLE' }, { name: String(kept.upperName) }] }],
      })
      await page.goto(url)
      expect(await page.getByLabel(String(kept.title), { exact: true }).count()).toBe(1)
      expect(await page.getByLabel(String(dropped.title), { exact: true }).count()).toBe(0)
      expect(await page.locator('form label').allTextContents()).toEqual(['Название', String(kept.title)])

      await ctx.callAs(admin.ID, 'crm.item.details.configuration.reset', { entityTypeId, scope: 'C' })
      await page.goto(url)
      for (const d of userFields) expect(await page.getByLabel(String(d.title), { exact: true }).count()).toBe(1)
    } finally {
      const previous = (before as { result: unknown }).result
      if (Array.isArray(previous) && previous.length > 0) {
        await ctx.callAs(admin.ID, 'crm.item.details.configuration.set', { entityTypeId, scope: 'C', data: previous })
      }
      await context.close()
    }
  })
})

describe('shell: the header on a phone', () => {
  it('fits 375 px on the list and the card, the user name shortened rather than pushed out', async () => {
    const { ctx } = stack.portal
    // The longest "name — position" of the switcher is the worst case for the header.
    const longest = ctx.db.users.filter((u) => u.ACTIVE).sort((a, b) => (b.NAME + b.LAST_NAME + b.WORK_POSITION).length - (a.NAME + a.LAST_NAME + a.WORK_POSITION).length)[0]
    if (!longest) throw new Error('no users')
    const { page, context } = await openPortal(stack, longest.ID, PHONE)
    try {
      await page.goto(`${stack.portal.origin}/`)
      expect(await headerOverflow(page)).toEqual({ page: 0, header: 0, right: 0 })
      const { entityTypeId } = contractSpace(stack)
      await page.goto(`${stack.portal.origin}/crm/type/${entityTypeId}/list/`)
      expect(await headerOverflow(page)).toEqual({ page: 0, header: 0, right: 0 })
    } finally {
      await context.close()
    }
    const author = await openPortal(stack, PEOPLE.salesManager, PHONE)
    try {
      await openContracts(author.page)
      await author.page.locator('tbody').getByRole('link').first().click()
      await author.page.waitForURL(/\/details\/\d+\/$/)
      expect(await headerOverflow(author.page)).toEqual({ page: 0, header: 0, right: 0 })
      await screenshot(author.page, 'shell-card-375')
    } finally {
      await author.context.close()
    }
  })
})
