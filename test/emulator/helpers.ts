import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server.ts'
import { startSeededEmulator } from '../support/seeded-emulator.ts'

export interface Reply {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

/**
 * An emulator for one test file. A demo portal is a copy of this run's shared demo seed
 * (test/support/portal-snapshot.ts) unless the test is about seeding itself: under a rate limit
 * of its own, into a data file, or with a reset.
 */
export async function start(opts: EmulatorOptions = {}): Promise<Emulator> {
  const options = { rateLimit: false, webhookToken: 'test-hook', ...opts } as const
  const seed = opts.seed ?? 'demo'
  const seedsItself = opts.rateLimit !== undefined || Boolean(opts.dataFile) || Boolean(opts.reset)
  if (seed === 'demo' && !seedsItself) return startSeededEmulator({ ...options, seed })
  return startEmulator(options)
}

/** POSTs JSON to `{origin}/rest/{method}` with a token, or to the admin webhook when none is given. */
export async function rest(emu: Emulator, method: string, params: Record<string, unknown> = {}, token?: string): Promise<Reply> {
  const url = token === undefined ? `${emu.adminWebhookUrl}${method}` : `${emu.origin}/rest/${method}`
  const body = token === undefined ? params : { ...params, auth: token }
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> }
}

/** Same as rest() for a user, with a freshly issued frame token. */
export async function restAs(emu: Emulator, userId: number, method: string, params: Record<string, unknown> = {}): Promise<Reply> {
  return rest(emu, method, params, emu.ctx.auth.issue(userId).accessToken)
}

/** The headers the dev endpoints require: the emulator's control token, no foreign Origin. */
export function controlHeaders(emu: Emulator): Record<string, string> {
  return { 'Content-Type': 'application/json', 'X-Emulator-Token': emu.controlToken }
}

/** POST /_emulator/control with the token; resolves to the state it answers with. */
export async function control(emu: Emulator, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.origin}/_emulator/control`, { method: 'POST', headers: controlHeaders(emu), body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`control answered ${res.status}`)
  return (await res.json()) as Record<string, unknown>
}
