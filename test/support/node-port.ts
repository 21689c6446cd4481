/**
 * A BitrixPort in Node acting as one emulator user: the app's own sdk-port.ts over the real
 * SDK's B24OAuth (B24Hook forces https; the client is the seed's, emulator/seed/sdk-client.ts),
 * pointed at the emulator's /rest/ with a token the emulator issued. Integration tests use it
 * to run stores and the installer exactly as the browser would, minus the parent window.
 */
import { ApiVersion } from '@bitrix24/b24jssdk'
import type { EmulatorContext, IssuedAuth } from '../../emulator/core/types.ts'
import { createSdkClient } from '../../emulator/seed/sdk-client.ts'
import type { BitrixPort, InstallState, PlacementInfo } from '../../src/platform/port.ts'
import { createSdkPort } from '../../src/platform/sdk-port.ts'

export interface NodePortOptions {
  /** Emulator origin, e.g. `http://127.0.0.1:40123`. */
  origin: string
  userId: number
  /** The in-process emulator's context: tokens are issued from it. */
  ctx?: Pick<EmulatorContext, 'auth' | 'domain' | 'db'>
  /** An emulator in another process (see portal-process.ts): a token it issued for `userId`. */
  remote?: { domain: string; memberId: string; auth: IssuedAuth; isAdmin: boolean; lang: string }
  placement?: PlacementInfo
  install?: InstallState
  lang?: string
  /** Defaults to the user's IS_ADMIN in the emulator (what the frame's IS_ADMIN would say). */
  isAdmin?: boolean
  /**
   * How many times the SDK tries one call (its `maxRetries` counts attempts, not retries: 0 would
   * send nothing). Default 1, so an injected fault reaches the caller instead of being retried away.
   */
  attempts?: number
  /**
   * Receive Push & Pull (the SDK's pull client; Node needs an XMLHttpRequest, see
   * test/integration/live-xhr.ts). Off by default: the port then has no `live`, so actions send
   * no notice and stores use their fallback checks.
   */
  pull?: boolean
}

export interface NodePort extends BitrixPort {
  /** HTTP requests the SDK sent so far (a batch counts once). */
  requestCount(): number
}

export function createNodePort(opts: NodePortOptions): NodePort {
  const { ctx, remote, userId } = opts
  const user = ctx?.db.users.find((u) => u.ID === userId)
  if (ctx && !user) throw new Error(`emulator has no user ${userId}`)
  if (!ctx && !remote) throw new Error('createNodePort needs ctx or remote')
  const auth = ctx ? ctx.auth.issue(userId) : (remote as NonNullable<typeof remote>).auth
  const domain = ctx?.domain ?? remote?.domain ?? ''
  const memberId = ctx?.db.app.memberId ?? remote?.memberId ?? ''
  const client = createSdkClient({
    origin: opts.origin, userId, domain, memberId, auth, attempts: opts.attempts ?? 1, clientId: 'test',
    // An expired token is refreshed by the emulator itself, as the OAuth server would.
    ...(ctx ? { refresh: () => ctx.auth.refresh(auth.refreshToken) ?? ctx.auth.issue(userId) } : {}),
  })

  let count = 0
  const http = client.getHttpClient(ApiVersion.v2) as unknown as {
    ajaxClient: { interceptors: { request: { use(f: (c: unknown) => unknown): void } } }
  }
  http.ajaxClient.interceptors.request.use((config) => {
    count++
    return config
  })

  const port = createSdkPort({
    client,
    context: {
      isAdmin: opts.isAdmin ?? user?.IS_ADMIN ?? remote?.isAdmin ?? false,
      lang: opts.lang ?? user?.LANG ?? remote?.lang ?? 'ru',
      ...(opts.placement ? { placement: opts.placement } : {}),
      ...(opts.install ? { install: opts.install } : {}),
    },
  })
  const { live, ...rest } = port
  return { ...rest, ...(opts.pull && live ? { live } : {}), requestCount: () => count }
}
