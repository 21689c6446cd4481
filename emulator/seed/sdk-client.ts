/**
 * The official SDK's B24OAuth as one emulator user, pointed at the emulator's own /rest/ with a
 * token the emulator issued. The seed (installer, approval histories) and the Node test ports
 * use this one client, so whatever talks to the demo portal from Node talks like the browser app.
 */
import { B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import type { IssuedAuth } from '../core/types.ts'

export const SDK_SCOPE = 'crm,userfieldconfig,user,department,im,placement'

export interface SdkClientSpec {
  /** Emulator origin, e.g. `http://127.0.0.1:40123`. */
  origin: string
  userId: number
  domain: string
  memberId: string
  auth: IssuedAuth
  /**
   * A fresh token when the SDK's one expires, from an in-process emulator. Without it the SDK
   * refreshes over HTTP ({origin}/oauth/token/), as against a real OAuth server.
   */
  refresh?: () => IssuedAuth
  /** Tries per call (the SDK's `maxRetries` counts attempts: 0 would send nothing). Default 1. */
  attempts?: number
  /** Shows up as the client id; only tells seed traffic from test traffic in a debugger. */
  clientId?: string
}

export function createSdkClient(spec: SdkClientSpec): B24OAuth {
  const endpoint = `${spec.origin}/rest/`
  const clientId = spec.clientId ?? 'node'
  const client = new B24OAuth(
    {
      applicationToken: clientId,
      userId: spec.userId,
      memberId: spec.memberId,
      accessToken: spec.auth.accessToken,
      refreshToken: spec.auth.refreshToken,
      expires: Math.floor(Date.now() / 1000) + spec.auth.expiresIn,
      expiresIn: spec.auth.expiresIn,
      scope: SDK_SCOPE,
      domain: spec.domain,
      clientEndpoint: endpoint,
      serverEndpoint: endpoint,
      status: EnumAppStatus.Local,
    },
    { clientId, clientSecret: clientId },
    {
      // The emulator's own limiter is what tests exercise (and it is off while seeding): the
      // SDK's client-side one would only slow things down.
      restrictionParams: {
        rateLimit: { burstLimit: 10_000, drainRate: 10_000, adaptiveEnabled: false },
        maxRetries: Math.max(1, spec.attempts ?? 1),
        retryDelay: 10,
      },
    },
  )
  client.offClientSideWarning()
  const refresh = spec.refresh
  if (refresh) {
    client.setCustomRefreshAuth(async () => {
      const next = refresh()
      return {
        access_token: next.accessToken,
        refresh_token: next.refreshToken,
        expires: String(Math.floor(Date.now() / 1000) + next.expiresIn),
        expires_in: String(next.expiresIn),
        client_endpoint: endpoint,
        server_endpoint: endpoint,
        member_id: spec.memberId,
        scope: SDK_SCOPE,
        status: EnumAppStatus.Local,
        domain: spec.domain,
      }
    })
  }
  return client
}
