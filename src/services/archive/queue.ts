/**
 * The queue that calls: when a contract reaches "awaiting originals" each archivist gets a
 * notification and a CRM to-do in its card; when the originals are received (and the contract
 * filed) those to-dos are closed. The author gets a reminder on the archivist's click.
 *
 * Each is idempotent the portal's way: a notification carries a TAG (Bitrix24 replaces an
 * earlier one with the same tag), a to-do carries a marker in its description and is opened
 * only when no to-do with that marker exists, and closed only while open.
 */
import type { BatchCommand, BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { bbSafe, messageLang } from '../approval/messages.ts'
import { ARCHIVISTS_OPTION, parseArchivists, type Archivists } from '../../domain/archive.ts'
import { cardPath } from '../../domain/schema.ts'
import { createTranslator, type Locale, type Translate } from '../../locales/index.ts'
import ruArchive from '../../locales/ru/archive.json'
import enArchive from '../../locales/en/archive.json'

const T: Record<Locale, Translate> = {
  ru: createTranslator('ru', ruArchive),
  en: createTranslator('en', enArchive),
}

/** Marker of an archivist's "bring in the originals" to-do. */
export const originalsMarker = (userId: number) => `[ca:orig-u${userId}]`
const ANY_ORIGINALS_MARKER = '[ca:orig-u'

export interface QueueContract {
  readonly id: number
  readonly title: string
  readonly number: string | null
  readonly authorName?: string | null
}

interface Todo {
  id: number
  completed: boolean
  description: string
}

/** The archivists as the frame brought them, else as the portal has them now. */
export async function readArchivists(port: BitrixPort): Promise<Archivists> {
  const fromFrame = port.initialAppOptions?.[ARCHIVISTS_OPTION]
  if (fromFrame !== undefined) return parseArchivists(fromFrame)
  return parseArchivists(await port.appOption(ARCHIVISTS_OPTION))
}

async function todosOf(port: BitrixPort, space: ContractSpace, itemId: number): Promise<Todo[]> {
  const rows = await port.list<Record<string, unknown>>('crm.activity.list', {
    filter: { OWNER_TYPE_ID: space.entityTypeId, OWNER_ID: itemId, PROVIDER_ID: 'CRM_TODO' },
    select: ['ID', 'COMPLETED', 'DESCRIPTION'],
  })
  return rows.map((r) => ({ id: Number(r.ID), completed: r.COMPLETED === 'Y', description: typeof r.DESCRIPTION === 'string' ? r.DESCRIPTION : '' }))
}

function urlOf(port: BitrixPort, space: ContractSpace, id: number): string {
  return port.portalOrigin.replace(/\/$/, '') + cardPath(space.entityTypeId, id)
}

function label(c: QueueContract): string {
  return c.number ? `№ ${c.number} ${c.title}`.trim() : c.title || `#${c.id}`
}

/** Notifies each archivist and opens her to-do (once). Returns the archivists called. */
export async function callArchivists(port: BitrixPort, space: ContractSpace, c: QueueContract, archivists: Archivists, actorId: number): Promise<number[]> {
  const ids = archivists.userIds.filter((id) => id > 0)
  if (ids.length === 0) return []
  const t = T[messageLang(port.lang)]
  const url = urlOf(port, space, c.id)
  const name = label(c)
  const todos = await todosOf(port, space, c.id)
  const cmds: Record<string, BatchCommand> = {}
  for (const uid of ids) {
    if (uid !== actorId) {
      cmds[`n${uid}`] = {
        method: 'im.notify.system.add',
        params: {
          USER_ID: uid,
          MESSAGE: `${t('archive.portal.due')}: [URL=${url}]${bbSafe(name)}[/URL]${c.authorName ? `\n${t('archive.portal.bringsIt')}: ${bbSafe(c.authorName)}` : ''}`,
          MESSAGE_OUT: `${t('archive.portal.due')}: ${name} ${url}`,
          TAG: `CA|${c.id}|orig|${uid}`, SUB_TAG: `CA|${c.id}`,
        },
      }
    }
    if (!todos.some((x) => x.description.includes(originalsMarker(uid)))) {
      cmds[`t${uid}`] = {
        method: 'crm.activity.todo.add',
        params: {
          ownerTypeId: space.entityTypeId, ownerId: c.id, responsibleId: uid,
          title: t('archive.portal.todoTitle', { title: name }),
          description: `${t('archive.portal.todoText')}\n${url}\n${originalsMarker(uid)}`,
          deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        },
      }
    }
  }
  if (Object.keys(cmds).length) await port.batch(cmds)
  return ids
}

/** Closes the archivists' open "originals" to-dos of a contract (its paper is in). */
export async function closeArchivistTodos(port: BitrixPort, space: ContractSpace, itemId: number): Promise<number> {
  const open = (await todosOf(port, space, itemId)).filter((x) => !x.completed && x.description.includes(ANY_ORIGINALS_MARKER))
  if (open.length === 0) return 0
  await port.batch(Object.fromEntries(open.map((x) => [`c${x.id}`, { method: 'crm.activity.update', params: { id: x.id, fields: { COMPLETED: 'Y' } } }])))
  return open.length
}

/** The archivist's one-click reminder to the author: bring the signed paper original. */
export async function remindAuthor(port: BitrixPort, space: ContractSpace, c: QueueContract, authorId: number, from: string): Promise<void> {
  const t = T[messageLang(port.lang)]
  const url = urlOf(port, space, c.id)
  const name = label(c)
  await port.call('im.notify.system.add', {
    USER_ID: authorId,
    MESSAGE: `${t('archive.portal.remind')}: [URL=${url}]${bbSafe(name)}[/URL]\n${t('archive.portal.remindBy')}: ${bbSafe(from)}`,
    MESSAGE_OUT: `${t('archive.portal.remind')}: ${name} ${url}`,
    // One reminder a day stays one notification: a second click that day replaces it.
    TAG: `CA|${c.id}|remind|${new Date().toISOString().slice(0, 10)}`, SUB_TAG: `CA|${c.id}`,
  })
}

/**
 * After a committed action (services/approval/actions.ts): the approval that reached "awaiting
 * originals" calls the archivists; the receipt that filed the contract closes their to-dos.
 * Best effort: the decision is stored whatever happens here.
 */
export async function afterArchiveStep(
  port: BitrixPort, space: ContractSpace, c: QueueContract & { stageCode: string | null }, intentType: string, actorId: number,
): Promise<void> {
  const run = intentType === 'approve' && c.stageCode === 'ORIGINALS'
    ? async () => {
      await callArchivists(port, space, c, await readArchivists(port), actorId)
      await dropDuplicateArchivistTodos(port, space, c.id)
    }
    : (intentType === 'receiveOriginal' || intentType === 'archive') && c.stageCode === 'SUCCESS'
      ? () => closeArchivistTodos(port, space, c.id)
      : null
  if (!run) return
  // Each step is idempotent, so a failed one is tried again: the paper must not wait unseen.
  for (let attempt = 0; ; attempt++) {
    try {
      await run()
      return
    } catch (e) {
      if (attempt + 1 >= QUEUE_TRIES) throw e
      await new Promise<void>((resolve) => setTimeout(resolve, QUEUE_PAUSE_MS * 2 ** attempt))
    }
  }
}

/** Tries of the archivists' call (or the close of their to-dos), and the first pause, doubling. */
const QUEUE_TRIES = 5
const QUEUE_PAUSE_MS = 500

/**
 * An archivist's to-do opened twice (the SDK sends a batch again when its answer was lost,
 * though the portal had carried it out): the oldest stays, the later copies go.
 */
async function dropDuplicateArchivistTodos(port: BitrixPort, space: ContractSpace, itemId: number): Promise<void> {
  const first = new Map<string, number>()
  const extra: Record<string, BatchCommand> = {}
  for (const t of [...await todosOf(port, space, itemId)].sort((a, b) => a.id - b.id)) {
    const marker = /\[ca:orig-u\d+\]/.exec(t.description)?.[0]
    if (!marker) continue
    if (first.has(marker)) extra[`d${t.id}`] = { method: 'crm.activity.delete', params: { id: t.id } }
    else first.set(marker, t.id)
  }
  // Someone else may have deleted the same copy already: NOT_FOUND is fine here.
  if (Object.keys(extra).length) await port.batch(extra)
}
