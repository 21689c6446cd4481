/**
 * The portal's Push & Pull queue server, in process: the app's shared channel, one private
 * channel per user, published messages kept for a short while, and the long-polling waiters.
 *
 * Channel ids look like the ones `pull.application.config.get` documents
 * (settings/interactivity/push-and-pull/pull-application-config-get.md): a shared channel
 * `{hex32}.{signature}`, a private one `{privateHex}:{publicHex}.{signature}` with a public id
 * `{publicHex}.{signature}`, each valid for 12 hours (the documented example's start → end).
 * One hub per emulator context (a WeakMap), so core/context.ts does not have to know about Pull.
 */
import { randomBytes } from 'node:crypto'
import type { EmulatorContext } from '../core/types.ts'

export const CHANNEL_TTL_MS = 12 * 3600 * 1000
/** How long a long-poll request is held open before a 304 (the SDK gives up after 60 s). */
export const DEFAULT_HOLD_MS = 40_000
/** Messages a reconnecting client can still catch up on (by `mid`). */
const KEEP_MESSAGES = 500
const KEEP_MS = 5 * 60_000

export interface PullChannel {
  readonly id: string
  readonly publicId: string | null
  readonly type: 'shared' | 'private'
  readonly userId: number | null
  readonly start: number
  readonly end: number
}

export interface PullBody {
  readonly module_id: string
  readonly command: string
  readonly params: Record<string, unknown>
  readonly extra: Record<string, unknown>
}

export interface PullMessage {
  readonly seq: number
  readonly channels: ReadonlySet<string>
  readonly body: PullBody
  readonly at: number
}

export type WaitOutcome =
  | { readonly kind: 'messages'; readonly messages: PullMessage[] }
  | { readonly kind: 'timeout'; readonly lastSeq: number }
  | { readonly kind: 'gone' }
  | { readonly kind: 'down' }

interface Waiter {
  readonly channels: ReadonlySet<string>
  readonly done: (outcome: WaitOutcome) => void
}

export interface PullFaults {
  /** false: the queue server does not answer (every /sub/ request gets 503). */
  serverUp: boolean
  /** false: the app was installed without the `pull` scope (pull.* → insufficient_scope). */
  scope: boolean
  holdMs: number
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex')

export class PullHub {
  readonly faults: PullFaults = { serverUp: true, scope: true, holdMs: DEFAULT_HOLD_MS }
  readonly stats = { published: 0, delivered: 0, polls: 0, refused: 0 }
  private readonly channels = new Map<string, PullChannel>()
  private readonly privateOf = new Map<number, string>()
  /** The portal's own personal channel of each user (its UI: the bell), apart from the app's. */
  private readonly personalOf = new Map<number, string>()
  private sharedId: string | null = null
  private messages: PullMessage[] = []
  private readonly waiters = new Set<Waiter>()
  private seq = 0
  /** Changes whenever channels are re-issued (the SDK compares it with its cached config). */
  configTimestamp = Math.floor(Date.now() / 1000)

  private fresh(type: 'shared' | 'private', userId: number | null, now: number): PullChannel {
    const signature = hex(20)
    const publicHex = hex(16)
    const channel: PullChannel = type === 'shared'
      ? { id: `${hex(16)}.${signature}`, publicId: null, type, userId: null, start: now, end: now + CHANNEL_TTL_MS }
      : { id: `${hex(16)}:${publicHex}.${signature}`, publicId: `${publicHex}.${hex(20)}`, type, userId, start: now, end: now + CHANNEL_TTL_MS }
    this.channels.set(channel.id, channel)
    return channel
  }

  private live(id: string | null, now: number): PullChannel | null {
    if (!id) return null
    const c = this.channels.get(id)
    return c && c.end > now ? c : null
  }

  /** The app's shared channel: every user of the app receives what is published on it. */
  shared(now = Date.now()): PullChannel {
    const existing = this.live(this.sharedId, now)
    if (existing) return existing
    const c = this.fresh('shared', null, now)
    this.sharedId = c.id
    return c
  }

  /** The user's private channel for this app (made on first use, like the portal does). */
  privateChannel(userId: number, now = Date.now()): PullChannel {
    const existing = this.live(this.privateOf.get(userId) ?? null, now)
    if (existing) return existing
    const c = this.fresh('private', userId, now)
    this.privateOf.set(userId, c.id)
    return c
  }

