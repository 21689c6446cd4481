/** A real B24OAuth client of @bitrix24/b24jssdk pointed at an in-process emulator over HTTP. */
import type { B24OAuth } from '@bitrix24/b24jssdk'
import type { Emulator } from '../../emulator/server.ts'
import { createSdkClient } from '../../emulator/seed/sdk-client.ts'

/**
 * The same client the seed and the Node ports use, with retries on: these tests watch the SDK
 * ride out 503 storms and refresh an expired token over HTTP ({origin}/oauth/token/).
 */
export function sdkClientFor(emu: Emulator, userId: number): B24OAuth {
  return createSdkClient({
    origin: emu.origin,
    userId,
    domain: emu.ctx.domain,
    memberId: emu.ctx.db.app.memberId,
    auth: emu.ctx.auth.issue(userId),
    attempts: 4,
    clientId: emu.ctx.db.app.clientId,
  })
}
