/**
 * `/oauth/token/`: the part of Bitrix24's OAuth server (oauth.bitrix.info) an app uses to
 * exchange a refresh token. Lets B24OAuth's own refresh path run against the emulator.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Emu } from '../core/context.ts'
import { parseParams, readBody, requestUrl, sendJson } from './http.ts'

export async function handleOAuth(req: IncomingMessage, res: ServerResponse, ctx: Emu): Promise<void> {
  const url = requestUrl(req)
  const body = req.method === 'POST' ? await readBody(req) : ''
  const params = parseParams(url.search.slice(1), body, req.headers['content-type'])
  if (params.grant_type !== 'refresh_token') {
    sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Only grant_type=refresh_token is emulated' })
    return
  }
  const issued = ctx.auth.refresh(String(params.refresh_token ?? ''))
  if (!issued) {
    sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' })
    return
  }
  sendJson(res, 200, {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    expires: Math.floor(Date.now() / 1000) + issued.expiresIn,
    expires_in: issued.expiresIn,
    scope: 'crm,userfieldconfig,user,user_basic,department,im,placement,pull,entity,app',
    domain: ctx.domain,
    server_endpoint: `${ctx.origin}/rest/`,
    client_endpoint: `${ctx.origin}/rest/`,
    member_id: ctx.db.app.memberId,
    user_id: issued.userId,
    status: 'L',
  })
}
