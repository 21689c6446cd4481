/**
 * The portal emulator: one origin serving the shell page (emulator/shell/) and Bitrix24's REST
 * API (emulator/rest/), with persistence, seed, auth, rate limit and fault injection.
 */
import { createServer, type Server, type ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createContext, type Emu } from './core/context.ts'
import { emptyData, moveApp, type PortalData } from './core/db.ts'
import { createSaver, loadData } from './core/persist.ts'
import { RATE_PROFILES, type RateProfile } from './core/ratelimit.ts'
import type { RateLimitConfig } from './core/types.ts'
import { allMethods } from './rest/methods/index.ts'
import { handleRest, sendJson } from './rest/http.ts'
import { handleControl } from './rest/control.ts'
import { handleOAuth } from './rest/oauth.ts'
import { seedDemo, seedPeople } from './seed/demo.ts'
import { seedScale } from './seed/scale.ts'
import { handleShell } from './shell/handler.ts'
import { handlePullSub } from './pull/sub.ts'
import { portalPullLink } from './pull/im.ts'

export type SeedKind = 'demo' | 'people' | 'none'

export const SEED_KINDS: readonly SeedKind[] = ['demo', 'people', 'none']

export interface EmulatorOptions {
  port?: number
  host?: string
  dataFile?: string | null
  reset?: boolean
  /**
   * `demo` (default): the holding's people, the app installed by its own installer, contracts.
   * `people`: the holding's people and counterparties, app not installed (first-install flows).
   * `none`: only the admin.
   */
  seed?: SeedKind
  scaleContracts?: number
  handlerUrl?: string
  /**
   * The leaky bucket (limits.md): `false` switches it off, a profile name picks the tariff's
   * numbers (standard 2/s·50 — the default — or enterprise 5/s·250), or give the numbers.
   */
  rateLimit?: false | RateProfile | { drainPerSec: number; burst: number }
  devMode?: boolean
  webhookToken?: string
  tokenTtlSec?: number
  /** Secret for /_emulator/control and /_emulator/reset; generated when absent. */
  controlToken?: string
}

export interface Emulator {
  origin: string
  port: number
  ctx: Emu
  adminWebhookUrl: string
  /** Send as `X-Emulator-Token` to /_emulator/control and /_emulator/reset. */
  controlToken: string
  close(): Promise<void>
}

const DEFAULT_HANDLER = 'http://127.0.0.1:5173/'

/** Runs with the server listening: the demo installs the app through the SDK over HTTP. */
async function populate(ctx: Emu, opts: EmulatorOptions): Promise<void> {
  const seed = opts.seed ?? 'demo'
  if (seed === 'demo') await seedDemo(ctx, { webhookToken: opts.webhookToken })
  else if (seed === 'people') await seedPeople(ctx, { webhookToken: opts.webhookToken })
  else seedAdminOnly(ctx, opts.webhookToken)
  if (opts.scaleContracts && opts.scaleContracts > 0) seedScale(ctx, opts.scaleContracts)
}

/** An empty portal still has its administrator (webhooks need a user). */
function seedAdminOnly(ctx: Emu, webhookToken: string | undefined): void {
  ctx.db.users.push({
    ID: 1, ACTIVE: true, NAME: 'Администратор', LAST_NAME: 'Портала', SECOND_NAME: '', EMAIL: 'admin@severny-auto.ru', WORK_POSITION: 'Администратор',
    PERSONAL_PHOTO: null, UF_DEPARTMENT: [1], IS_ADMIN: true, crmRead: 'all', crmWrite: 'all',
    webhookSecret: webhookToken ?? randomBytes(8).toString('hex'), LANG: 'ru',
  })
  ctx.db.departments.push({ ID: 1, NAME: 'Портал', SORT: 500, PARENT: null, UF_HEAD: 1 })
}

