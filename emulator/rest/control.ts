/**
 * `/_emulator/control` (fault injection at run time) and `/_emulator/reset` (reseed), only in
 * dev mode. Tests and e2e fixtures drive the portal through these. Both refuse cross-origin
 * requests (any `Origin` other than the portal's own, and every CORS preflight) and require the
 * token generated at start (`ctx.controlToken`, printed by the CLI, returned by startEmulator())
 * in the `X-Emulator-Token` header (or `Authorization: Bearer <token>`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Emu } from '../core/context.ts'
import { RestError } from '../core/errors.ts'
import { timingSafeEqual } from 'node:crypto'
import { isRateProfile, RATE_PROFILES } from '../core/ratelimit.ts'
import { readBody, requestUrl } from './http.ts'
import { pullHub } from '../pull/hub.ts'
import { applyPullControl } from '../pull/methods.ts'

export interface ControlHooks {
  reseed(): Promise<void>
}

function state(ctx: Emu): Record<string, unknown> {
  return {
    faults: ctx.faults,
    limitStormActive: ctx.faults.limitStormUntil > Date.now(),
    rateLimit: ctx.rateLimit,
    bucketLevels: ctx.buckets.levels(),
    operating: { scale: ctx.operating.scale, byMethod: ctx.operating.snapshot() },
    tokenTtlSec: ctx.tokenTtlSec,
    stats: ctx.stats,
    pull: pullHub(ctx).state(),
  }
}

const num = (v: unknown, name: string): number => {
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new RestError('INVALID_ARG_VALUE', `${name} must be a non-negative number`, 400)
  return n
}

export function applyControl(ctx: Emu, body: Record<string, unknown>): void {
  if (body.reset === 'faults') {
    Object.assign(ctx.faults, { latencyMs: 0, errorRate: 0, limitStormUntil: 0, dropRate: 0, lostReplyRate: 0, failMethods: {} })
    ctx.buckets.reset()
    ctx.operating.reset()
    ctx.operating.scale = 1
    pullHub(ctx).resetFaults()
  }
  if (body.latencyMs !== undefined) ctx.faults.latencyMs = num(body.latencyMs, 'latencyMs')
  if (body.errorRate !== undefined) ctx.faults.errorRate = Math.min(1, num(body.errorRate, 'errorRate'))
  if (body.dropRate !== undefined) ctx.faults.dropRate = Math.min(1, num(body.dropRate, 'dropRate'))
  if (body.lostReplyRate !== undefined) ctx.faults.lostReplyRate = Math.min(1, num(body.lostReplyRate, 'lostReplyRate'))
  if (body.limitStormMs !== undefined) ctx.faults.limitStormUntil = Date.now() + num(body.limitStormMs, 'limitStormMs')
  if (body.expireTokens === true) ctx.auth.expireAll()
  else if (typeof body.expireTokens === 'number') ctx.auth.expireAll(body.expireTokens)
  if (body.tokenTtlSec !== undefined) ctx.tokenTtlSec = num(body.tokenTtlSec, 'tokenTtlSec')
  if (body.failMethods && typeof body.failMethods === 'object') {
    for (const [m, n] of Object.entries(body.failMethods as Record<string, unknown>)) {
      const count = num(n, `failMethods.${m}`)
      if (count === 0) delete ctx.faults.failMethods[m.toLowerCase()]
      else ctx.faults.failMethods[m.toLowerCase()] = count
    }
  }
  if (body.rateLimit && typeof body.rateLimit === 'object') {
    const r = body.rateLimit as Record<string, unknown>
    if (r.enabled !== undefined) ctx.rateLimit.enabled = Boolean(r.enabled)
    if (r.drainPerSec !== undefined) ctx.rateLimit.drainPerSec = num(r.drainPerSec, 'rateLimit.drainPerSec')
    if (r.burst !== undefined) ctx.rateLimit.burst = num(r.burst, 'rateLimit.burst')
    if (r.profile !== undefined) {
      if (!isRateProfile(r.profile)) throw new RestError('INVALID_ARG_VALUE', 'rateLimit.profile must be standard or enterprise', 400)
      Object.assign(ctx.rateLimit, RATE_PROFILES[r.profile], { profile: r.profile })
    } else if (r.drainPerSec !== undefined || r.burst !== undefined) ctx.rateLimit.profile = 'custom'
    ctx.buckets.reset()
  }
  if (body.operatingScale !== undefined) ctx.operating.scale = num(body.operatingScale, 'operatingScale')
  if (body.operatingReset === true) ctx.operating.reset()
  if (body.pull !== undefined) applyPullControl(ctx, body.pull)
}

/** Same-origin only: a browser page elsewhere must not drive the demo portal. */
function refuseForeign(req: IncomingMessage, ctx: Emu): void {
  if (req.method === 'OPTIONS') throw new RestError('ACCESS_DENIED', 'Cross-origin requests are refused', 403)
  const origin = req.headers.origin
  if (origin !== undefined && origin !== ctx.origin) throw new RestError('ACCESS_DENIED', 'Cross-origin requests are refused', 403)
  const site = req.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') throw new RestError('ACCESS_DENIED', 'Cross-origin requests are refused', 403)
}

function presentedToken(req: IncomingMessage): string {
  const header = req.headers['x-emulator-token']
  if (typeof header === 'string') return header
  const auth = req.headers.authorization ?? ''
  return /^Bearer\s+(.+)$/i.exec(auth)?.[1] ?? ''
}

function requireToken(req: IncomingMessage, ctx: Emu): void {
  const given = Buffer.from(presentedToken(req))
  const want = Buffer.from(ctx.controlToken)
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw new RestError('ACCESS_DENIED', 'Control token required (X-Emulator-Token)', 401)
}

/** No CORS headers here, on purpose: browsers keep other origins from reading these answers. */
function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}

export async function handleControl(req: IncomingMessage, res: ServerResponse, ctx: Emu, hooks: ControlHooks): Promise<void> {
  try {
    if (!ctx.devMode) throw new RestError('NOT_FOUND', 'Control endpoint is disabled (devMode off)', 404)
    refuseForeign(req, ctx)
    requireToken(req, ctx)
    const path = requestUrl(req).pathname.replace(/\/+$/, '')
    if (path === '/_emulator/control') {
      if (req.method === 'POST') {
        const text = await readBody(req)
        let body: unknown = {}
        try {
          body = text.trim() ? JSON.parse(text) : {}
        } catch {
          throw new RestError('INVALID_REQUEST', 'Body must be JSON', 400)
        }
        applyControl(ctx, (body ?? {}) as Record<string, unknown>)
      }
      reply(res, 200, state(ctx))
      return
    }
    if (path === '/_emulator/reset' && req.method === 'POST') {
      await hooks.reseed()
      reply(res, 200, { ok: true })
      return
    }
    throw new RestError('NOT_FOUND', 'No such control route', 404)
  } catch (e) {
    if (e instanceof RestError) reply(res, e.status, e.toJSON())
    else throw e
  }
}
