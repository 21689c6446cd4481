/**
 * `/_emulator/control` (fault injection at run time) and `/_emulator/reset` (reseed), only in
 * dev mode. Tests and e2e fixtures drive the portal through these.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Emu } from '../core/context.ts'
import { RestError } from '../core/errors.ts'
import { CORS_HEADERS, readBody, requestUrl, sendError, sendJson } from './http.ts'

export interface ControlHooks {
  reseed(): Promise<void>
}

function state(ctx: Emu): Record<string, unknown> {
  return {
    faults: ctx.faults,
    limitStormActive: ctx.faults.limitStormUntil > Date.now(),
    rateLimit: ctx.rateLimit,
    bucketLevel: ctx.bucket.current,
    tokenTtlSec: ctx.tokenTtlSec,
    stats: ctx.stats,
  }
}

const num = (v: unknown, name: string): number => {
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new RestError('INVALID_ARG_VALUE', `${name} must be a non-negative number`, 400)
  return n
}

export function applyControl(ctx: Emu, body: Record<string, unknown>): void {
  if (body.reset === 'faults') {
    Object.assign(ctx.faults, { latencyMs: 0, errorRate: 0, limitStormUntil: 0, dropRate: 0, failMethods: {} })
    ctx.bucket.reset()
  }
  if (body.latencyMs !== undefined) ctx.faults.latencyMs = num(body.latencyMs, 'latencyMs')
  if (body.errorRate !== undefined) ctx.faults.errorRate = Math.min(1, num(body.errorRate, 'errorRate'))
  if (body.dropRate !== undefined) ctx.faults.dropRate = Math.min(1, num(body.dropRate, 'dropRate'))
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
    ctx.bucket.reset()
  }
}

export async function handleControl(req: IncomingMessage, res: ServerResponse, ctx: Emu, hooks: ControlHooks): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS_HEADERS)
    res.end()
    return
  }
  try {
    if (!ctx.devMode) throw new RestError('NOT_FOUND', 'Control endpoint is disabled (devMode off)', 404)
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
      sendJson(res, 200, state(ctx))
      return
    }
    if (path === '/_emulator/reset' && req.method === 'POST') {
      await hooks.reseed()
      sendJson(res, 200, { ok: true })
      return
    }
    throw new RestError('NOT_FOUND', `No control route ${path}`, 404)
  } catch (e) {
    if (e instanceof RestError) sendError(res, e)
    else throw e
  }
}
