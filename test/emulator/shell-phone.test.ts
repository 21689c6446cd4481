/**
 * The shell's phone mode (emulator/shell/phone.ts): the mobile app's chat with its *Apps* menu.
 * Docs: api-reference/widgets/mobile-app.md — IMMOBILE_CONTEXT_MENU is the only placement of the
 * mobile app; the menu lists every handler bound to it, named by TITLE; nothing shows until the
 * installation is finished; the handler gets PLACEMENT_OPTIONS `{"dialogId": …}` (`chatNNN` for a
 * group chat, the user id for a private one) and no URI; context/role/extranet are not applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { USER_COOKIE } from '../../emulator/shell/session.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { counted } from '../../emulator/shell/phone.ts'
import { start } from './helpers.ts'

let emu: Emulator
beforeAll(async () => {
  emu = await start()
})
afterAll(async () => {
  await emu.close()
})

interface PhoneConfig { kind: string; frames: { placement: string; options: Record<string, unknown> }[]; titles: string[] }

async function phone(path: string, userId: number = PEOPLE.lawyer): Promise<{ status: number; html: string; config: PhoneConfig | null }> {
  const res = await fetch(`${emu.origin}${path}`, { headers: { Cookie: `${USER_COOKIE}=${userId}` } })
  const html = await res.text()
  const m = /<script type="application\/json" id="shell-config">(.*?)<\/script>/s.exec(html)
  return { status: res.status, html, config: m ? (JSON.parse(m[1] as string) as PhoneConfig) : null }
}

describe('phone mode (api-reference/widgets/mobile-app.md)', () => {
  it('the general chat lists the app bound to IMMOBILE_CONTEXT_MENU, opened with the chat\'s dialogId', async () => {
    const r = await phone('/mobile/')
    expect(r.status).toBe(200)
    expect(r.config?.kind).toBe('phone')
    expect(r.config?.frames).toEqual([{ placement: 'IMMOBILE_CONTEXT_MENU', options: { dialogId: 'chat1' } }])
    expect(r.config?.titles).toEqual(['Согласование договоров'])
    expect(r.html).toContain('Приложения')
    expect(r.html).toContain('Общий чат')
  })

  it('a private conversation passes the other person\'s id as dialogId', async () => {
    const r = await phone(`/mobile/chat/${PEOPLE.cfo}/`)
    expect(r.status).toBe(200)
    expect(r.config?.frames[0]?.options).toEqual({ dialogId: String(PEOPLE.cfo) })
    expect(r.html).toContain('Сергей Морозов')
  })

  it('the menu ignores the binding\'s role and context: the mobile app does not filter by them', async () => {
    const binding = emu.ctx.db.app.placements.find((b) => b.placement === 'IMMOBILE_CONTEXT_MENU')
    expect(binding).toBeDefined()
    const saved = binding?.options
    if (binding) binding.options = { context: 'LINES', role: 'ADMIN' }
    try {
      expect((await phone('/mobile/', PEOPLE.salesManager)).config?.frames).toHaveLength(1)
    } finally {
      if (binding && saved) binding.options = saved
    }
  })

  it('shows no app before the installation is finished', async () => {
    emu.ctx.db.app.installed = false
    try {
      const r = await phone('/mobile/')
      expect(r.config?.frames).toEqual([])
      expect(r.config?.titles).toEqual([])
    } finally {
      emu.ctx.db.app.installed = true
    }
  })

  it('counts the chat\'s members in Russian', () => {
    const forms = ['участник', 'участника', 'участников'] as const
    expect([1, 3, 5, 11, 12, 21, 24, 112].map((n) => counted(n, forms, 'ru'))).toEqual([
      '1 участник', '3 участника', '5 участников', '11 участников', '12 участников', '21 участник', '24 участника', '112 участников',
    ])
  })

  it('answers 404 for a dialog id that is neither chatNNN nor a user', async () => {
    expect((await phone('/mobile/chat/lines7/')).status).toBe(404)
    expect((await phone('/mobile/chat/9999/')).status).toBe(404)
  })
})
