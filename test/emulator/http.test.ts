/** The HTTP surface the SDK and the browser depend on: paths, bodies, CORS, auth errors, envelope. */
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

describe('REST over HTTP', () => {
  it('answers with result and the full time block', async () => {
    const r = await rest(emu, 'server.time')
    expect(r.status).toBe(200)
    expect(Object.keys(r.body.time as object).sort()).toEqual(['date_finish', 'date_start', 'duration', 'finish', 'operating', 'operating_reset_at', 'processing', 'start'])
    expect((r.body.time as { operating: number }).operating).toBeLessThan(1)
  })

  it('accepts .json suffix, doubled slashes, GET query strings and form bodies with PHP brackets', async () => {
    const token = emu.ctx.auth.issue(1).accessToken
    const a = await fetch(`${emu.origin}//rest//user.get.json?auth=${token}&FILTER[ID][0]=1`).then((r) => r.json()) as { result: { ID: string }[] }
    expect(a.result.map((u) => u.ID)).toEqual(['1'])
    const form = new URLSearchParams({ auth: token, 'FILTER[ID][]': '1' })
    const b = await fetch(`${emu.origin}/rest/user.get`, { method: 'POST', body: form }).then((r) => r.json()) as { result: { ID: string }[] }
    expect(b.result.map((u) => u.ID)).toEqual(['1'])
  })

  it('puts CORS headers on success, errors and preflight', async () => {
    const ok = await rest(emu, 'server.time')
    expect(ok.headers.get('access-control-allow-origin')).toBe('*')
    const err = await fetch(`${emu.origin}/rest/server.time`, { method: 'POST' })
    expect(err.status).toBe(401)
    expect(err.headers.get('access-control-allow-origin')).toBe('*')
    const pre = await fetch(`${emu.origin}/rest/crm.item.list`, { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST', Origin: 'http://app.test' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-headers')).toContain('Content-Type')
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST')
  })

  it('maps auth problems to Bitrix24 codes and statuses', async () => {
    const none = await fetch(`${emu.origin}/rest/profile`, { method: 'POST' })
    expect([none.status, ((await none.json()) as { error: string }).error]).toEqual([401, 'NO_AUTH_FOUND'])
    const bad = await rest(emu, 'profile', {}, 'nope')
    expect([bad.status, bad.body.error]).toEqual([401, 'invalid_token'])
    const issued = emu.ctx.auth.issue(1)
    emu.ctx.auth.expireAll(1)
    const expired = await rest(emu, 'profile', {}, issued.accessToken)
    expect([expired.status, expired.body.error]).toEqual([401, 'expired_token'])
    const refreshed = emu.ctx.auth.refresh(issued.refreshToken)
    expect(refreshed).not.toBeNull()
    expect((await rest(emu, 'profile', {}, refreshed?.accessToken)).status).toBe(200)
    // A refresh token is single-use.
    expect(emu.ctx.auth.refresh(issued.refreshToken)).toBeNull()
    const hook = await fetch(`${emu.origin}/rest/1/wrong-secret/profile`)
    expect(hook.status).toBe(401)
  })

  it('expires tokens after tokenTtlSec', async () => {
    const short = await start({ seed: 'none', tokenTtlSec: 0 })
    try {
      const r = await rest(short, 'profile', {}, short.ctx.auth.issue(1).accessToken)
      expect([r.status, r.body.error]).toEqual([401, 'expired_token'])
    } finally {
      await short.close()
    }
  })

  it('answers an unknown method with 404 ERROR_METHOD_NOT_FOUND', async () => {
    const r = await rest(emu, 'crm.nothing.here')
    expect([r.status, r.body.error]).toEqual([404, 'ERROR_METHOD_NOT_FOUND'])
  })

  it('enforces admin-only methods', async () => {
    emu.ctx.db.users.push({ ...emu.ctx.db.users[0]!, ID: 50, IS_ADMIN: false, crmRead: 'all', crmWrite: 'all', webhookSecret: 'u50' })
    const token = emu.ctx.auth.issue(50).accessToken
    for (const [method, params] of [
      ['crm.type.add', { fields: { title: 'X' } }],
      ['app.option.set', { options: { a: 1 } }],
      ['placement.bind', { PLACEMENT: 'LEFT_MENU', HANDLER: 'http://x/' }],
      ['userfieldconfig.add', { moduleId: 'crm', field: {} }],
    ] as const) {
      const r = await rest(emu, method, params, token)
      expect(r.body.error, method).toBe('ACCESS_DENIED')
    }
    expect((await rest(emu, 'app.option.get', {}, token)).status).toBe(200)
  })
})
