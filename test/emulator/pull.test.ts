/**
 * The emulator's Push & Pull: each behaviour cites the b24restdocs page it rests on.
 * - settings/interactivity/push-and-pull/pull-application-config-get.md
 * - settings/interactivity/push-and-pull/pull-application-event-add.md
 * - error-codes.md (insufficient_scope is a system access error: 401)
 * The channel protocol (/sub/) is the one the SDK's PullClient speaks (LongPollingConnector).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { PEOPLE } from '../support/people.ts'
import { control, rest, restAs, start } from './helpers.ts'

interface Channel { id: string; public_id?: string; start: string; end: string; type: string }
interface Config {
  server: Record<string, unknown>
  channels: { shared: Channel; private: Channel }
  api: Record<string, unknown>
  serverTime: string
}

let emu: Emulator
beforeAll(async () => {
  emu = await start({ seed: 'people' })
})
afterAll(async () => {
  await emu.close()
})

const lawyer = PEOPLE.lawyer
const cfo = PEOPLE.cfo
const admin = 1

async function configOf(userId: number, token = emu.ctx.auth.issue(userId).accessToken): Promise<Config> {
  const r = await rest(emu, 'pull.application.config.get', { CACHE: 'N' }, token)
  expect(r.status).toBe(200)
  return r.body.result as Config
}

/** One long poll as the SDK sends it; resolves with status, body and headers. */
async function poll(channels: string[], mid?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const q = new URLSearchParams({ CHANNEL_ID: channels.join('/'), revision: '19', ...(mid ? { mid } : {}) })
  const res = await fetch(`${emu.origin}/sub/?${q.toString()}`)
  return { status: res.status, text: await res.text(), headers: res.headers }
}

function messages(text: string): { mid: string; text: { module_id: string; command: string; params: Record<string, unknown> } }[] {
  return [...text.matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/g)].map((m) => JSON.parse(m[1] as string))
}

const waitForWaiters = async (n: number): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    const state = (await control(emu)).pull as { waiting: number }
    if (state.waiting >= n) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('no long poll arrived')
}

describe('pull.application.config.get (pull-application-config-get.md)', () => {
  it('answers the server paths and the shared and private channels with their ids, public id and expiry', async () => {
    const c = await configOf(lawyer)
    expect(c.server).toMatchObject({ server_enabled: true, long_polling: `${emu.origin}/sub/`, websocket_enabled: false, publish_enabled: false })
    expect(typeof c.server.version).toBe('number')
    expect(c.channels.shared).toMatchObject({ type: 'shared' })
    expect(c.channels.shared.id).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{40}$/)
    expect(c.channels.private).toMatchObject({ type: 'private' })
    expect(c.channels.private.id).toMatch(/^[0-9a-f]{32}:[0-9a-f]{32}\.[0-9a-f]{40}$/)
    expect(c.channels.private.public_id).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{40}$/)
    expect(Date.parse(c.channels.private.end)).toBeGreaterThan(Date.parse(c.channels.private.start))
    expect(Date.parse(c.channels.shared.end)).toBeGreaterThan(Date.now())
    expect(Number.isNaN(Date.parse(c.serverTime))).toBe(false)
  })

  it('gives every user the same shared channel and each their own private one', async () => {
    const a = await configOf(lawyer)
    const b = await configOf(cfo)
    expect(a.channels.shared.id).toBe(b.channels.shared.id)
    expect(a.channels.private.id).not.toBe(b.channels.private.id)
  })

  it('refuses a webhook: application authorization only (WRONG_AUTH_TYPE, HTTP 403: pull-application-config-get.md, Error Handling)', async () => {
    const r = await rest(emu, 'pull.application.config.get', {})
    expect(r.body.error).toBe('WRONG_AUTH_TYPE')
    expect(r.status).toBe(403)
  })

  it('refuses an app without the pull scope with insufficient_scope, status 401 (error-codes.md)', async () => {
    await control(emu, { pull: { scope: false } })
    try {
      const r = await restAs(emu, lawyer, 'pull.application.config.get')
      expect(r.status).toBe(401)
      expect(r.body.error).toBe('insufficient_scope')
      expect((await restAs(emu, lawyer, 'scope')).body.result).not.toContain('pull')
    } finally {
      await control(emu, { pull: { scope: true } })
    }
    expect((await restAs(emu, lawyer, 'scope')).body.result).toContain('pull')
  })
})

