import type { EmulatorContext, PortalUser, RateLimitConfig } from './types.ts'
import type { PortalData } from './db.ts'
import { createAuthService } from './auth.ts'
import { PortalBuckets } from './ratelimit.ts'
import { OperatingMeter } from './operating.ts'
import { RestError, methodNotFound } from './errors.ts'
import type { Params } from './params.ts'

export type AuthKind = 'oauth' | 'webhook' | 'internal'

/** One REST invocation as a method implementation sees it. */
export interface Call {
  ctx: Emu
  user: PortalUser
  params: Params
  auth: AuthKind
  method: string
  /** The access token when the call came with one (file URLs embed it, like Bitrix24). */
  token: string | null
}

export interface MethodResult {
  result: unknown
  total?: number
  next?: number
}

export type Method = (call: Call) => MethodResult | Promise<MethodResult>
export type MethodTable = Record<string, Method>

/** The full context: what the shell relies on (EmulatorContext) plus the REST side's state. */
export interface Emu extends EmulatorContext {
  db: PortalData
  methods: MethodTable
  /** Leaky buckets per caller IP (limits.md). */
  buckets: PortalBuckets
  /** The same buckets (older name; the seed resets them after its quiet phase). */
  bucket: PortalBuckets
  /** Method execution time per 10-minute window (limits.md). */
  operating: OperatingMeter
  /** Secret the dev endpoints (/_emulator/control, /_emulator/reset) require. */
  controlToken: string
  /** false while the portal seeds itself: acknowledged writes are flushed to disk only after. */
  durable: boolean
  tokenTtlSec: number
  /** Counters for tests and the control endpoint: REST calls per method, refusals by the limit. */
  stats: { calls: Record<string, number>; limited: number; lostReplies: number }
  /** Run a method as a user with a given auth kind (HTTP layer and batch use it). */
  invoke(user: PortalUser, method: string, params: Params, auth: AuthKind, token: string | null): Promise<MethodResult>
  /** Replace the whole data set in place (reset / reseed), keeping ctx.db's identity. */
  replaceData(data: PortalData): void
  flush(): void
}

export interface ContextInit {
  origin: string
  data: PortalData
  methods: MethodTable
  rateLimit: RateLimitConfig
  devMode: boolean
  tokenTtlSec: number
  controlToken: string
  save: () => void
  flush: () => void
}

export function createContext(init: ContextInit): Emu {
  const rateLimit = init.rateLimit
  const buckets = new PortalBuckets(rateLimit)
  const ctx: Emu = {
    origin: init.origin,
    domain: init.origin.replace(/^https?:\/\//, ''),
    db: init.data,
    methods: init.methods,
    auth: createAuthService(() => ctx.tokenTtlSec),
    faults: { latencyMs: 0, errorRate: 0, limitStormUntil: 0, dropRate: 0, lostReplyRate: 0, failMethods: {} },
    rateLimit,
    buckets,
    bucket: buckets,
    operating: new OperatingMeter(),
    controlToken: init.controlToken,
    durable: true,
    devMode: init.devMode,
    tokenTtlSec: init.tokenTtlSec,
    stats: { calls: {}, limited: 0, lostReplies: 0 },
    save: init.save,
    flush: init.flush,
    async invoke(user, method, params, auth, token) {
      const impl = ctx.methods[method.toLowerCase()]
      if (!impl) throw methodNotFound()
      return impl({ ctx, user, params, auth, method: method.toLowerCase(), token })
    },
    async callAs(userId, method, params = {}) {
      const user = ctx.db.users.find((u) => u.ID === userId)
      if (!user) throw { error: 'NO_AUTH_FOUND', error_description: `Unknown user ${userId}`, status: 401 }
      try {
        const r = await ctx.invoke(user, method, params, 'internal', null)
        const out: { result: unknown; total?: number; next?: number } = { result: r.result }
        if (r.total !== undefined) out.total = r.total
        if (r.next !== undefined) out.next = r.next
        return out
      } catch (e) {
        if (e instanceof RestError) throw { error: e.code, error_description: e.description, status: e.status }
        throw e
      }
    },
    replaceData(data) {
      for (const key of Object.keys(ctx.db)) delete (ctx.db as unknown as Record<string, unknown>)[key]
      Object.assign(ctx.db, data)
      ctx.save()
    },
  }
  return ctx
}
