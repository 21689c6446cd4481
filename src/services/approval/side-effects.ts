/**
 * Carries out the side effects the log calls for (domain/effects.ts), each at most once:
 *
 * - the timeline entry of an event is left by its writer before the event is written
 *   (attest.ts), so here it is already done;
 * - to-dos, checked against the portal first: a to-do carries its seat marker, so "open it" is
 *   skipped when one exists and "close it" only touches open ones; two writers racing to open
 *   the same to-do both look again afterwards and keep the oldest;
 * - notifications, tagged with the effect key (Bitrix24 replaces a notification with the same
 *   TAG), sent by the event's writer, or by anyone once that writer has recorded its own work.
 *
 * Done keys are recorded in the log field's `fx` (writer.ts recordDone), which the tab reads
 * with the item itself: finding a missing effect on load costs no request.
 */
import type { AppError } from '../../platform/errors.ts'
import type { BatchCommand, BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import type { ContractRecord } from './record.ts'
import { isDone } from './stored-log.ts'
import { messageLang, notifyMessage, todoMarker, todoTexts, type MessageLang } from './messages.ts'
import { effectsOfEvent, todoRef, type SideEffect, type TodoEffect } from '../../domain/effects.ts'
import { project } from '../../domain/projection.ts'
import { markersIn } from '../../domain/attestation.ts'
import { entriesFrom, entryCommands } from './attest.ts'
import { contractLinkPath } from '../../domain/schema.ts'
import type { ApprovalEvent } from '../../domain/log.ts'

export interface EffectsOptions {
  /** Events this client wrote: their timeline messages and notifications are ours to send. */
  readonly ownEventIds: ReadonlySet<string>
  /**
   * Recovery: effects of events older than this (ms) are redone by whoever finds them missing;
   * their writer has surely finished or died. Null: only our own and orphaned ones.
   */
  readonly recoverAfterMs: number | null
  readonly now?: () => number
}

export interface EffectsReport {
  readonly done: string[]
  readonly failed: { key: string; error: AppError }[]
}

interface Todo {
  id: number
  responsibleId: number
  completed: boolean
  description: string
}

const BATCH = 50

/** Effects the log calls for that `fx` does not mark as done. */
export function pendingEffects(record: ContractRecord): { event: ApprovalEvent; effect: SideEffect }[] {
  const log = record.stored.log
  const out: { event: ApprovalEvent; effect: SideEffect }[] = []
  for (const event of log.events) {
    // Below the watermark everything is done: skip the replay, which costs a projection per event.
    if (event.round < record.stored.fxBefore) continue
    for (const effect of effectsOfEvent(log, event.id)) {
      if (!isDone(record.stored, effect.key, event.round)) out.push({ event, effect })
    }
  }
  return out
}

function mayRun(event: ApprovalEvent, effect: SideEffect, record: ContractRecord, opts: EffectsOptions): boolean {
  if (opts.ownEventIds.has(event.id)) return true
  const age = (opts.now ?? Date.now)() - Date.parse(event.at)
  if (opts.recoverAfterMs !== null && age >= opts.recoverAfterMs) return true
  if (effect.kind === 'todoOpen' || effect.kind === 'todoClose') return true
  // The writer recorded what it did and is gone: what its event now implies is left to us.
  return effect.kind === 'notify' && record.stored.fx[event.id.slice(0, 12)] !== undefined
}

async function listTodos(port: BitrixPort, space: ContractSpace, itemId: number): Promise<Todo[]> {
  const rows = await port.list<Record<string, unknown>>('crm.activity.list', {
    filter: { OWNER_TYPE_ID: space.entityTypeId, OWNER_ID: itemId, PROVIDER_ID: 'CRM_TODO' },
    select: ['ID', 'RESPONSIBLE_ID', 'COMPLETED', 'DESCRIPTION'],
  })
  return rows.map((r) => ({
    id: Number(r.ID),
    responsibleId: Number(r.RESPONSIBLE_ID),
    completed: r.COMPLETED === 'Y',
    description: typeof r.DESCRIPTION === 'string' ? r.DESCRIPTION : '',
  }))
}

const withRef = (todos: Todo[], ref: string) => todos.filter((t) => t.description.includes(todoMarker(ref)))

export async function carryOutEffects(
  port: BitrixPort,
  space: ContractSpace,
  record: ContractRecord,
  opts: EffectsOptions,
): Promise<EffectsReport> {
  const lang: MessageLang = messageLang(port.lang)
  // The app's own link (opens the approval view in a slider) when the install recorded the app's code; else the card.
  const url = port.portalOrigin.replace(/\/$/, '') + contractLinkPath(space.entityTypeId, record.id, space.appCode)
  const title = record.title || (record.number ?? `#${record.id}`)
  const due = pendingEffects(record).filter(({ event, effect }) => mayRun(event, effect, record, opts))
  const report: EffectsReport = { done: [], failed: [] }
  if (due.length === 0) return report

  const needsTodos = due.some(({ effect }) => effect.kind === 'todoOpen' || effect.kind === 'todoClose')
  const todos = needsTodos ? await listTodos(port, space, record.id) : []
  // Deadlines go out in each recipient's own time zone (user.get TIME_ZONE).
  const zones = await timeZonesOf(port, due.flatMap(({ effect }) => (effect.kind === 'notify' && effect.deadline ? [effect.userId] : [])))
  // The seats waiting now, by the whole log: a replayed open of a seat a later event already
  // ended opens nothing, and a replayed close never touches a seat that is waiting again.
  const now = project(record.stored.log)
  const waiting = new Set(now.currentStep === null ? [] : now.currentApprovers.map((u) => todoRef(now.round, now.currentStep as number, u, now.revision)))
  // Our own events' timeline entries: a retried request may have left one twice (attest.ts).
  const ownEntries = due.filter(({ event, effect }) => effect.kind === 'timeline' && opts.ownEventIds.has(event.id)).map(({ event }) => event.id)

  // Effect key → the batch commands that carry it out (none: already true in the portal).
  const plan = new Map<string, Record<string, BatchCommand>>()
  let n = 0
  const cmd = (c: BatchCommand) => ({ [`c${n++}`]: c })
  for (const { event, effect } of due) {
    switch (effect.kind) {
      case 'todoClose': {
        const open = waiting.has(effect.todoRef) ? [] : withRef(todos, effect.todoRef).filter((t) => !t.completed)
        plan.set(effect.key, Object.assign({}, ...open.map((t) => cmd({ method: 'crm.activity.update', params: { id: t.id, fields: { COMPLETED: 'Y' } } }))))
        break
      }
      case 'todoOpen': {
        if (!waiting.has(effect.todoRef) || withRef(todos, effect.todoRef).length > 0) {
          plan.set(effect.key, {})
          break
        }
        const texts = todoTexts(effect as TodoEffect, lang, title, url)
        plan.set(effect.key, cmd({
          method: 'crm.activity.todo.add',
          params: {
            ownerTypeId: space.entityTypeId, ownerId: record.id, responsibleId: effect.userId, title: texts.title,
            description: texts.description, deadline: effect.deadline ?? new Date(Date.now() + 86_400_000).toISOString(),
            // Bitrix24's own reminders before the deadline (crm-activity-todo-add.md `pingOffsets`).
            ...(effect.pingOffsets?.length ? { pingOffsets: [...effect.pingOffsets] } : {}),
          },
        }))
        break
      }
      case 'notify': {
        const m = notifyMessage(effect, lang, title, url, event.type, zones.get(effect.userId) ?? null)
        plan.set(effect.key, cmd({
          method: 'im.notify.system.add',
          params: { USER_ID: effect.userId, MESSAGE: m.message, MESSAGE_OUT: m.messageOut, TAG: `CA|${record.id}|${effect.key}`, SUB_TAG: `CA|${record.id}` },
        }))
        break
      }
      case 'timeline':
        // The event's writer left its timeline entry BEFORE writing the event (attest.ts): it is
        // what confirms the event, and nobody else can leave it for them.
        plan.set(effect.key, {})
        break
    }
  }

  const all = [...plan.entries()].flatMap(([key, cmds]) => Object.entries(cmds).map(([name, c]) => ({ key, name, c })))
  const errors = new Map<string, AppError>()
  for (let i = 0; i < all.length; i += BATCH) {
    const chunk = all.slice(i, i + BATCH)
    const outcome = await port.batch(Object.fromEntries(chunk.map((x) => [x.name, x.c])))
    for (const x of chunk) {
      const err = outcome.errors[x.name]
      if (err && !errors.has(x.key)) errors.set(x.key, err)
    }
  }
  for (const key of plan.keys()) {
    const err = errors.get(key)
    if (err) report.failed.push({ key, error: err })
    else report.done.push(key)
  }

  // A to-do added twice (two writers at once, or a retried request the portal had carried out).
  if (all.some((x) => x.c.method === 'crm.activity.todo.add') || hasDuplicates(todos)) await dropDuplicateTodos(port, space, record.id)
  if (ownEntries.length) await dropDuplicateEntries(port, space, record.id, new Set(ownEntries))
  return report
}

/** Recipients' time zones, one user.get for all; none known when it fails (texts then say UTC). */
async function timeZonesOf(port: BitrixPort, ids: readonly number[]): Promise<Map<number, string>> {
  const zones = new Map<number, string>()
  const unique = [...new Set(ids)]
  if (unique.length === 0) return zones
  try {
    const rows = await port.call<Record<string, unknown>[]>('user.get', { FILTER: { ID: unique } })
    for (const r of Array.isArray(rows) ? rows : []) {
      if (typeof r.TIME_ZONE === 'string' && r.TIME_ZONE !== '') zones.set(Number(r.ID), r.TIME_ZONE)
    }
  } catch {
    // The notification still goes, its deadline in UTC.
  }
  return zones
}

function hasDuplicates(todos: readonly Todo[]): boolean {
  const refs = todos.map((t) => /\[ca:([^\]]+)\]/.exec(t.description)?.[1]).filter((r): r is string => r !== undefined)
  return new Set(refs).size < refs.length
}