  /**
   * The user's personal channel of the portal itself: what the portal's own pages (the bell)
   * listen on and where the `im` module announces notifications. Not the app's private channel
   * (pull.application.config.get answers that one): events of the portal never reach the app.
   */
  personalChannel(userId: number, now = Date.now()): PullChannel {
    const existing = this.live(this.personalOf.get(userId) ?? null, now)
    if (existing) return existing
    const c = this.fresh('private', userId, now)
    this.personalOf.set(userId, c.id)
    return c
  }

  isKnown(channelId: string, now = Date.now()): boolean {
    return this.live(channelId, now) !== null
  }

  lastSeq(): number {
    return this.seq
  }

  /** Queues one message on the given channels and wakes their waiters. */
  publish(channelIds: readonly string[], body: PullBody, now = Date.now()): PullMessage {
    const msg: PullMessage = { seq: ++this.seq, channels: new Set(channelIds), body, at: now }
    this.messages.push(msg)
    this.messages = this.messages.filter((m) => now - m.at < KEEP_MS).slice(-KEEP_MESSAGES)
    this.stats.published++
    for (const w of [...this.waiters]) {
      if ([...msg.channels].some((c) => w.channels.has(c))) {
        this.waiters.delete(w)
        this.stats.delivered++
        w.done({ kind: 'messages', messages: [msg] })
      }
    }
    return msg
  }

  /**
   * One long-poll: messages after `afterSeq` at once when there are any, else wait for the next
   * one up to `holdMs`. Unknown or expired channels: `gone`; the server switched off: `down`.
   * Returns a cancel function (the client went away).
   */
  wait(channelIds: readonly string[], afterSeq: number | null, done: (o: WaitOutcome) => void, now = Date.now()): () => void {
    this.stats.polls++
    if (!this.faults.serverUp) {
      this.stats.refused++
      done({ kind: 'down' })
      return () => undefined
    }
    if (channelIds.length === 0 || channelIds.some((id) => !this.isKnown(id, now))) {
      this.stats.refused++
      done({ kind: 'gone' })
      return () => undefined
    }
    const set = new Set(channelIds)
    if (afterSeq !== null) {
      const missed = this.messages.filter((m) => m.seq > afterSeq && [...m.channels].some((c) => set.has(c)))
      if (missed.length) {
        this.stats.delivered++
        done({ kind: 'messages', messages: missed })
        return () => undefined
      }
    }
    let timer: ReturnType<typeof setTimeout> | null = null
    const waiter: Waiter = {
      channels: set,
      done: (o) => {
        if (timer) clearTimeout(timer)
        timer = null
        done(o)
      },
    }
    this.waiters.add(waiter)
    timer = setTimeout(() => {
      this.waiters.delete(waiter)
      done({ kind: 'timeout', lastSeq: this.seq })
    }, this.faults.holdMs)
    return () => {
      if (timer) clearTimeout(timer)
      this.waiters.delete(waiter)
    }
  }

  /** Fault: every channel is forgotten (as if the queue server restarted without its state). */
  dropChannels(): void {
    this.channels.clear()
    this.privateOf.clear()
    this.personalOf.clear()
    this.sharedId = null
    this.configTimestamp++
    for (const w of [...this.waiters]) {
      this.waiters.delete(w)
      w.done({ kind: 'gone' })
    }
  }

  /** Fault: the queue server goes down (open polls are cut) or comes back. */
  setServerUp(up: boolean): void {
    this.faults.serverUp = up
    if (!up) {
      for (const w of [...this.waiters]) {
        this.waiters.delete(w)
        w.done({ kind: 'down' })
      }
    }
  }

  waiting(): number {
    return this.waiters.size
  }

  state(): Record<string, unknown> {
    return { ...this.faults, stats: { ...this.stats }, waiting: this.waiters.size, channels: this.channels.size, lastSeq: this.seq }
  }

  resetFaults(): void {
    this.setServerUp(true)
    this.faults.scope = true
    this.faults.holdMs = DEFAULT_HOLD_MS
  }
}

const hubs = new WeakMap<object, PullHub>()

/** The hub of one emulator (keyed by its context object). */
export function pullHub(ctx: Pick<EmulatorContext, 'origin'>): PullHub {
  let hub = hubs.get(ctx)
  if (!hub) hubs.set(ctx, (hub = new PullHub()))
  return hub
}
