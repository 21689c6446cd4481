import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext, PortalUser } from '../core/types.ts'
import { activeUsers, currentUser, fullName, USER_COOKIE } from './session.ts'
import { appPath } from './pages.ts'
import { saveItem } from './card.ts'
import { APP_LINK_PLACEMENT, appLinkOpens, appLinkOptions } from './app-link.ts'

/**
 * The shell page's own JSON endpoints (same-origin only): what the browser side needs to open
 * app frames and answer the postMessage protocol with server state.
 */

// The card's save carries uploaded document versions (base64).
const MAX_BODY = 30_000_000

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
  res.end(JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return {}
  const parsed: unknown = JSON.parse(text)
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
}

export function protocolOf(ctx: EmulatorContext): 0 | 1 {
  return ctx.origin.startsWith('https:') ? 1 : 0
}

/** A user as Bitrix24's user selector returns it (selectUser / selectUsers). */
export function pickerUser(u: PortalUser): Record<string, unknown> {
  return {
    id: String(u.ID),
    name: fullName(u),
    photo: u.PERSONAL_PHOTO ?? '',
    position: u.WORK_POSITION,
    url: `/company/personal/user/${u.ID}/`,
    sub: false,
    sup: false,
  }
}

function tokens(ctx: EmulatorContext, userId: number): Record<string, unknown> {
  const auth = ctx.auth.issue(userId)
  return { AUTH_ID: auth.accessToken, REFRESH_ID: auth.refreshToken, AUTH_EXPIRES: auth.expiresIn }
}

/**
 * The address Bitrix24 opens for a placement: the HANDLER bound to it (placement.bind,
 * api-reference/widgets/placement-bind.md); the app's own page (DEFAULT, the install) is the
 * app's handler.
 */
export function handlerFor(app: EmulatorContext['db']['app'], placement: string): string {
  return app.placements.find((b) => b.placement === placement)?.handler ?? app.handlerUrl
}

/** Everything getInitData answers, plus what the browser needs to POST the handler. */
function frameData(ctx: EmulatorContext, user: PortalUser, placement: string, options: unknown): Record<string, unknown> {
  const { app } = ctx.db
  const install = !app.installed
  return {
    handlerUrl: handlerFor(app, placement || 'DEFAULT'),
    DOMAIN: ctx.domain,
    PROTOCOL: protocolOf(ctx),
    LANG: user.LANG,
    PATH: appPath(ctx),
    ...tokens(ctx, user.ID),
    MEMBER_ID: app.memberId,
    // status L = local application (what a portal-scoped app like this one is).
    status: 'L',
    IS_ADMIN: user.IS_ADMIN,
    INSTALL: install,
    FIRST_RUN: install,
    APP_OPTIONS: { ...app.options },
    USER_OPTIONS: { ...(app.userOptions[user.ID] ?? {}) },
    PLACEMENT: placement || 'DEFAULT',
    PLACEMENT_OPTIONS: typeof options === 'object' && options !== null ? options : {},
  }
}

