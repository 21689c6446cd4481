/**
 * Notifications over the portal's own Push & Pull: what the shell's bell listens to instead of
 * polling (emulator/pull/im.ts). Each behaviour cites the b24restdocs page it rests on:
 * - api-reference/chats/notifications/im-notify-personal-add.md and im-notify-system-add.md: a
 *   notification is for USER_ID alone;
 * - settings/interactivity/custom-push-and-pull-client.md: the browser keeps one connection to
 *   the push server and the commands of the portal's modules arrive on it (`module_id`,
 *   `command`, `params`), `mid` recovers what came while it reconnected;
 * - settings/interactivity/index.md: the app's channels (pull.application.config.get) carry the
 *   app's own events, so the portal's notifications are not on them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { USER_COOKIE } from '../../emulator/shell/session.ts'
import { PEOPLE } from '../support/people.ts'
import { control, rest, restAs, start } from './helpers.ts'

interface PullLink { channelId: string; end: string; url: string; mid: number }
interface Frame { mid: string; channel: string; text: { module_id: string; command: string; params: Record<string, unknown> } }

let emu: Emulator
beforeAll(async () => {
  emu = await start({ seed: 'people' })
  // A short hold: a channel that gets nothing answers 304 quickly.
  await control(emu, { pull: { holdMs: 400 } })
})
afterAll(async () => {
  await emu.close()
})

const lawyer = PEOPLE.lawyer
const cfo = PEOPLE.cfo

/** The bell's channel, as the shell page asks for it (the portal user is the session cookie). */
async function bellChannel(userId: number): Promise<PullLink> {
  const res = await fetch(`${emu.origin}/shell/api/pull`, { headers: { Cookie: `${USER_COOKIE}=${userId}` } })
  expect(res.status).toBe(200)
  return (await res.json()) as PullLink
}

async function poll(channels: string[], mid?: number): Promise<{ status: number; frames: Frame[] }> {
  const q = new URLSearchParams({ CHANNEL_ID: channels.join('/'), ...(mid !== undefined ? { mid: String(mid) } : {}) })
  const res = await fetch(`${emu.origin}/sub/?${q.toString()}`)
  const text = await res.text()
  return { status: res.status, frames: [...text.matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/g)].map((m) => JSON.parse(m[1] as string) as Frame) }
}

const waiting = async (): Promise<number> => ((await control(emu)).pull as { waiting: number }).waiting
async function untilWaiting(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await waiting()) >= n) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('the long polls did not arrive')
}

describe('im.notify.* announce themselves on the recipient\'s personal channel (im-notify-personal-add.md, custom-push-and-pull-client.md)', () => {
  it('im.notify.personal.add reaches the recipient\'s personal channel, not another user\'s, not the app\'s channels', async () => {
    const mine = await bellChannel(lawyer)
    const other = await bellChannel(cfo)
    expect(mine.url).toBe(`${emu.origin}/sub/`)
    expect(mine.channelId).not.toBe(other.channelId)
    const app = (await restAs(emu, lawyer, 'pull.application.config.get')).body.result as { channels: { shared: { id: string }; private: { id: string } } }
    expect(app.channels.private.id).not.toBe(mine.channelId)

    const before = await waiting()
    const recipient = poll([mine.channelId])
    const someoneElse = poll([other.channelId])
    const appChannels = poll([app.channels.private.id, app.channels.shared.id])
    await untilWaiting(before + 3)
    const sent = await restAs(emu, cfo, 'im.notify.personal.add', { USER_ID: lawyer, MESSAGE: 'Посмотрите пункт 4.2' })
    expect(sent.status).toBe(200)
    const id = Number(sent.body.result)

    const got = await recipient
    expect(got.status).toBe(200)
    expect(got.frames).toHaveLength(1)
    expect(got.frames[0]?.channel).toBe(mine.channelId)
    expect(got.frames[0]?.text).toMatchObject({
      module_id: 'im', command: 'notifyAdd', params: { id, userId: lawyer, type: 'personal', text: 'Посмотрите пункт 4.2', counter: 1 },
    })
    expect((await someoneElse).status).toBe(304)
    expect((await appChannels).status).toBe(304)
  })

  it('im.notify.system.add (im-notify-system-add.md) too, and a client passing its last mid gets what came before its poll', async () => {
    const mine = await bellChannel(cfo)
    const sent = await rest(emu, 'im.notify.system.add', { USER_ID: cfo, MESSAGE: 'Договор вернули' })
    expect(sent.status).toBe(200)
    const got = await poll([mine.channelId], mine.mid)
    expect(got.frames.map((f) => f.text.command)).toEqual(['notifyAdd'])
    expect(got.frames[0]?.text.params).toMatchObject({ id: Number(sent.body.result), userId: cfo, type: 'system' })
  })

  it('reading the notifications in one page announces notifyRead, so the other open pages update their count', async () => {
    const mine = await bellChannel(lawyer)
    const res = await fetch(`${emu.origin}/shell/api/notifications/read`, {
      method: 'POST', headers: { Cookie: `${USER_COOKIE}=${lawyer}`, 'Content-Type': 'application/json' }, body: '{}',
    })
    expect(res.status).toBe(200)
    const got = await poll([mine.channelId], mine.mid)
    expect(got.frames.map((f) => f.text)).toEqual([expect.objectContaining({ module_id: 'im', command: 'notifyRead', params: { userId: lawyer, counter: 0 } })])
  })

  it('a dropped channel answers 400 and the page gets a new one; a server that is down answers 503 (the bell backs off)', async () => {
    const before = await bellChannel(lawyer)
    await control(emu, { pull: { dropChannels: true } })
    expect((await poll([before.channelId])).status).toBe(400)
    const after = await bellChannel(lawyer)
    expect(after.channelId).not.toBe(before.channelId)
    await control(emu, { pull: { server: 'down' } })
    try {
      expect((await poll([after.channelId])).status).toBe(503)
    } finally {
      await control(emu, { pull: { server: 'up' } })
    }
  })
})
