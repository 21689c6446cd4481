/**
 * The `/rest/…` HTTP endpoint: CORS, path forms (`/rest/method[.json]`, webhooks
 * `/rest/{userId}/{secret}/method`), parameter parsing, auth, faults, the rate limit and
 * Bitrix24's reply envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Emu } from '../core/context.ts'
import type { PortalUser } from '../core/types.ts'
import { RestError, methodNotFound, operationTimeLimit } from '../core/errors.ts'
import { normalizeArrays, parseQuery, type Params } from '../core/params.ts'
import { timeBlock } from '../core/time.ts'
import { serveFile } from './files.ts'

export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Requested-With',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Max-Age': '600',
}

/** The request URL with `//` collapsed (a bare `//rest` would otherwise parse as a host). */
export function requestUrl(req: IncomingMessage): URL {
  const raw = req.url ?? '/'
  const q = raw.indexOf('?')
  const path = (q === -1 ? raw : raw.slice(0, q)).replace(/\/{2,}/g, '/')
  return new URL(path + (q === -1 ? '' : raw.slice(q)), 'http://localhost')
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendError(res: ServerResponse, err: RestError): void {
  sendJson(res, err.status, err.toJSON())
}

export async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new RestError('REQUEST_TOO_LARGE', 'Request body too large', 413)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Query string and body (JSON, or form-urlencoded with PHP brackets) merged; body wins. */
export function parseParams(query: string, body: string, contentType: string | undefined): Params {
  const fromQuery = normalizeArrays(parseQuery(query)) as Params
  const trimmed = body.trim()
  if (trimmed === '') return fromQuery
  if ((contentType ?? '').includes('json') || trimmed.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      throw new RestError('INVALID_REQUEST', 'Request body is not valid JSON', 400)
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RestError('INVALID_REQUEST', 'Request body must be a JSON object', 400)
    return { ...fromQuery, ...(parsed as Params) }
  }
  return { ...fromQuery, ...(normalizeArrays(parseQuery(trimmed)) as Params) }
}

export interface RestTarget {
  method: string
  webhook: { userId: number; secret: string } | null
}

/** `/rest//1/abc/crm.item.list.json?x` → method + webhook credentials. */
export function parseRestPath(pathname: string): RestTarget | null {
  const path = pathname.replace(/\/{2,}/g, '/')
  const m = /^\/rest\/(.+)$/.exec(path)
  if (!m) return null
  const rest = (m[1] as string).replace(/\/$/, '')
  const hook = /^(\d+)\/([^/]+)\/([^/]+)$/.exec(rest)
  // Like PHP's urldecode, a malformed escape stays as it is instead of failing the request.
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }
  const strip = (s: string): string => decode(s).replace(/\.(json|xml)$/i, '').toLowerCase()
  if (hook) return { method: strip(hook[3] as string), webhook: { userId: Number(hook[1]), secret: hook[2] as string } }
  if (rest.includes('/')) return null
  return { method: strip(rest), webhook: null }
}

/** Resolves who is calling, or throws the error Bitrix24 would answer with. */
export function authenticate(ctx: Emu, target: RestTarget, params: Params): { user: PortalUser; auth: 'oauth' | 'webhook'; token: string | null } {
  if (target.webhook) {
    const user = ctx.db.users.find((u) => u.ID === target.webhook?.userId && u.ACTIVE)
    if (!user || user.webhookSecret !== target.webhook.secret) throw new RestError('INVALID_CREDENTIALS', 'Invalid request credentials', 401)
    return { user, auth: 'webhook', token: null }
  }
  const token = typeof params.auth === 'string' ? params.auth : ''
  if (!token) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401)
  const who = ctx.auth.resolve(token)
  if (who === null) throw new RestError('invalid_token', 'Unable to authorize user', 401)
  if (who === 'expired') throw new RestError('expired_token', 'The access token provided has expired.', 401)
  const user = ctx.db.users.find((u) => u.ID === who.userId && u.ACTIVE)
  if (!user) throw new RestError('invalid_token', 'Unable to authorize user', 401)
  return { user, auth: 'oauth', token }
}

