/**
 * The portal emulator: one origin serving the shell page (emulator/shell/) and Bitrix24's REST
 * API (emulator/rest/), with persistence, seed, auth, rate limit and fault injection.
 */
import { createServer, type Server } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createContext, type Emu } from './core/context.ts'
import { emptyData, type PortalData } from './core/db.ts'
import { createSaver, loadData } from './core/persist.ts'
import { allMethods } from './rest/methods/index.ts'
import { handleRest, sendJson } from './rest/http.ts'
import { handleControl } from './rest/control.ts'
import { handleOAuth } from './rest/oauth.ts'
import { seedDemo, seedPeople } from './seed/demo.ts'
import { seedScale } from './seed/scale.ts'
import { handleShell } from './shell/handler.ts'

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
  rateLimit?: false | { drainPerSec: number; burst: number }
  devMode?: boolean
  webhookToken?: string
  tokenTtlSec?: number
}

export interface Emulator {
  origin: string
  port: number
  ctx: Emu
  adminWebhookUrl: string
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

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1'
  const handlerUrl = opts.handlerUrl ?? DEFAULT_HANDLER
  const dataFile = opts.dataFile ?? null
  const loaded = dataFile && !opts.reset ? loadData(dataFile) : null
  let data: PortalData = loaded ?? emptyData(handlerUrl)
  const rateLimit = opts.rateLimit === false
    ? { enabled: false, drainPerSec: 2, burst: 50 }
    : { enabled: true, drainPerSec: opts.rateLimit?.drainPerSec ?? 2, burst: opts.rateLimit?.burst ?? 50 }
  const saver = createSaver(dataFile, () => data)
  const ctx = createContext({
    origin: 'http://pending', data, methods: allMethods(), rateLimit, devMode: opts.devMode ?? true,
    tokenTtlSec: opts.tokenTtlSec ?? 3600, save: () => saver.save(), flush: () => saver.flush(),
  })

  const reseed = async (): Promise<void> => {
    const fresh = emptyData(handlerUrl)
    ctx.replaceData(fresh)
    data = ctx.db
    await populate(ctx, opts)
    ctx.save()
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const collapsed = path.replace(/\/{2,}/g, '/')
    const run = collapsed.startsWith('/rest/')
      ? handleRest(req, res, ctx)
      : collapsed.startsWith('/oauth/token')
        ? handleOAuth(req, res, ctx)
        : collapsed.startsWith('/_emulator/')
          ? handleControl(req, res, ctx, { reseed })
          : handleShell(req, res, ctx).then((handled) => {
            if (!handled) sendJson(res, 404, { error: 'NOT_FOUND', error_description: `No route ${path}` })
          })
    run.catch((e: unknown) => {
      console.error('[emulator] request failed', e)
      if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: String(e) })
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
  if (opts.handlerUrl) ctx.db.app.handlerUrl = opts.handlerUrl

  if (!loaded) {
    try {
      await populate(ctx, opts)
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

  const admin = ctx.db.users.find((u) => u.IS_ADMIN) ?? ctx.db.users[0]
  return {
    origin,
    port,
    ctx,
    adminWebhookUrl: `${origin}/rest/${admin?.ID ?? 1}/${admin?.webhookSecret ?? ''}/`,
    async close() {
      ctx.flush()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
