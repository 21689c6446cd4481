/**
 * Notifications over Push & Pull, as the portal's own UI receives them: every `im.notify.*` that
 * stores a notification announces it on the recipient's personal channel (module `im`, command
 * `notifyAdd`), and only there. The portal's pages (the shell's bell) listen to that channel by
 * long polling instead of asking for notifications over and over
 * (settings/interactivity/custom-push-and-pull-client.md: the browser keeps one connection to
 * the push server and commands arrive on it; api-reference/chats/notifications/im-notify-*.md:
 * the notification goes to USER_ID).
 *
 * The command is the portal's, not the app's: it travels on the portal's personal channel, never
 * on the app's shared or private channels that pull.application.config.get hands out.
 */
import type { MethodTable } from '../core/context.ts'
import type { EmulatorContext, PortalPullLink } from '../core/types.ts'
import { isoPortal } from '../core/time.ts'
import { pullHub } from './hub.ts'

/** The methods that store a notification (emulator/rest/methods/portal.ts). */
const NOTIFY_METHODS = ['im.notify.system.add', 'im.notify.personal.add', 'im.notify']

function unread(ctx: Pick<EmulatorContext, 'db'>, userId: number): number {
  return ctx.db.notifications.filter((n) => n.userId === userId && !n.read).length
}

/** Publishes one `im` command on the user's personal channel. */
export function publishPersonal(ctx: Pick<EmulatorContext, 'origin' | 'domain'>, userId: number, command: string, params: Record<string, unknown>): void {
  const hub = pullHub(ctx)
  const now = Date.now()
  hub.publish([hub.personalChannel(userId, now).id], {
    module_id: 'im',
    command,
    params,
    extra: { server_time: isoPortal(now), server_time_unix: now / 1000, server_name: ctx.domain },
  }, now)
}

/** Wraps the notify methods of a method table so that each stored notification is announced. */
export function withNotifyPush(table: MethodTable): void {
  for (const name of NOTIFY_METHODS) {
    const method = table[name]
    if (!method) continue
    table[name] = async (call) => {
      const out = await method(call)
      const id = Number(out.result)
      const n = call.ctx.db.notifications.find((x) => x.id === id)
      if (n) {
        publishPersonal(call.ctx, n.userId, 'notifyAdd', {
          id: n.id, userId: n.userId, type: n.kind, date: n.date, text: n.message, counter: unread(call.ctx, n.userId),
        })
      }
      return out
    }
  }
}

/** What the shell (the portal's own pages) needs to listen to a user's personal channel. */
export function portalPullLink(ctx: Pick<EmulatorContext, 'origin' | 'domain' | 'db'>): PortalPullLink {
  return {
    config(userId) {
      const hub = pullHub(ctx)
      // The last message id first: the page reads its notifications after this and then asks for
      // everything past `mid`, so nothing published in between is missed.
      const mid = hub.lastSeq()
      const channel = hub.personalChannel(userId)
      return { channelId: channel.id, end: isoPortal(channel.end), url: `${ctx.origin}/sub/`, mid }
    },
    notifyRead(userId) {
      publishPersonal(ctx, userId, 'notifyRead', { userId, counter: unread(ctx, userId) })
    },
  }
}
