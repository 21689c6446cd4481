// The portal shell against a stand-in app (the SDK's UMD build in a bare page): every frame
// command the real app relies on is driven from inside the frame through the unmodified SDK,
// and its effect is checked where Bitrix24 would show it — the parent page or the portal data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame, Page } from 'playwright-core'
import { PEOPLE, findUser, fullName, openPortal, screenshot, startStack, type Stack } from './fixtures.ts'
import { probeAppRoot, probeFrame, type W } from './probe.ts'

let stack: Stack

beforeAll(async () => {
  stack = await startStack({ appRoot: probeAppRoot() })
})

afterAll(async () => {
  await stack?.close()
})

const admin = () => findUser(stack.portal.ctx, (u) => u.IS_ADMIN)

async function openFirstContract(page: Page): Promise<string> {
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-contracts"]').click()
  await page.locator('a[data-testid="contract-link"]').first().click()
  await page.waitForURL(/\/details\/\d+\/$/)
  return page.url()
}

async function openCardTab(page: Page): Promise<Frame> {
  await openFirstContract(page)
  await page.locator('[data-testid="app-tab"]').first().click()
  return probeFrame(page)
}

describe('shell: frame protocol through the real SDK', () => {
  it('opens the tab with the placement, the card id, the user and working REST auth', async () => {
    const { page, context } = await openPortal(stack, admin().ID)
    try {
      const url = await openFirstContract(page)
      const [, etid, id] = /\/crm\/type\/(\d+)\/details\/(\d+)\//.exec(url) ?? []
      await page.locator('[data-testid="app-tab"]').first().click()
      const frame = await probeFrame(page)
      const info = await frame.evaluate(async () => {
        const b24 = (window as unknown as W).b24
        const me = await b24.actions.v2.call.make({ method: 'user.current', params: {} })
        return {
          placement: b24.placement.placement,
          options: b24.placement.options,
          isAdmin: b24.auth.isAdmin,
          lang: b24.getLang(),
          userId: Number((me.getData() as { result: { ID: string } }).result.ID),
        }
      })
      expect(info).toEqual({
        placement: `CRM_DYNAMIC_${etid}_DETAIL_TAB`,
        options: { ID: id },
        isAdmin: true,
        lang: admin().LANG,
        userId: admin().ID,
      })
    } finally {
      await context.close()
    }
  })

  it('resizes the frame, sets the title as text, and refreshes auth', async () => {
    const { page, context } = await openPortal(stack, admin().ID)
    try {
      const frame = await openCardTab(page)
      await frame.evaluate(() => (window as unknown as W).b24.parent.resizeWindow(640, 432))
      await expect.poll(async () => (await page.locator('iframe[data-testid="app-frame"]').boundingBox())?.height).toBe(432)

      const title = 'Согласование <b>№ 7</b>'
      await frame.evaluate((t) => (window as unknown as W).b24.parent.setTitle(t), title)
      await expect.poll(() => page.locator('[data-testid="page-title"]').textContent()).toBe(title)

      const tokens = await frame.evaluate(async () => {
        const b24 = (window as unknown as W).b24
        const before = (b24.auth.getAuthData() as { access_token: string }).access_token
        const after = (await b24.auth.refreshAuth()).access_token
        const me = await b24.actions.v2.call.make({ method: 'user.current', params: {} })
        return { before, after, userId: Number((me.getData() as { result: { ID: string } }).result.ID) }
      })
      expect(tokens.after).not.toBe(tokens.before)
      expect(tokens.userId).toBe(admin().ID)
    } finally {
      await context.close()
    }
  })

  it('answers selectUser / selectUsers with the people picked in the portal dialog', async () => {
    const { page, context } = await openPortal(stack, admin().ID)
    try {
      const frame = await openCardTab(page)
      const others = stack.portal.ctx.db.users.filter((u) => u.ACTIVE && !u.IS_ADMIN).slice(0, 2)
      const [first, second] = others
      if (!first || !second) throw new Error('demo seed has fewer than two non-admin users')

      const single = frame.evaluate(() => (window as unknown as W).b24.dialog.selectUser())
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${first.ID}"]`).click()
      expect(await single).toMatchObject({ id: String(first.ID), name: fullName(first), position: first.WORK_POSITION })

      const multiple = frame.evaluate(() => (window as unknown as W).b24.dialog.selectUsers())
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${first.ID}"] input`).check()
      await page.locator(`[data-testid="user-picker-item"][data-user-id="${second.ID}"] input`).check()
      await screenshot(page, 'shell-user-picker')
      await page.locator('[data-testid="user-picker-ok"]').click()
      const picked = (await multiple) as Array<{ id: string }>
      expect(picked.map((u) => u.id).sort()).toEqual([String(first.ID), String(second.ID)].sort())
      await expect.poll(() => page.locator('[data-testid="user-picker"]').count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('stores app options for an admin only, and user options per user', async () => {
    const { ctx } = stack.portal
    const someone = findUser(ctx, (u) => !u.IS_ADMIN && u.crmRead !== 'none')
    for (const user of [admin(), someone]) {
      const { page, context } = await openPortal(stack, user.ID)
      try {
        const frame = await openCardTab(page)
        await frame.evaluate(async (who) => {
          const b24 = (window as unknown as W).b24
          await b24.options.appSet('e2e_probe', `by-${who}`)
          await b24.options.userSet('e2e_pref', `pref-${who}`)
        }, user.ID)
        await expect.poll(() => ctx.db.app.userOptions[user.ID]?.e2e_pref).toBe(`pref-${user.ID}`)
      } finally {
        await context.close()
      }
    }
    expect(ctx.db.app.options.e2e_probe).toBe(`by-${admin().ID}`)
  })

  it('openPath navigates the portal; messages from other origins are ignored', async () => {
    const { page, context } = await openPortal(stack, admin().ID)
    try {
      const frame = await openCardTab(page)
      const before = await page.locator('[data-testid="page-title"]').textContent()
      // The portal page itself is not the app's origin: its own message must change nothing.
      await page.evaluate(() => window.postMessage('setTitle:{"title":"spoofed"}:x:y', '*'))
      await frame.evaluate(() => (window as unknown as W).b24.parent.scrollParentWindow(0))
      expect(await page.locator('[data-testid="page-title"]').textContent()).toBe(before)

      const list = new URL(page.url()).pathname.replace(/details\/\d+\/$/, 'list/')
      void frame.evaluate((p) => (window as unknown as W).b24.slider.openPath(new URL(p)), `${stack.portal.origin}${list}`).catch(() => undefined)
      await page.waitForURL(`${stack.portal.origin}${list}`)
    } finally {
      await context.close()
    }
  })

  it('openApplication opens the app in a slider with its options; closeApplication closes it', async () => {
    const { page, context } = await openPortal(stack, admin().ID)
    try {
      const frame = await openCardTab(page)
      const opened = frame.evaluate(() => (window as unknown as W).b24.slider.openSliderAppPage({ bx24_title: 'Окно <i>договора</i>', ID: '77' }))
      await page.locator('[data-testid="app-slider"]').waitFor()
      expect(await page.locator('[data-testid="app-slider-title"]').textContent()).toBe('Окно <i>договора</i>')
      const inner = await probeFrame(page, '[data-testid="app-slider"]')
      expect(await inner.evaluate(() => {
        const b24 = (window as unknown as W).b24
        return { placement: b24.placement.placement, options: b24.placement.options }
      })).toEqual({ placement: 'DEFAULT', options: { ID: '77' } })
      void inner.evaluate(() => (window as unknown as W).b24.slider.closeSliderAppPage()).catch(() => undefined)
      await opened
      expect(await page.locator('[data-testid="app-slider"]').count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('runs the install placement when the app is not installed, and installFinish installs it', async () => {
    const { ctx } = stack.portal
    ctx.db.app.installed = false
    const { page, context } = await openPortal(stack, admin().ID)
    try {
      await page.goto(`${stack.portal.origin}/marketplace/app/${encodeURIComponent(ctx.db.app.clientId || 'app')}/`)
      expect(await page.locator('[data-testid="left-menu-app"]').count()).toBe(0)
      const frame = await probeFrame(page)
      const mode = await frame.evaluate(() => {
        const b24 = (window as unknown as W).b24
        return { placement: b24.placement.placement, install: b24.isInstallMode, firstRun: b24.isFirstRun }
      })
      expect(mode).toEqual({ placement: 'DEFAULT', install: true, firstRun: true })
      await Promise.all([page.waitForEvent('load'), frame.evaluate(() => (window as unknown as W).b24.installFinish())])
      expect(ctx.db.app.installed).toBe(true)
      await page.locator('[data-testid="left-menu-app"]').waitFor()
      const after = await probeFrame(page)
      expect(await after.evaluate(() => (window as unknown as W).b24.placement.placement)).toBe('LEFT_MENU')
    } finally {
      ctx.db.app.installed = true
      await context.close()
    }
  })
})

describe('shell: CRM rights and notifications', () => {
  it('shows a user without CRM rights no contracts and "access denied" on a card', async () => {
    const { ctx } = stack.portal
    const url = await (async () => {
      const { page, context } = await openPortal(stack, admin().ID)
      try {
        return await openFirstContract(page)
      } finally {
        await context.close()
      }
    })()
    const nobody = findUser(ctx, PEOPLE.noAccess)
    expect(nobody.crmRead).toBe('none')
    const { page, context } = await openPortal(stack, nobody.ID)
    try {
      await page.goto(url.replace(/details\/\d+\/$/, 'list/'))
      expect(await page.locator('a[data-testid="contract-link"]').count()).toBe(0)
      await page.goto(url)
      await page.locator('[data-testid="access-denied"]').waitFor()
      expect(await page.locator('[data-testid="app-tab"]').count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('rings the bell for im.notify, renders BB-code links safely and marks them read', async () => {
    const { ctx } = stack.portal
    const user = admin()
    await ctx.callAs(user.ID, 'im.notify.system.add', {
      USER_ID: user.ID,
      MESSAGE: `[B]Договор[/B] <img src=x onerror=alert(1)> вернули: [URL=${ctx.origin}/crm/]открыть[/URL] [URL=javascript:alert(1)]плохая[/URL]`,
    })
    const mine = () => ctx.db.notifications.filter((n) => n.userId === user.ID)
    const newest = mine().sort((a, b) => b.id - a.id)[0]
    if (!newest) throw new Error('im.notify.system.add stored nothing')
    const { page, context } = await openPortal(stack, user.ID)
    try {
      await page.goto(`${stack.portal.origin}/`)
      const unread = mine().filter((n) => !n.read).length
      await expect.poll(() => page.locator('[data-testid="bell-count"]').textContent()).toBe(String(unread))
      await page.locator('[data-testid="bell"]').click()
      const item = page.locator(`[data-testid="notification"][data-id="${newest.id}"]`)
      await item.waitFor()
      const text = await item.locator('.notification-text').textContent()
      expect(text).toContain('<img src=x onerror=alert(1)>')
      expect(text).not.toContain('[B]')
      expect(await item.locator('img').count()).toBe(0)
      const links = item.locator('a')
      expect(await links.count()).toBe(1)
      expect(await links.first().getAttribute('href')).toBe(`${ctx.origin}/crm/`)
      await screenshot(page, 'shell-bell')
      await expect.poll(() => ctx.db.notifications.find((n) => n.id === newest.id)?.read).toBe(true)
      await expect.poll(() => page.locator('[data-testid="bell-count"]').isHidden()).toBe(true)
    } finally {
      await context.close()
    }
  })

  // settings/interactivity/custom-push-and-pull-client.md (one held connection, commands arrive on
  // it) and api-reference/chats/notifications/im-notify-system-add.md (the notification is USER_ID's).
  it('the bell follows the personal Push & Pull channel: no polling while waiting, one re-read per notification', async () => {
    const { ctx } = stack.portal
    const user = PEOPLE.cfo
    const { page, context } = await openPortal(stack, user)
    const reads: string[] = []
    let longPolls = 0
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (url.pathname === '/shell/api/notifications' && r.method() === 'GET') reads.push(r.url())
      if (url.pathname === '/sub/') longPolls++
    })
    try {
      await page.goto(`${stack.portal.origin}/`)
      await expect.poll(() => longPolls).toBeGreaterThan(0)
      await expect.poll(() => reads.length).toBe(1)
      const unreadBefore = ctx.db.notifications.filter((n) => n.userId === user && !n.read).length
      // Longer than the bell's old 4-second polling: nothing is asked meanwhile.
      await page.waitForTimeout(5_000)
      expect(reads).toHaveLength(1)
      expect(longPolls).toBe(1)
      await ctx.callAs(PEOPLE.lawyer, 'im.notify.system.add', { USER_ID: user, MESSAGE: 'Договор ждёт вашего решения' })
      await expect.poll(() => page.locator('[data-testid="bell-count"]').textContent()).toBe(String(unreadBefore + 1))
      expect(reads).toHaveLength(2)
    } finally {
      await context.close()
    }
  })
})
