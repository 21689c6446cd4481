/**
 * pull.application.config.get and pull.application.event.add
 * (settings/interactivity/push-and-pull/pull-application-config-get.md,
 * settings/interactivity/push-and-pull/pull-application-event-add.md).
 *
 * - Both work in the application's context only: a webhook gets WRONG_AUTH_TYPE ("available only
 *   for application authorization", the documented error, HTTP 403).
 * - Both need the `pull` scope; an app installed without it gets `insufficient_scope`, a system
 *   access error, with status 401 (error-codes.md).
 * - event.add: without USER_ID the event goes to the app's shared channel (every user of the app
 *   receives it); with USER_ID to those users' private channels. An administrator may name any
 *   users; anyone else only themselves — another user's id is refused with USER_ID_ACCESS_ERROR.
 *   COMMAND: letters, digits, `_`, `.`, `-` (COMMAND_ERROR); MODULE_ID: lower-case letters,
 *   digits, `.`, `_` (MODULE_ID_ERROR); PARAMS: an object or its JSON text (PARAMS_ERROR).
 */
import type { Call, MethodTable } from '../core/context.ts'
import { RestError } from '../core/errors.ts'
import { isoPortal } from '../core/time.ts'
import { pullHub, type PullChannel } from './hub.ts'

/** What a message's module_id is when the caller names none. */
export const DEFAULT_MODULE_ID = 'application'

/** The revision the SDK's PullClient speaks (it skips the check for REST applications). */
const REVISION_WEB = 19

function requireAppContext(call: Call): void {
  if (call.auth === 'webhook') {
    // HTTP 403, as both pages' "Error Handling" shows (pull-application-config-get.md,
    // pull-application-event-add.md).
    throw new RestError('WRONG_AUTH_TYPE', 'Get access to application config available only for application authorization.', 403)
  }
  if (!pullHub(call.ctx).faults.scope) {
    throw new RestError('insufficient_scope', 'The request requires higher privileges than provided by the access token', 401)
  }
}

const iso = (ms: number): string => isoPortal(ms)

function describe(c: PullChannel): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, start: iso(c.start), end: iso(c.end), type: c.type }
  if (c.publicId) out.public_id = c.publicId
  return out
}

function parseParams(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {}
  let value = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      throw new RestError('PARAMS_ERROR', 'Params is not a valid JSON object', 400)
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RestError('PARAMS_ERROR', 'Params is not a valid JSON object', 400)
  return value as Record<string, unknown>
}

function userIds(raw: unknown): number[] {
  if (raw === undefined || raw === null || raw === '') return []
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw as object) : [raw]
  const ids = list.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0)
  return [...new Set(ids)]
}

export const pullMethods: MethodTable = {
  'pull.application.config.get'(call) {
    requireAppContext(call)
    const hub = pullHub(call.ctx)
    const origin = call.ctx.origin
    const wsOrigin = origin.replace(/^http/, 'ws')
    const now = Date.now()
    return {
      result: {
        server: {
          // The emulator speaks the queue server's text protocol (version 3); see emulator/README.md.
          version: 3,
          server_enabled: true,
          long_polling: `${origin}/sub/`,
          long_polling_secure: `${origin.replace(/^http:/, 'https:')}/sub/`,
          websocket_enabled: false,
          websocket: `${wsOrigin}/sub/`,
          websocket_secure: `${wsOrigin.replace(/^ws:/, 'wss:')}/sub/`,
          publish_enabled: false,
          publish: '',
          publish_secure: '',
          config_timestamp: hub.configTimestamp,
          mode: 'personal',
        },
        channels: { shared: describe(hub.shared(now)), private: describe(hub.privateChannel(call.user.ID, now)) },
        publicChannels: {},
        api: { revision_web: REVISION_WEB, revision_mobile: REVISION_WEB },
        clientId: null,
        jwt: null,
        exp: 0,
        serverTime: new Date(now).toISOString(),
      },
    }
  },

  'pull.application.event.add'(call) {
    requireAppContext(call)
    const p = call.params
    const command = String(p.COMMAND ?? '')
    if (!/^[A-Za-z0-9_.-]+$/.test(command)) throw new RestError('COMMAND_ERROR', 'Command format error', 400)
    const moduleId = p.MODULE_ID === undefined || p.MODULE_ID === '' ? DEFAULT_MODULE_ID : String(p.MODULE_ID)
    if (!/^[a-z0-9._]+$/.test(moduleId)) throw new RestError('MODULE_ID_ERROR', 'Module ID format error', 400)
    const params = parseParams(p.PARAMS)
    const users = userIds(p.USER_ID)
    if (!call.user.IS_ADMIN && users.some((id) => id !== call.user.ID)) {
      throw new RestError('USER_ID_ACCESS_ERROR', 'Only administrators can send events to other users', 400)
    }
    const hub = pullHub(call.ctx)
    const now = Date.now()
    const channels = users.length === 0 ? [hub.shared(now).id] : users.map((id) => hub.privateChannel(id, now).id)
    hub.publish(channels, {
      module_id: moduleId,
      command,
      params,
      extra: { server_time: isoPortal(now), server_time_unix: now / 1000, server_name: call.ctx.domain },
    }, now)
    return { result: true }
  },
}

/** Control endpoint's `pull` block: `{server: 'up'|'down', scope: boolean, dropChannels: true, holdMs}`. */
export function applyPullControl(ctx: Pick<Call['ctx'], 'origin'>, body: unknown): void {
  if (!body || typeof body !== 'object') throw new RestError('INVALID_ARG_VALUE', 'pull must be an object', 400)
  const b = body as Record<string, unknown>
  const hub = pullHub(ctx)
  if (b.server !== undefined) {
    if (b.server !== 'up' && b.server !== 'down') throw new RestError('INVALID_ARG_VALUE', 'pull.server must be up or down', 400)
    hub.setServerUp(b.server === 'up')
  }
  if (b.scope !== undefined) hub.faults.scope = Boolean(b.scope)
  if (b.dropChannels === true) hub.dropChannels()
  if (b.holdMs !== undefined) {
    const n = Number(b.holdMs)
    if (!Number.isFinite(n) || n < 10) throw new RestError('INVALID_ARG_VALUE', 'pull.holdMs must be a number ≥ 10', 400)
    hub.faults.holdMs = n
  }
}
