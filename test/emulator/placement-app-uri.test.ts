/**
 * The app opened by a link, as Bitrix24 does it.
 * Docs: api-reference/widgets/universal/app-url.md (REST_APP_URI: `/marketplace/view/#APP_CODE#/`
 * opens the handler in a slider over the page; `params[…]` reach PLACEMENT_OPTIONS as strings with
 * the universal `URI` key, which never overwrites the app's own; placement.bind keeps no OPTIONS
 * — placement.get shows an empty array —, refuses USER_ID with ERROR_PLACEMENT_USER_MODE, and one
 * handler per app: a repeated bind answers ERROR_PLACEMENT_MAX_COUNT; #APP_CODE# is the app's code,
 * for a local app its client_id) and api-reference/common/system/app-info.md (app.info → CODE).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { USER_COOKIE } from '../../emulator/shell/session.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { rest, restAs, start } from './helpers.ts'

const FIX = resolve(import.meta.dirname, '../fixtures/bitrix24-rest/app-uri')
const doc = JSON.parse(readFileSync(resolve(FIX, 'rest-app-uri.example.json'), 'utf8')) as {
  bind: { request: { PLACEMENT: string; HANDLER: string } }
  handler: { link: string; followedFrom: string; PLACEMENT: string; PLACEMENT_OPTIONS: string }
}
const appInfo = JSON.parse(readFileSync(resolve(FIX, 'app.info.example.json'), 'utf8')) as { response: { result: Record<string, unknown> } }

interface Bound { placement: string; handler: string; options: unknown; userId: number }

describe('placement.bind REST_APP_URI (api-reference/widgets/universal/app-url.md)', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await start({ seed: 'none' })
  })
  afterAll(async () => {
    await emu.close()
  })
  const bound = async () => ((await rest(emu, 'placement.get')).body.result as Bound[]).filter((b) => b.placement === 'REST_APP_URI')

  it('binds the documented example; OPTIONS are not retained and placement.get shows an empty array', async () => {
    const r = await rest(emu, 'placement.bind', { ...doc.bind.request, OPTIONS: { docId: '42' } })
    expect(r.status).toBe(200)
    expect(r.body.result).toBe(true)
    const [b] = await bound()
    expect(b?.handler).toBe(doc.bind.request.HANDLER)
    expect(b?.options).toEqual([])
    expect(b?.userId).toBe(0)
  })

  it('one handler per app: a repeated bind, even to another address, answers ERROR_PLACEMENT_MAX_COUNT', async () => {
    for (const HANDLER of [doc.bind.request.HANDLER, 'https://your-domain.com/other.php']) {
      const r = await rest(emu, 'placement.bind', { PLACEMENT: 'REST_APP_URI', HANDLER })
      expect(r.status).toBe(400)
      expect(r.body.error).toBe('ERROR_PLACEMENT_MAX_COUNT')
    }
    expect(await bound()).toHaveLength(1)
  })

  it('placement.unbind removes the registration, after which another address binds', async () => {
    const u = await rest(emu, 'placement.unbind', { PLACEMENT: 'REST_APP_URI' })
    expect(u.body.result).toEqual({ count: 1 })
    const r = await rest(emu, 'placement.bind', { PLACEMENT: 'REST_APP_URI', HANDLER: 'https://your-domain.com/other.php' })
    expect(r.body.result).toBe(true)
    expect((await bound()).map((b) => b.handler)).toEqual(['https://your-domain.com/other.php'])
  })

  it('refuses a handler for a single user with ERROR_PLACEMENT_USER_MODE', async () => {
    await rest(emu, 'placement.unbind', { PLACEMENT: 'REST_APP_URI' })
    const r = await rest(emu, 'placement.bind', { ...doc.bind.request, USER_ID: 1 })
    expect(r.status).toBe(400)
    expect(r.body.error).toBe('ERROR_PLACEMENT_USER_MODE')
    expect(await bound()).toEqual([])
  })
})

describe('app.info (api-reference/common/system/app-info.md)', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await start()
  })
  afterAll(async () => {
    await emu.close()
  })

  it('answers the documented keys; CODE is a local app\'s client_id', async () => {
    const r = await restAs(emu, PEOPLE.lawyer, 'app.info')
    const result = r.body.result as Record<string, unknown>
    expect(Object.keys(result).sort()).toEqual(Object.keys(appInfo.response.result).sort())
    expect(result.CODE).toBe(emu.ctx.db.app.clientId)
    expect(result.STATUS).toBe('L')
  })
})

describe('following /marketplace/view/#APP_CODE#/ in the shell (app-url.md)', () => {
  let emu: Emulator
  let code: string
  beforeAll(async () => {
    emu = await start()
    code = emu.ctx.db.app.clientId
  })
  afterAll(async () => {
    await emu.close()
  })

  const frame = async (link: string, from: string, userId: number = PEOPLE.lawyer) => {
    const res = await fetch(`${emu.origin}/shell/api/frame`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `${USER_COOKIE}=${userId}` },
      body: JSON.stringify({ userId, placement: 'REST_APP_URI', link, from }),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  it('the demo portal\'s app is bound to REST_APP_URI by its installer', () => {
    expect(emu.ctx.db.app.placements.filter((b) => b.placement === 'REST_APP_URI')).toHaveLength(1)
  })

  it('POSTs the handler with PLACEMENT REST_APP_URI and the documented PLACEMENT_OPTIONS (params as strings + URI)', async () => {
    const link = doc.handler.link.replace('#APP_CODE#', code)
    const r = await frame(link, doc.handler.followedFrom)
    expect(r.status).toBe(200)
    expect(r.body.PLACEMENT).toBe(doc.handler.PLACEMENT)
    expect(r.body.PLACEMENT_OPTIONS).toEqual(JSON.parse(doc.handler.PLACEMENT_OPTIONS))
    // Like every placement: the user's auth comes along, the handler is the app's.
    expect(typeof r.body.AUTH_ID).toBe('string')
    expect(r.body.handlerUrl).toBe(emu.ctx.db.app.handlerUrl)
  })

  it('keeps the app\'s own URI, drops keys outside params, and reads percent-encoded brackets', async () => {
    const r = await frame(`/marketplace/view/${code}/?params%5Bcontract%5D=8061&params[URI]=mine&docId=7`, '/crm/type/1032/list/')
    expect(r.body.PLACEMENT_OPTIONS).toEqual({ contract: '8061', URI: 'mine' })
  })

  it('an unknown code opens nothing', async () => {
    expect((await frame('/marketplace/view/local.nope.1/?params[contract]=1', '/')).status).toBe(404)
  })

  it('a link opened as a page shows the portal with the app\'s slider to open over it (URI = the referring page)', async () => {
    const res = await fetch(`${emu.origin}/marketplace/view/${code}/?params[contract]=8061`, {
      headers: { Cookie: `${USER_COOKIE}=${PEOPLE.lawyer}`, Referer: `${emu.origin}/crm/type/1032/list/?start=50` },
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    const m = /<script type="application\/json" id="shell-config">(.*?)<\/script>/s.exec(html)
    const config = JSON.parse(m?.[1] ?? '{}') as Record<string, unknown>
    expect(config).toMatchObject({ kind: 'appLink', link: `/marketplace/view/${code}/?params[contract]=8061`, from: '/crm/type/1032/list/?start=50' })
    expect((await fetch(`${emu.origin}/marketplace/view/local.nope.1/`)).status).toBe(404)
  })

  it('nothing opens while the app has no REST_APP_URI handler', async () => {
    const saved = emu.ctx.db.app.placements
    emu.ctx.db.app.placements = saved.filter((b) => b.placement !== 'REST_APP_URI')
    try {
      expect((await frame(`/marketplace/view/${code}/?params[contract]=1`, '/')).status).toBe(404)
      const page = await fetch(`${emu.origin}/marketplace/view/${code}/`, { headers: { Cookie: `${USER_COOKIE}=${PEOPLE.lawyer}` } })
      expect(await page.text()).toContain('data-testid="app-not-installed"')
    } finally {
      emu.ctx.db.app.placements = saved
    }
  })
})
