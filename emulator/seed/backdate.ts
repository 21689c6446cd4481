/**
 * The seed plays weeks of history in a second. What each move left in the portal (its timeline
 * message, notifications, to-dos opened or closed, the item's update time) is then dated when
 * the move happened, so the timeline, the bell and the to-do list read like the past they show.
 * No REST method sets those times on a real portal; this is the one place the seed writes the
 * emulator's data directly besides people and departments.
 */
import type { Emu } from '../core/context.ts'
import { isoPortal } from '../core/time.ts'

/** People have read their bell up to this long before the seed ran. */
const READ_BEFORE_MS = 48 * 3_600_000

export interface PortalMark {
  readonly notification: number
  readonly logMessage: number
  readonly activity: number
  readonly activityUpdated: ReadonlyMap<number, string>
  readonly stageId: unknown
}

export interface ItemRef {
  readonly entityTypeId: number
  readonly id: number
}

const itemRow = (ctx: Emu, item: ItemRef) => ctx.db.crm.items[String(item.entityTypeId)]?.[String(item.id)]

const maxId = (rows: readonly { id: number }[]): number => rows.reduce((m, r) => Math.max(m, r.id), 0)

// Scoped to one contract, so moves on other contracts played at the same time are not touched.
const tagOf = (item: ItemRef) => `CA|${item.id}|`
const notificationsOf = (ctx: Emu, item: ItemRef) => ctx.db.notifications.filter((n) => n.tag?.startsWith(tagOf(item)))
const messagesOf = (ctx: Emu, item: ItemRef) => ctx.db.crm.logMessages.filter((m) => m.entityTypeId === item.entityTypeId && m.entityId === item.id)
const todosOf = (ctx: Emu, item: ItemRef) => ctx.db.crm.activities.filter((a) => a.ownerTypeId === item.entityTypeId && a.ownerId === item.id)

/** Where the contract's records stand before a move on it. */
export function markPortal(ctx: Emu, item: ItemRef): PortalMark {
  const todos = todosOf(ctx, item)
  return {
    notification: maxId(notificationsOf(ctx, item)),
    logMessage: maxId(messagesOf(ctx, item)),
    activity: maxId(todos),
    activityUpdated: new Map(todos.map((a) => [a.id, a.lastUpdated])),
    stageId: itemRow(ctx, item)?.stageId,
  }
}

/** Dates what the contract's move created or changed since `mark` at `at` (ISO); `now` is the seed's clock. */
export function backdateSince(ctx: Emu, mark: PortalMark, at: string, now: number, item: ItemRef): void {
  const ms = Date.parse(at)
  const when = isoPortal(ms)
  for (const n of notificationsOf(ctx, item)) {
    if (n.id <= mark.notification) continue
    n.date = when
    n.read = ms < now - READ_BEFORE_MS
  }
  for (const m of messagesOf(ctx, item)) if (m.id > mark.logMessage) m.created = when
  for (const a of todosOf(ctx, item)) {
    if (a.id > mark.activity) {
      a.created = when
      a.lastUpdated = when
    } else if (mark.activityUpdated.get(a.id) !== a.lastUpdated) {
      a.lastUpdated = when
    }
  }
  const row = itemRow(ctx, item)
  if (!row) return
  Object.assign(row, { updatedTime: when, lastActivityTime: when })
  if (row.stageId !== mark.stageId) row.movedTime = when
}

/** A contract created at `at` (ISO), before anyone acted on it. */
export function backdateCreation(ctx: Emu, item: ItemRef, at: string): void {
  const when = isoPortal(Date.parse(at))
  const row = itemRow(ctx, item)
  if (row) Object.assign(row, { createdTime: when, updatedTime: when, movedTime: when, lastActivityTime: when })
}

/** A plain edit of the contract (no stage change) made at `at` (ISO). */
export function backdateEdit(ctx: Emu, item: ItemRef, at: string): void {
  const row = itemRow(ctx, item)
  if (row) row.updatedTime = isoPortal(Date.parse(at))
}