function rateLimitConfig(opt: EmulatorOptions['rateLimit']): RateLimitConfig {
  if (opt === false) return { enabled: false, ...RATE_PROFILES.standard, profile: 'standard' }
  if (opt === undefined || typeof opt === 'string') {
    const profile = opt ?? 'standard'
    return { enabled: true, ...RATE_PROFILES[profile], profile }
  }
  return { enabled: true, drainPerSec: opt.drainPerSec, burst: opt.burst, profile: 'custom' }
}

/** The seed's own writes are not acknowledged to anyone: flush once at the end, not per request. */
async function seeding(ctx: Emu, body: () => Promise<void>): Promise<void> {
  ctx.durable = false
  try {
    await body()
  } finally {
    ctx.durable = true
    ctx.operating.reset()
  }
}

/**
 * An answer leaves only once what it acknowledges is on disk (atomically: temp file + rename), so
 * a kill -9 right after a reply loses nothing the client was told about.
 */
function persistBeforeAnswer(ctx: Emu, res: ServerResponse): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
  res.end = ((...args: unknown[]) => {
    if (ctx.durable) {
      try {
        ctx.flush()
      } catch (e) {
        console.error('[emulator] could not persist', e)
      }
    }
    return end(...args)
  }) as typeof res.end
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1'
  const handlerUrl = opts.handlerUrl ?? DEFAULT_HANDLER
  const dataFile = opts.dataFile ?? null
  const loaded = dataFile && !opts.reset ? loadData(dataFile) : null
  let data: PortalData = loaded ?? emptyData(handlerUrl)
  const rateLimit = rateLimitConfig(opts.rateLimit)
  const saver = createSaver(dataFile, () => data)
  const ctx = createContext({
    origin: 'http://pending', data, methods: allMethods(), rateLimit, devMode: opts.devMode ?? true,
    tokenTtlSec: opts.tokenTtlSec ?? 3600, save: () => saver.save(), flush: () => saver.flush(),
    controlToken: opts.controlToken ?? randomBytes(16).toString('hex'),
  })
  ctx.portalPull = portalPullLink(ctx)

  const reseed = async (): Promise<void> => {
    const fresh = emptyData(handlerUrl)
    ctx.replaceData(fresh)
    data = ctx.db
    await seeding(ctx, () => populate(ctx, opts))
    ctx.save()
    ctx.flush()
  }

  const server: Server = createServer((req, res) => {
    persistBeforeAnswer(ctx, res)
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const collapsed = path.replace(/\/{2,}/g, '/')
    const run = collapsed.startsWith('/rest/')
      ? handleRest(req, res, ctx)
      : collapsed === '/sub' || collapsed.startsWith('/sub/')
        ? handlePullSub(req, res, ctx)
      : collapsed.startsWith('/oauth/token')
        ? handleOAuth(req, res, ctx)
        : collapsed.startsWith('/_emulator/')
          ? handleControl(req, res, ctx, { reseed })
          : handleShell(req, res, ctx).then((handled) => {
            if (!handled) sendJson(res, 404, { error: 'NOT_FOUND', error_description: 'Not found' })
          })
    run.catch((e: unknown) => {
      console.error('[emulator] request failed', e)
      if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://${host}:${port}`
  ctx.origin = origin
  ctx.domain = `${host}:${port}`
  if (opts.handlerUrl) moveApp(ctx.db.app, opts.handlerUrl)

  if (!loaded) {
    try {
      await seeding(ctx, () => populate(ctx, opts))
    } catch (e) {
      // A seed that fails must not leave a listening server behind (tests would hang on it).
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      throw e
    }
  } else if (opts.webhookToken) {
    const admin = ctx.db.users.find((u) => u.ID === 1)
    if (admin) admin.webhookSecret = opts.webhookToken
  }
  ctx.save()
  ctx.flush()

  const admin = ctx.db.users.find((u) => u.IS_ADMIN) ?? ctx.db.users[0]
  return {
    origin,
    port,
    ctx,
    adminWebhookUrl: `${origin}/rest/${admin?.ID ?? 1}/${admin?.webhookSecret ?? ''}/`,
    controlToken: ctx.controlToken,
    async close() {
      ctx.flush()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
