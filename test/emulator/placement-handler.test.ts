/**
 * Which address Bitrix24 opens for a placement: the URL of the widget handler bound to it
 * (api-reference/widgets/placement-bind.md: `HANDLER` — "URL of the widget handler"; its own
 * example binds `http://myapp.com/handler/?type=1`, a query string included). The app's own page
 * (DEFAULT) is the app's handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moveApp } from '../../emulator/core/db.ts'
import type { Emulator } from '../../emulator/server.ts'
import { USER_COOKIE } from '../../emulator/shell/session.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { PLACEMENTS } from '../../src/domain/schema.ts'
import { parseInstallRecord } from '../../src/services/install/installer.ts'
import { start } from './helpers.ts'

describe('the shell opens the handler bound to the placement (placement-bind.md, HANDLER)', () => {
  let emu: Emulator
  let tab: string
  beforeAll(async () => {
    emu = await start()
    const inst = parseInstallRecord(emu.ctx.db.app.options.ca_install)
    if (!inst) throw new Error('the demo is not installed')
    tab = PLACEMENTS.detailTab(inst.entityTypeId)
  })
  afterAll(async () => {
    await emu.close()
  })

  const frame = async (placement: string) => {
    const res = await fetch(`${emu.origin}/shell/api/frame`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `${USER_COOKIE}=${PEOPLE.lawyer}` },
      body: JSON.stringify({ userId: PEOPLE.lawyer, placement, options: { ID: '1' } }),
    })
    return (await res.json()) as { handlerUrl: string; PLACEMENT: string }
  }

  it('the card tab opens its own HANDLER, query string and all; the left menu its own; DEFAULT the app\'s', async () => {
    const app = emu.ctx.db.app.handlerUrl
    // The installer names the tab's view in its handler (`?view=tab`, services/install/placements.ts).
    expect((await frame(tab)).handlerUrl).toBe(`${app}?view=tab`)
    expect((await frame(PLACEMENTS.leftMenu)).handlerUrl).toBe(app)
    expect((await frame('DEFAULT')).handlerUrl).toBe(app)
    // A handler bound elsewhere is what opens, as on a portal.
    const binding = emu.ctx.db.app.placements.find((b) => b.placement === PLACEMENTS.leftMenu)
    if (!binding) throw new Error('no left-menu binding')
    const was = binding.handler
    binding.handler = 'https://elsewhere.example/menu/?type=1'
    try {
      expect((await frame(PLACEMENTS.leftMenu)).handlerUrl).toBe('https://elsewhere.example/menu/?type=1')
    } finally {
      binding.handler = was
    }
  })

  it('an app that moved (another --handler-url) takes its bindings along, query strings kept', () => {
    const app = { ...emu.ctx.db.app, placements: emu.ctx.db.app.placements.map((b) => ({ ...b })) }
    const old = app.handlerUrl
    app.placements.push({ ...app.placements[0]!, placement: 'CRM_DEAL_DETAIL_TAB', handler: 'https://other.example/' })
    moveApp(app, 'http://127.0.0.1:9999/')
    expect(app.handlerUrl).toBe('http://127.0.0.1:9999/')
    expect(app.placements.find((b) => b.placement === tab)?.handler).toBe('http://127.0.0.1:9999/?view=tab')
    expect(app.placements.find((b) => b.placement === PLACEMENTS.leftMenu)?.handler).toBe('http://127.0.0.1:9999/')
    expect(app.placements.find((b) => b.placement === 'CRM_DEAL_DETAIL_TAB')?.handler).toBe('https://other.example/')
    expect(old).not.toBe(app.handlerUrl)
  })
})