/**
 * An event's entry left twice (the SDK sends a request again when its answer was lost, though
 * the portal had carried it out): the later copies go. The app may delete the entries it made.
 */
async function dropDuplicateEntries(port: BitrixPort, space: ContractSpace, itemId: number, eventIds: ReadonlySet<string>): Promise<void> {
  const pages = entriesFrom(await port.batch(entryCommands(space.entityTypeId, itemId)))
  if (pages.error) throw pages.error
  const first = new Map<string, number>()
  const extra: number[] = []
  for (const t of [...pages.entries].sort((a, b) => a.id - b.id)) {
    for (const m of markersIn(t.text)) {
      if (!eventIds.has(m.eventId)) continue
      const key = `${m.eventId}|${t.authorId}`
      if (first.has(key)) extra.push(t.id)
      else first.set(key, t.id)
    }
  }
  const cmds = Object.fromEntries(extra.slice(0, BATCH).map((id) => [`x${id}`, { method: 'crm.timeline.logmessage.delete', params: { id } }]))
  // Someone else may have deleted the same copy already: NOT_FOUND is fine here.
  if (extra.length) await port.batch(cmds)
}

/** Two writers opened the same seat's to-do at once: keep the oldest, delete the rest. */
async function dropDuplicateTodos(port: BitrixPort, space: ContractSpace, itemId: number): Promise<void> {
  const todos = await listTodos(port, space, itemId)
  const byRef = new Map<string, Todo[]>()
  for (const t of todos) {
    const m = /\[ca:([^\]]+)\]/.exec(t.description)
    if (!m?.[1]) continue
    byRef.set(m[1], [...(byRef.get(m[1]) ?? []), t])
  }
  const extra: Record<string, BatchCommand> = {}
  for (const list of byRef.values()) {
    if (list.length < 2) continue
    const keep = Math.min(...list.map((t) => t.id))
    for (const t of list) if (t.id !== keep) extra[`d${t.id}`] = { method: 'crm.activity.delete', params: { id: t.id } }
  }
  const names = Object.keys(extra)
  for (let i = 0; i < names.length; i += BATCH) {
    // Someone else may have deleted the same duplicate already: NOT_FOUND is fine here.
    await port.batch(Object.fromEntries(names.slice(i, i + BATCH).map((k) => [k, extra[k] as BatchCommand])))
  }
}
