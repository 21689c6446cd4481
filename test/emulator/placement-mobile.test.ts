/**
 * The mobile app's only placement, as Bitrix24 registers it.
 * Docs: api-reference/widgets/mobile-app.md (IMMOBILE_CONTEXT_MENU: the *Apps* menu of a chat;
 * OPTIONS context / extranet / role, each checked; no iconName kept; no USER_ID) and
 * api-reference/widgets/placement-bind.md (ERROR_PLACEMENT_USER_MODE, "Handler already binded").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { rest, start } from './helpers.ts'

let emu: Emulator
beforeAll(async () => {
  emu = await start({ seed: 'none' })
})
afterAll(async () => {
  await emu.close()
})

const HANDLER = 'https://your-domain.com/widgets/immobile-context-menu-handler.php'

interface Bound { placement: string; handler: string; options: Record<string, unknown>; title: string }

async function bound(): Promise<Bound[]> {
  return (await rest(emu, 'placement.get')).body.result as Bound[]
}

describe('placement.bind IMMOBILE_CONTEXT_MENU (api-reference/widgets/mobile-app.md)', () => {
  it('binds the documented example and keeps its three options', async () => {
    // The cURL example of mobile-app.md, as documented.
    const r = await rest(emu, 'placement.bind', {
      PLACEMENT: 'IMMOBILE_CONTEXT_MENU',
      HANDLER,
      TITLE: 'Reply templates',
      LANG_ALL: { en: { TITLE: 'Reply templates' }, de: { TITLE: 'Antwortvorlagen' } },
      OPTIONS: { context: 'CHAT;LINES', role: 'USER', extranet: 'N', iconName: 'fa-bell' },
    })
    expect(r.status).toBe(200)
    expect(r.body.result).toBe(true)
    const b = (await bound()).find((x) => x.placement === 'IMMOBILE_CONTEXT_MENU')
    expect(b?.handler).toBe(HANDLER)
    expect(b?.title).toBe('Reply templates')
    // "a passed iconName value is not retained by Bitrix24"
    expect(b?.options).toEqual({ context: 'CHAT;LINES', role: 'USER', extranet: 'N' })
  })

  it('refuses a second bind of the same handler', async () => {
    const r = await rest(emu, 'placement.bind', { PLACEMENT: 'IMMOBILE_CONTEXT_MENU', HANDLER, TITLE: 'x' })
    expect(r.status).toBe(400)
  })

  it('binds with no options at all (all three are optional)', async () => {
    const r = await rest(emu, 'placement.bind', { PLACEMENT: 'IMMOBILE_CONTEXT_MENU', HANDLER: 'https://other.example.com/', TITLE: 'Other' })
    expect(r.body.result).toBe(true)
  })

  it.each([
    [{ context: 'GROUP' }, 'INVALID_ERROR_CONTEXT'],
    [{ context: 'CHAT;NOPE' }, 'INVALID_ERROR_CONTEXT'],
    [{ extranet: 'yes' }, 'INVALID_ERROR_EXTRANET'],
    [{ role: 'OWNER' }, 'INVALID_ERROR_ROLE'],
  ])('refuses OPTIONS %j with %s', async (options, code) => {
    const r = await rest(emu, 'placement.bind', { PLACEMENT: 'IMMOBILE_CONTEXT_MENU', HANDLER: 'https://bad.example.com/', OPTIONS: options })
    expect(r.body.error).toBe(code)
    expect((await bound()).some((b) => b.handler === 'https://bad.example.com/')).toBe(false)
  })

  it('refuses a personal binding: ERROR_PLACEMENT_USER_MODE (placement-bind.md)', async () => {
    const r = await rest(emu, 'placement.bind', { PLACEMENT: 'IMMOBILE_CONTEXT_MENU', HANDLER: 'https://user.example.com/', USER_ID: 1 })
    expect(r.body.error).toBe('ERROR_PLACEMENT_USER_MODE')
  })

  it('is listed among the placements available to an app with the im scope (placement-list.md)', async () => {
    const r = await rest(emu, 'placement.list')
    expect(r.body.result).toContain('IMMOBILE_CONTEXT_MENU')
  })
})
