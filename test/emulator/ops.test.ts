/** Operating the emulator: rate limit, fault injection, persistence, reset. */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { LeakyBucket } from '../../emulator/core/ratelimit.ts'
import { control as controlWith, controlHeaders, rest, start } from './helpers.ts'

describe('leaky bucket', () => {
  it('admits a burst, refuses above it, drains over time', () => {
    const b = new LeakyBucket({ enabled: true, drainPerSec: 2, burst: 50 })
    const t0 = Date.now() + 1000
    let admitted = 0
    for (let i = 0; i < 60; i++) if (b.take(t0)) admitted++
    expect(admitted).toBe(50)
    expect(b.take(t0 + 400)).toBe(false)
    expect(b.take(t0 + 600)).toBe(true)
  })
  it('does nothing when disabled', () => {
    const b = new LeakyBucket({ enabled: false, drainPerSec: 2, burst: 1 })
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, true])
  })
})

describe('control endpoint', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await start({ seed: 'none' })
  })
  afterAll(async () => {
    await emu.close()
  })
  const control = async (body?: Record<string, unknown>): Promise<Record<string, unknown>> => controlWith(emu, body)

  it('fails named methods a given number of times', async () => {
    await control({ failMethods: { 'server.time': 2 } })
    expect((await rest(emu, 'server.time')).status).toBe(500)
    expect((await rest(emu, 'server.time')).status).toBe(500)
    expect((await rest(emu, 'server.time')).status).toBe(200)
  })

  it('starts a limit storm and resets faults', async () => {
    await control({ limitStormMs: 60_000 })
    const r = await rest(emu, 'server.time')
    expect([r.status, r.body.error]).toEqual([503, 'QUERY_LIMIT_EXCEEDED'])
    const state = await control({ reset: 'faults' })
    expect((state.faults as { limitStormUntil: number }).limitStormUntil).toBe(0)
    expect((await rest(emu, 'server.time')).status).toBe(200)
  })

  it('answers every call with 500 at errorRate 1 and expires tokens on demand', async () => {
    await control({ errorRate: 1 })
    expect((await rest(emu, 'server.time')).status).toBe(500)
    await control({ reset: 'faults' })
    const token = emu.ctx.auth.issue(1).accessToken
    await control({ expireTokens: 1 })
    expect((await rest(emu, 'profile', {}, token)).body.error).toBe('expired_token')
  })

  it('drops connections without a reply at dropRate 1', async () => {
    await control({ dropRate: 1 })
    await expect(rest(emu, 'server.time')).rejects.toThrow()
    await control({ reset: 'faults' })
    expect((await rest(emu, 'server.time')).status).toBe(200)
  })

  it('switches the rate limit at run time', async () => {
    await control({ rateLimit: { enabled: true, drainPerSec: 0.001, burst: 1 } })
    expect((await rest(emu, 'server.time')).status).toBe(200)
    expect((await rest(emu, 'server.time')).status).toBe(503)
    const state = await control({ rateLimit: { enabled: false } })
    expect((state.rateLimit as { enabled: boolean }).enabled).toBe(false)
    expect((await rest(emu, 'server.time')).status).toBe(200)
  })

  it('is absent when devMode is off', async () => {
    const prod = await start({ seed: 'none', devMode: false })
    try {
      expect((await fetch(`${prod.origin}/_emulator/control`, { headers: controlHeaders(prod) })).status).toBe(404)
    } finally {
      await prod.close()
    }
  })
})

describe('persistence', () => {
  it('survives a restart through the data file, and --reset starts fresh', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'emu-')), 'portal.json')
    const first = await start({ seed: 'people', dataFile })
    await rest(first, 'app.option.set', { options: { marker: 'kept' } })
    const contracts = first.ctx.db.crm.items
    const count = Object.values(contracts).reduce((n, b) => n + Object.keys(b).length, 0)
    expect(count).toBeGreaterThan(0)
    await first.close()
    expect(existsSync(dataFile)).toBe(true)
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).app.options.marker).toBe('kept')

    const second = await start({ seed: 'people', dataFile })
    try {
      expect((await rest(second, 'app.option.get', { option: 'marker' })).body.result).toBe('kept')
      expect(Object.values(second.ctx.db.crm.items).reduce((n, b) => n + Object.keys(b).length, 0)).toBe(count)
    } finally {
      await second.close()
    }
    const third = await start({ seed: 'people', dataFile, reset: true })
    try {
      expect((await rest(third, 'app.option.get', { option: 'marker' })).body.result).toBeNull()
    } finally {
      await third.close()
    }
    // The holding's people only: what is kept and reseeded is the same for any seed, and the
    // demo's own seed is tested in seed.test.ts.
  }, 120_000)

  it('POST /_emulator/reset reseeds in place', async () => {
    const emu = await start({ seed: 'people' })
    try {
      await rest(emu, 'app.option.set', { options: { marker: 'gone' } })
      const db = emu.ctx.db
      expect((await fetch(`${emu.origin}/_emulator/reset`, { method: 'POST', headers: controlHeaders(emu) })).status).toBe(200)
      expect(emu.ctx.db).toBe(db)
      expect((await rest(emu, 'app.option.get', { option: 'marker' })).body.result).toBeNull()
      expect(emu.ctx.db.users.length).toBeGreaterThan(10)
    } finally {
      await emu.close()
    }
    // The holding's people only: what is kept and reseeded is the same for any seed, and the
    // demo's own seed is tested in seed.test.ts.
  }, 120_000)
})