/** Fault injection and failMethods, shared by top-level calls and batch commands. */
export function checkInjectedFailure(ctx: Emu, method: string): void {
  const left = ctx.faults.failMethods[method]
  if (left !== undefined && left > 0) {
    ctx.faults.failMethods[method] = left - 1
    if (left - 1 === 0) delete ctx.faults.failMethods[method]
    throw new RestError('INTERNAL_SERVER_ERROR', `Injected failure of ${method}`, 500)
  }
}

export function limitExceeded(): RestError {
  return new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503)
}

/**
 * true when this HTTP request must be refused by the rate limit (storm, or the caller IP's bucket
 * full). Called once per request: a batch is one request (limits.md).
 */
export function rateLimited(ctx: Emu, ip: string): boolean {
  const refused = ctx.faults.limitStormUntil > Date.now() || !ctx.buckets.take(ip)
  if (refused) ctx.stats.limited++
  return refused
}

/** The caller's address as the portal sees it (the bucket key). */
export function callerIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown'
}

/** 429 OPERATION_TIME_LIMIT once the method used up its execution time (limits.md). */
export function checkOperating(ctx: Emu, method: string): void {
  if (method !== 'batch' && ctx.operating.blocked(method)) throw operationTimeLimit()
}

/** Stack overflows from absurd nesting are the caller's fault: a Bitrix24-style 400. */
function asRestError(e: unknown): RestError {
  if (e instanceof RestError) return e
  if (e instanceof RangeError) return new RestError('INVALID_REQUEST', 'Request structure is too deep', 400)
  console.error('[emulator] internal error', e)
  return new RestError('INTERNAL_SERVER_ERROR', 'Internal server error', 500)
}

export async function handleRest(req: IncomingMessage, res: ServerResponse, ctx: Emu): Promise<void> {
  const started = Date.now()
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS_HEADERS)
    res.end()
    return
  }
  const url = requestUrl(req)
  try {
    const target = parseRestPath(url.pathname)
    if (!target) throw methodNotFound()
    const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : ''
    const params = parseParams(url.search.slice(1), body, req.headers['content-type'])

    if (ctx.faults.dropRate > 0 && Math.random() < ctx.faults.dropRate) {
      req.socket.destroy()
      return
    }
    if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs))

    if (target.method === 'crm.controller.item.getfile') {
      await serveFile(ctx, res, target, params)
      return
    }
    ctx.stats.calls[target.method] = (ctx.stats.calls[target.method] ?? 0) + 1
    const who = authenticate(ctx, target, params)
    if (!ctx.methods[target.method]) throw methodNotFound()
    if (ctx.faults.errorRate > 0 && Math.random() < ctx.faults.errorRate) throw new RestError('INTERNAL_SERVER_ERROR', 'Injected server error', 500)
    // One HTTP request, one drop in the bucket — a batch too (limits.md).
    if (rateLimited(ctx, callerIp(req))) throw limitExceeded()
    checkOperating(ctx, target.method)
    checkInjectedFailure(ctx, target.method)
    const { auth: _auth, ...methodParams } = params
    const out = await ctx.invoke(who.user, target.method, methodParams, who.auth, who.token)
    const finished = Date.now()
    // The outer batch is not counted; its commands are (batch.ts).
    if (target.method !== 'batch') ctx.operating.record(target.method, finished - started, finished)
    // The method ran and its writes are saved; only the answer goes missing (a retry repeats it).
    if (ctx.faults.lostReplyRate > 0 && Math.random() < ctx.faults.lostReplyRate) {
      ctx.stats.lostReplies++
      req.socket.destroy()
      return
    }
    const reply: Record<string, unknown> = { result: out.result }
    if (out.total !== undefined) reply.total = out.total
    if (out.next !== undefined) reply.next = out.next
    reply.time = timeBlock(started, finished, { operating: ctx.operating.operating(target.method, finished), resetAt: ctx.operating.resetAt(target.method, finished) })
    sendJson(res, 200, reply)
  } catch (e) {
    sendError(res, asRestError(e))
  }
}
