/**
 * Plays a contract's story (stories.ts) through the app's own approval code, as the people who
 * made each move: `act` from src/services/approval/actions.ts over each person's own SDK port, the
 * path the card tab takes. So the log, the stage, the current approvers, the round and the
 * deadline are the writer's, and so are the timeline messages, the notifications in the bell and
 * the CRM to-dos (opened for whoever's turn it is, closed when they decide).
 */
import type { Emu } from '../core/context.ts'
import { act, departmentHeadsOf, type ActResult, type Intent } from '../../src/services/approval/actions.ts'
import { loadRouteSet } from '../../src/services/approval/card.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import type { WriteTuning } from '../../src/services/approval/writer.ts'
import type { BitrixPort, PortalUserInfo } from '../../src/platform/port.ts'
import { INITIAL_PROJECTION, type Projection } from '../../src/domain/projection.ts'
import type { RouteSet } from '../../src/domain/route.ts'
import { backdateSince, markPortal } from './backdate.ts'
import { seedPortAs } from './install.ts'
import { PEOPLE } from './people.ts'
import type { Move } from './stories.ts'

/**
 * Nobody else writes a contract while the seed plays it, so the writer's settle window (there to
 * outlast a concurrent writer) goes: the write's own read-back is proof enough, and nobody sleeps.
 */
const SEED_TUNING: WriteTuning = { settleMs: 0, stableReads: 0, sleep: async () => {} }

interface Person {
  readonly port: BitrixPort
  readonly me: PortalUserInfo
}

export interface Player {
  /**
   * Plays `moves` on `itemId` at the given ISO times; returns the projection after the last.
   * A story told in parts passes on where the previous part left off.
   */
  play(itemId: number, author: number, moves: readonly Move[], times: readonly string[], after?: { projection: Projection; moves: number }): Promise<Projection>
}

/** `now`: the seed's clock, for what people have already read in their bell (backdate.ts). */
export async function createPlayer(ctx: Emu, space: ContractSpace, now: number): Promise<Player> {
  const people = new Map<number, Promise<Person>>()
  const person = (userId: number): Promise<Person> => {
    let p = people.get(userId)
    if (!p) {
      const port = seedPortAs(ctx, userId)
      p = port.currentUser().then((me) => ({ port, me }))
      people.set(userId, p)
    }
    return p
  }
  const routeSet: RouteSet = await loadRouteSet((await person(PEOPLE.admin)).port)

  async function submitIntent(type: 'submit' | 'resubmit', who: Person, comment: string | undefined): Promise<Intent> {
    // As the tab does: department heads are asked for only when a route has such a step.
    const needsHeads = routeSet.routes.some((r) => r.steps.some((s) => s.approvers.some((a) => a.kind === 'departmentHead')))
    const heads = needsHeads ? await departmentHeadsOf(who.port, who.me.id, who.me.departmentIds) : []
    return { type, routeSet, departmentHeadIds: heads, ...(comment ? { comment } : {}) }
  }

  async function move(itemId: number, author: number, p: Projection, m: Move, eventId: string, at: string): Promise<Projection> {
    const actorId = m.do === 'approve' || m.do === 'return'
      ? p.currentApprovers[0]
      : m.do === 'receive' || m.do === 'archive' ? PEOPLE.archivist : author
    if (actorId === undefined) throw new Error(`Demo seed: contract ${itemId} has nobody to ${m.do} at this point`)
    const who = await person(actorId)
    const actor = { id: who.me.id, name: who.me.fullName }
    // The story records receipt and filing as two moves, so the receipt does not file by itself.
    const intent: Intent = m.do === 'submit' || m.do === 'resubmit'
      ? await submitIntent(m.do, who, m.comment)
      : m.do === 'withdraw'
        ? { type: 'withdraw', ...(m.comment ? { comment: m.comment } : {}) }
        : m.do === 'approve'
          ? { type: 'approve', round: p.round, step: p.currentStep ?? 0, ...(m.comment ? { comment: m.comment } : {}) }
          : m.do === 'return'
            ? { type: 'return', round: p.round, step: p.currentStep ?? 0, comment: m.comment ?? '' }
            : m.do === 'receive'
              ? { type: 'receiveOriginal', receivedAt: at.slice(0, 10), storageLocation: storageOf(itemId), archive: false, ...(m.comment ? { comment: m.comment } : {}) }
              : { type: 'archive', ...(m.comment ? { comment: m.comment } : {}) }
    const res: ActResult = await act(who.port, space, { itemId, actor, eventId, at, intent }, { tuning: SEED_TUNING })
    if (!res.ok) throw new Error(`Demo seed: ${m.do} on contract ${itemId} was refused (${res.reason})`)
    const failed = res.effects?.failed ?? []
    if (failed.length) throw new Error(`Demo seed: side effects of ${m.do} on contract ${itemId} failed: ${failed.map((f) => f.key).join(', ')}`)
    return res.projection
  }

  return {
    async play(itemId, author, moves, times, after = { projection: INITIAL_PROJECTION, moves: 0 }) {
      let p = after.projection
      for (const [i, m] of moves.entries()) {
        // Stable ids: a reseed writes the same events. The first 12 characters key the done-marks.
        const eventId = `seed-${String(itemId).padStart(4, '0')}-${String(after.moves + i).padStart(2, '0')}`
        const at = times[i] as string
        const ref = { entityTypeId: space.entityTypeId, id: itemId }
        const mark = markPortal(ctx, ref)
        p = await move(itemId, author, p, m, eventId, at)
        backdateSince(ctx, mark, at, now, ref)
      }
      return p
    },
  }
}

/** Where the archivist filed the originals (stable per contract). */
export function storageOf(itemId: number): string {
  return `Архив, стеллаж ${1 + (itemId % 6)}, папка ${10 + itemId}`
}

const MSK_MS = 3 * 3_600_000

/**
 * People act in office hours (Moscow, 09:00–19:00): a time outside them moves back to 18:xx of
 * the last working evening. Only ever earlier, so nothing lands after the seed's clock.
 */
function officeHours(ms: number): number {
  const local = new Date(ms + MSK_MS)
  const h = local.getUTCHours()
  if (h >= 9 && h < 19) return ms
  const back = h >= 19 ? h - 18 : h + 6
  return ms - back * 3_600_000
}

/**
 * ISO times for `count` moves, the first `from` hours before `now`, the last `to` hours before.
 * The last one stays exact when `keepLast` (a step waiting since then: its deadline depends on
 * it), the others fall in office hours, each at least 20 minutes after the one before.
 */
export function spread(now: number, from: number, to: number, count: number, keepLast = false): string[] {
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const hoursAgo = count === 1 ? from : from - ((from - to) * i) / (count - 1)
    // A few minutes off the hour, so the history does not read as machine-made.
    const minutes = (i * 17 + 7) % 50
    const exact = now - hoursAgo * 3_600_000
    const last = i === count - 1
    let ms = last && keepLast ? exact : officeHours(exact + minutes * 60_000)
    const prev = out[i - 1]
    if (prev !== undefined && ms <= prev) ms = prev + 20 * 60_000
    out.push(ms)
  }
  return out.map((ms) => new Date(ms).toISOString())
}