function unreadCount(ctx: EmulatorContext, userId: number): number {
  return ctx.db.notifications.filter((n) => n.userId === userId && !n.read).length
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, path: string): Promise<void> {
  const method = req.method ?? 'GET'
  // The app's origin shares the portal's site (same host, other port), so cookies would ride along
  // on its requests: only the shell page itself may use these endpoints.
  const origin = req.headers.origin
  if (method !== 'GET' && origin !== undefined && origin !== ctx.origin) {
    send(res, 403, { error: 'FORBIDDEN_ORIGIN' })
    return
  }
  const user = currentUser(req, ctx)
  if (!user) {
    send(res, 503, { error: 'NO_USERS', error_description: 'The portal has no active users (seed it).' })
    return
  }
  let body: Record<string, unknown> = {}
  try {
    if (method === 'POST') body = await readJson(req)
  } catch {
    send(res, 400, { error: 'INVALID_JSON' })
    return
  }
  // A frame opened for one user must not get another user's tokens after a switch in another tab.
  if (body.userId !== undefined && Number(body.userId) !== user.ID) {
    send(res, 409, { error: 'USER_CHANGED', currentUserId: user.ID })
    return
  }

  const route = `${method} ${path}`
  switch (route) {
    case 'POST /shell/api/login': {
      const target = activeUsers(ctx).find((u) => u.ID === Number(body.id))
      if (!target) return send(res, 404, { error: 'USER_NOT_FOUND' })
      return send(res, 200, { ok: true, userId: target.ID }, {
        'Set-Cookie': `${USER_COOKIE}=${target.ID}; Path=/; SameSite=Lax; HttpOnly`,
      })
    }
    case 'POST /shell/api/frame': {
      const placement = String(body.placement ?? 'DEFAULT')
      if (placement !== APP_LINK_PLACEMENT) return send(res, 200, frameData(ctx, user, placement, body.options))
      // A followed app link (app-link.ts): the options come from the link and the page it was on.
      const link = new URL(String(body.link ?? ''), ctx.origin)
      if (link.origin !== ctx.origin || !appLinkOpens(ctx, link.pathname)) return send(res, 404, { error: 'APP_LINK_NOT_FOUND' })
      const from = typeof body.from === 'string' && body.from.startsWith('/') ? body.from : '/'
      return send(res, 200, frameData(ctx, user, placement, appLinkOptions(link, from)))
    }
    case 'POST /shell/api/refresh':
      return send(res, 200, tokens(ctx, user.ID))
    case 'GET /shell/api/users':
      return send(res, 200, activeUsers(ctx).map(pickerUser))
    case 'GET /shell/api/notifications': {
      const items = ctx.db.notifications
        .filter((n) => n.userId === user.ID)
        .sort((a, b) => b.id - a.id)
        .slice(0, 30)
        .map((n) => ({
          id: n.id,
          message: n.message,
          date: n.date,
          read: n.read,
          from: n.fromUserId ? fullName(ctx.db.users.find((u) => u.ID === n.fromUserId) ?? { NAME: '', LAST_NAME: '' }) : '',
        }))
      return send(res, 200, { unread: unreadCount(ctx, user.ID), items })
    }
    case 'GET /shell/api/pull':
      // The bell's channel: the user's personal one, where im.notify.* announces notifications.
      return ctx.portalPull ? send(res, 200, ctx.portalPull.config(user.ID)) : send(res, 404, { error: 'NOT_FOUND' })
    case 'POST /shell/api/notifications/read': {
      const ids = Array.isArray(body.ids) ? new Set(body.ids.map(Number)) : null
      for (const n of ctx.db.notifications) {
        if (n.userId === user.ID && (ids === null || ids.has(n.id))) n.read = true
      }
      ctx.save()
      ctx.portalPull?.notifyRead(user.ID)
      return send(res, 200, { unread: unreadCount(ctx, user.ID) })
    }
    case 'POST /shell/api/install-finish': {
      // Installing is an admin's act in Bitrix24; the install placement is only opened for admins.
      if (!user.IS_ADMIN) return send(res, 403, { error: 'ACCESS_DENIED' })
      ctx.db.app.installed = true
      ctx.save()
      return send(res, 200, { installed: true })
    }
    case 'POST /shell/api/option': {
      const name = String(body.name ?? '')
      if (name === '') return send(res, 400, { error: 'INVALID_ARG_VALUE' })
      if (body.scope === 'app') {
        // Bitrix24 keeps app options admin-only (app.option.set); the frame command fails silently.
        if (!user.IS_ADMIN) return send(res, 403, { error: 'ACCESS_DENIED' })
        ctx.db.app.options[name] = body.value
      } else {
        ctx.db.app.userOptions[user.ID] = { ...(ctx.db.app.userOptions[user.ID] ?? {}), [name]: body.value }
      }
      ctx.save()
      return send(res, 200, { ok: true })
    }
    case 'POST /shell/api/crm/item/save': {
      const saved = await saveItem(ctx, user, body)
      return send(res, saved.status, saved.body)
    }
    default:
      return send(res, 404, { error: 'NOT_FOUND' })
  }
}