describe('pull.application.event.add (pull-application-event-add.md)', () => {
  it('without USER_ID sends to the shared channel: every user of the app receives it', async () => {
    const mine = await configOf(cfo)
    const other = await configOf(PEOPLE.ceo)
    const waitingBefore = ((await control(emu)).pull as { waiting: number }).waiting
    const a = poll([mine.channels.private.id, mine.channels.shared.id])
    const b = poll([other.channels.private.id, other.channels.shared.id])
    await waitForWaiters(waitingBefore + 2)
    const sent = await restAs(emu, lawyer, 'pull.application.event.add', { COMMAND: 'changed', MODULE_ID: 'contracts', PARAMS: { id: 7, n: 3 } })
    expect(sent.body.result).toBe(true)
    for (const got of [await a, await b]) {
      expect(got.status).toBe(200)
      const [m] = messages(got.text)
      expect(m?.text).toMatchObject({ module_id: 'contracts', command: 'changed', params: { id: 7, n: 3 } })
    }
  })

  it('takes PARAMS as JSON text (the documented JS example) and defaults MODULE_ID', async () => {
    const c = await configOf(cfo)
    const last = String(((await control(emu)).pull as { lastSeq: number }).lastSeq)
    await restAs(emu, lawyer, 'pull.application.event.add', { COMMAND: 'test', PARAMS: '{"param1":"value1"}' })
    // Published before the poll: a client that passes its last mid still gets it.
    const got = await poll([c.channels.shared.id], last)
    expect(messages(got.text)[0]?.text).toMatchObject({ module_id: 'application', command: 'test', params: { param1: 'value1' } })
  })

  it('a user may address themselves: the event reaches only their private channel', async () => {
    const mine = await configOf(lawyer)
    const last = String(((await control(emu)).pull as { lastSeq: number }).lastSeq)
    const r = await restAs(emu, lawyer, 'pull.application.event.add', { COMMAND: 'self', USER_ID: lawyer })
    expect(r.body.result).toBe(true)
    const got = await poll([mine.channels.private.id], last)
    expect(messages(got.text).map((m) => m.text.command)).toEqual(['self'])
  })

  it('a user who is not an administrator may not name another user: USER_ID_ACCESS_ERROR', async () => {
    const r = await restAs(emu, lawyer, 'pull.application.event.add', { COMMAND: 'x', USER_ID: cfo })
    expect(r.body.error).toBe('USER_ID_ACCESS_ERROR')
  })

  it('an administrator may send to other users private channels', async () => {
    const theirs = await configOf(cfo)
    const last = String(((await control(emu)).pull as { lastSeq: number }).lastSeq)
    const r = await restAs(emu, admin, 'pull.application.event.add', { COMMAND: 'hello', USER_ID: [cfo, lawyer] })
    expect(r.body.result).toBe(true)
    const got = await poll([theirs.channels.private.id], last)
    expect(messages(got.text)[0]?.text.command).toBe('hello')
  })

  it('works only in the application context: a webhook gets WRONG_AUTH_TYPE, HTTP 403 (pull-application-event-add.md)', async () => {
    const r = await rest(emu, 'pull.application.event.add', { COMMAND: 'x' })
    expect(r.body.error).toBe('WRONG_AUTH_TYPE')
    expect(r.status).toBe(403)
  })

  it('checks COMMAND, MODULE_ID and PARAMS formats', async () => {
    expect((await restAs(emu, lawyer, 'pull.application.event.add', { COMMAND: 'a b' })).body.error).toBe('COMMAND_ERROR')
    expect((await restAs(emu, lawyer, 'pull.application.event.add', {})).body.error).toBe('COMMAND_ERROR')
    expect((await restAs(emu, lawyer, 'pull.application.event.add', { COMMAND: 'x', MODULE_ID: 'Upper' })).body.error).toBe('MODULE_ID_ERROR')
    expect((await restAs(emu, lawyer, 'pull.application.event.add', { COMMAND: 'x', PARAMS: '{nope' })).body.error).toBe('PARAMS_ERROR')
  })
})

describe('the channel protocol (/sub/, the SDK LongPollingConnector)', () => {
  it('holds a poll and answers 304 with the last message id when nothing comes', async () => {
    await control(emu, { pull: { holdMs: 100 } })
    try {
      const c = await configOf(lawyer)
      const got = await poll([c.channels.private.id, c.channels.shared.id])
      expect(got.status).toBe(304)
      expect(got.headers.get('expires')).toBe('Thu, 01 Jan 1973 11:11:01 GMT')
      expect(got.headers.get('last-message-id')).toMatch(/^\d+$/)
      expect(got.headers.get('access-control-allow-origin')).toBe('*')
    } finally {
      await control(emu, { reset: 'faults' })
    }
  })

  it('is not a REST call: polls take nothing from the rate limit and are not counted', async () => {
    await control(emu, { pull: { holdMs: 50 } })
    const before = JSON.stringify(((await control(emu)).stats as { calls: unknown }).calls)
    const c = await configOf(lawyer)
    const afterConfig = JSON.stringify(((await control(emu)).stats as { calls: unknown }).calls)
    for (let i = 0; i < 3; i++) await poll([c.channels.shared.id])
    expect(JSON.stringify(((await control(emu)).stats as { calls: unknown }).calls)).toBe(afterConfig)
    expect(afterConfig).not.toBe(before)
    await control(emu, { reset: 'faults' })
  })

  it('faults: a server that is down answers 503 and cuts open polls; dropped channels answer 400', async () => {
    const c = await configOf(lawyer)
    const waitingBefore = ((await control(emu)).pull as { waiting: number }).waiting
    const open = poll([c.channels.shared.id])
    await waitForWaiters(waitingBefore + 1)
    await control(emu, { pull: { server: 'down' } })
    expect((await open).status).toBe(503)
    expect((await poll([c.channels.shared.id])).status).toBe(503)
    await control(emu, { pull: { server: 'up' } })

    await control(emu, { pull: { dropChannels: true } })
    expect((await poll([c.channels.shared.id])).status).toBe(400)
    const fresh = await configOf(lawyer)
    expect(fresh.channels.shared.id).not.toBe(c.channels.shared.id)
  })
})
