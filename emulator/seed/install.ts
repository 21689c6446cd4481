/**
 * Installs the app on a seeded portal the one way it is ever installed: the app's own
 * `runInstall`, as the portal admin, through the official SDK over the emulator's HTTP origin.
 * The seed never creates the smart process, stages or fields itself, so the demo portal is
 * exactly what the install wizard leaves behind on a real Bitrix24.
 */
import type { Emu } from '../core/context.ts'
import { runInstall } from '../../src/services/install/installer.ts'
import type { InstallRecord } from '../../src/services/install/installer.ts'
import type { BitrixPort } from '../../src/platform/port.ts'
import { createSdkPort } from '../../src/platform/sdk-port.ts'
import { seedRoutes } from '../../src/domain/seedRoutes.ts'
import { PEOPLE } from './people.ts'
import { createSdkClient } from './sdk-client.ts'

/**
 * The app's own port (src/platform/sdk-port.ts) as one portal user, over the SDK and HTTP, with a
 * token the emulator issues in-process. Portals started with a tiny token TTL (tests of expiry)
 * still seed: the client refreshes in-process too.
 */
export function seedPortAs(ctx: Emu, userId: number): BitrixPort {
  const user = ctx.db.users.find((u) => u.ID === userId)
  const client = createSdkClient({
    origin: ctx.origin, userId, domain: ctx.domain, memberId: ctx.db.app.memberId, auth: ctx.auth.issue(userId),
    refresh: () => ctx.auth.issue(userId), attempts: 3, clientId: 'seed',
  })
  return createSdkPort({ client, context: { isAdmin: user?.IS_ADMIN ?? false, lang: user?.LANG ?? 'ru' } })
}

/**
 * Runs while the server listens (the SDK talks HTTP to ctx.origin). The rate limit and injected
 * faults are for the app under test, not for the portal's own setup: both are off for the
 * duration and restored after, and the seed's calls are not left in the call counters.
 */
export async function withQuietPortal<T>(ctx: Emu, body: () => Promise<T>): Promise<T> {
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
    const port = seedPortAs(ctx, PEOPLE.admin)
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
