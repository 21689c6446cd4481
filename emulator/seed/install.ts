/**
 * Installs the app on a seeded portal the one way it is ever installed: the app's own
 * `runInstall`, as the portal admin, through the official SDK over the emulator's HTTP origin.
 * The seed never creates the smart process, stages or fields itself, so the demo portal is
 * exactly what the install wizard leaves behind on a real Bitrix24.
 */
import { B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import type { Emu } from '../core/context.ts'
import { runInstall } from '../../src/bitrix/install/installer.ts'
import type { InstallRecord } from '../../src/bitrix/install/installer.ts'
import { createSdkPort } from '../../src/bitrix/sdk-port.ts'
import { seedRoutes } from '../../src/domain/seedRoutes.ts'
import { PEOPLE } from './people.ts'

const SCOPE = 'crm,userfieldconfig,user,department,im,placement'

/** The SDK's B24OAuth as one portal user, with a token the emulator issues in-process. */
function sdkClientAs(ctx: Emu, userId: number): B24OAuth {
  const auth = ctx.auth.issue(userId)
  const endpoint = `${ctx.origin}/rest/`
  const client = new B24OAuth(
    {
      applicationToken: 'seed',
      userId,
      memberId: ctx.db.app.memberId,
      accessToken: auth.accessToken,
      refreshToken: auth.refreshToken,
      expires: Math.floor(Date.now() / 1000) + auth.expiresIn,
      expiresIn: auth.expiresIn,
      scope: SCOPE,
      domain: ctx.domain,
      clientEndpoint: endpoint,
      serverEndpoint: endpoint,
      status: EnumAppStatus.Local,
    },
    { clientId: 'seed', clientSecret: 'seed' },
    // The emulator's limiter is suspended while seeding; the SDK's own would only slow the seed.
    { restrictionParams: { rateLimit: { burstLimit: 10_000, drainRate: 10_000, adaptiveEnabled: false }, maxRetries: 3, retryDelay: 10 } },
  )
  client.offClientSideWarning()
  // Portals started with a tiny token TTL (tests of expiry) still seed: refresh in-process.
  client.setCustomRefreshAuth(async () => {
    const next = ctx.auth.issue(userId)
    return {
      access_token: next.accessToken,
      refresh_token: next.refreshToken,
      expires: String(Math.floor(Date.now() / 1000) + next.expiresIn),
      expires_in: String(next.expiresIn),
      client_endpoint: endpoint,
      server_endpoint: endpoint,
      member_id: ctx.db.app.memberId,
      scope: SCOPE,
      status: EnumAppStatus.Local,
      domain: ctx.domain,
    }
  })
  return client
}

/**
 * Runs while the server listens (the SDK talks HTTP to ctx.origin). The rate limit and injected
 * faults are for the app under test, not for the portal's own setup: both are off for the
 * duration and restored after, and the seed's calls are not left in the call counters.
 */
async function withQuietPortal<T>(ctx: Emu, body: () => Promise<T>): Promise<T> {
  const limitWasOn = ctx.rateLimit.enabled
  const faults = { ...ctx.faults, failMethods: { ...ctx.faults.failMethods } }
  const calls = { ...ctx.stats.calls }
  ctx.rateLimit.enabled = false
  Object.assign(ctx.faults, { latencyMs: 0, errorRate: 0, limitStormUntil: 0, dropRate: 0, failMethods: {} })
  try {
    return await body()
  } finally {
    ctx.rateLimit.enabled = limitWasOn
    Object.assign(ctx.faults, faults)
    for (const k of Object.keys(ctx.stats.calls)) delete ctx.stats.calls[k]
    Object.assign(ctx.stats.calls, calls)
    ctx.bucket.reset()
  }
}

/**
 * The demo's install: the wizard's steps with the holding's approval routes (lawyer, security,
 * CFO from 1 000 000 ₽, CEO) instead of the starter route, then what installFinish() does in the
 * portal. Needs the people of people.ts.
 */
export async function installApp(ctx: Emu): Promise<InstallRecord> {
  return withQuietPortal(ctx, async () => {
    const port = createSdkPort({ client: sdkClientAs(ctx, PEOPLE.admin), context: { isAdmin: true, lang: 'ru' } })
    const routes = seedRoutes(
      { lawyers: [PEOPLE.lawyer], security: [PEOPLE.security], cfo: PEOPLE.cfo, ceo: PEOPLE.ceo },
      new Date().toISOString(),
      PEOPLE.admin,
    )
    const result = await runInstall(port, { handlerUrl: ctx.db.app.handlerUrl, lang: 'ru', defaultRoutes: routes })
    if (result.status !== 'done') {
      const why = result.status === 'failed' ? `step ${result.step}: ${result.error.message}` : 'a contracts-like smart process already exists'
      throw new Error(`Demo seed: the app's installer did not finish (${why})`)
    }
    // The portal side of installFinish(): the frame-less SDK client cannot send that message.
    ctx.db.app.installed = true
    return result.record
  })
}
