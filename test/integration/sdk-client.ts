/** A real B24OAuth client of @bitrix24/b24jssdk pointed at an in-process emulator over HTTP. */
import { B24OAuth } from '@bitrix24/b24jssdk'
import type { Emulator } from '../../emulator/server.ts'

export function sdkClientFor(emu: Emulator, userId: number): B24OAuth {
  const issued = emu.ctx.auth.issue(userId)
  const b24 = new B24OAuth(
    {
      applicationToken: 'emulator-app', userId, memberId: emu.ctx.db.app.memberId, accessToken: issued.accessToken,
      refreshToken: issued.refreshToken, expires: Math.floor(Date.now() / 1000) + issued.expiresIn, expiresIn: issued.expiresIn,
      scope: 'crm,user,department,im,placement', domain: emu.ctx.domain,
      // B24Hook forces https; B24OAuth takes the endpoints as given. Its refresh goes to
      // {serverEndpoint without /rest/}/oauth/token/, which the emulator also serves.
      clientEndpoint: `${emu.origin}/rest/`, serverEndpoint: `${emu.origin}/rest/`, status: 'L',
    },
    { clientId: emu.ctx.db.app.clientId, clientSecret: 'emulator-secret' },
    {
      // The client-side limiter must not hide the server's limit from these tests.
      restrictionParams: { rateLimit: { burstLimit: 10_000, drainRate: 10_000, adaptiveEnabled: false }, maxRetries: 4, retryDelay: 50 },
    },
  )
  return b24
}
