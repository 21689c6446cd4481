/** crm.timeline.logmessage.*, crm.timeline.comment.*, and to-dos (crm.activity.todo.* / crm.activity.*). */
import type { Call, MethodTable } from '../../core/context.ts'
import type { Activity, LogMessage, TimelineComment } from '../../core/db.ts'
import { nextId } from '../../core/db.ts'
import { accessDenied, badRequest, invalidArg, notFound } from '../../core/errors.ts'
import { applySelect, listRows } from '../../core/listing.ts'
import { isoDateTime, isoPortal } from '../../core/time.ts'
import { canRead, canWrite } from '../rights.ts'
import { storeFile } from '../files.ts'

/** The owner item when it is one we keep; rights are checked on it. Unknown owners → NOT_FOUND. */
function checkOwner(call: Call, entityTypeId: number, entityId: number, write: boolean): void {
  const bucket = call.ctx.db.crm.items[String(entityTypeId)]
  const item = bucket?.[String(entityId)]
  if (!item) throw notFound(`Element ${entityTypeId}/${entityId} not found`)
  if (!(write ? canWrite(call.user, item, call.ctx.db) : canRead(call.user, item, call.ctx.db))) throw accessDenied()
}

/** Which app context a call runs in: an OAuth/frame token is the app's, a webhook is its own. */
function creatorOf(call: Call): string {
  return call.auth === 'webhook' ? `webhook:${call.user.ID}` : `app:${call.ctx.db.app.clientId}`
}

const ENTITY_TYPES: Record<string, number> = { lead: 1, deal: 2, contact: 3, company: 4 }
function entityTypeOfName(name: string): number {
  const n = name.toLowerCase()
  const m = /^dynamic_(\d+)$/.exec(n)
  return m ? Number(m[1]) : ENTITY_TYPES[n] ?? NaN
}

function logOut(m: LogMessage): Record<string, unknown> {
  return { id: m.id, created: m.created, authorId: m.authorId, title: m.title, text: m.text, iconCode: m.iconCode }
}

/** Pixel size of a GIF or PNG (what Bitrix24 reports as `image`), else null. */
function imageSize(base64: string): { width: number; height: number } | null {
  const b = Buffer.from(base64.slice(0, 64), 'base64')
  if (b.subarray(0, 3).toString('latin1') === 'GIF' && b.length >= 10) return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) }
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
  return null
}

function commentOut(call: Call, c: TimelineComment): Record<string, unknown> {
  const files: Record<string, unknown> = {}
  for (const id of c.FILES) {
    const f = call.ctx.db.files[String(id)]
    if (!f) continue
    const author = call.ctx.db.users.find((u) => u.ID === c.AUTHOR_ID)
    const url = `${call.ctx.origin}/disk/downloadFile/${id}/?&ncc=1&filename=${encodeURIComponent(f.name)}`
    files[String(id)] = {
      id, date: c.CREATED, type: imageSize(f.content) ? 'image' : 'file', name: f.name, size: f.size, image: imageSize(f.content), authorId: c.AUTHOR_ID,
      authorName: author ? `${author.NAME} ${author.LAST_NAME}` : '', urlPreview: url, urlShow: url, urlDownload: url,
    }
  }
  return { ID: String(c.ID), ENTITY_ID: String(c.ENTITY_ID), ENTITY_TYPE: c.ENTITY_TYPE, CREATED: c.CREATED, COMMENT: c.COMMENT, AUTHOR_ID: String(c.AUTHOR_ID), FILES: Object.keys(files).length ? files : [] }
}

function activityOut(a: Activity): Record<string, unknown> {
  return {
    ID: String(a.id), OWNER_ID: String(a.ownerId), OWNER_TYPE_ID: String(a.ownerTypeId), TYPE_ID: a.typeId, PROVIDER_ID: a.providerId,
    PROVIDER_TYPE_ID: 'TODO', PROVIDER_GROUP_ID: null, ASSOCIATED_ENTITY_ID: '0', SUBJECT: a.subject, CREATED: a.created,
    LAST_UPDATED: a.lastUpdated, START_TIME: a.created, END_TIME: a.deadline, DEADLINE: a.deadline, COMPLETED: a.completed,
    STATUS: a.completed === 'Y' ? '2' : '1', RESPONSIBLE_ID: String(a.responsibleId), PRIORITY: '2', NOTIFY_TYPE: '0', NOTIFY_VALUE: '0',
    DESCRIPTION: a.description, DESCRIPTION_TYPE: '1', DIRECTION: '0', LOCATION: '', SETTINGS: [], ORIGINATOR_ID: null, ORIGIN_ID: null,
    AUTHOR_ID: String(a.authorId), EDITOR_ID: String(a.authorId), PROVIDER_PARAMS: [], PROVIDER_DATA: null,
  }
}

function getActivity(call: Call, write: boolean): Activity {
  const a = call.ctx.db.crm.activities.find((x) => x.id === Number(call.params.id))
  if (!a) throw notFound('Activity is not found')
  const item = call.ctx.db.crm.items[String(a.ownerTypeId)]?.[String(a.ownerId)]
  const allowed = a.responsibleId === call.user.ID || (item !== undefined && (write ? canWrite(call.user, item, call.ctx.db) : canRead(call.user, item, call.ctx.db)))
  if (!allowed) throw accessDenied('Access denied')
  return a
}

function deadlineIn(v: unknown): string {
  const iso = isoDateTime(String(v ?? ''))
  if (iso === null) throw invalidArg('deadline is not a valid date')
  return iso
}

export const timelineMethods: MethodTable = {
  'crm.timeline.logmessage.add'(call) {
    const f = (call.params.fields ?? {}) as Record<string, unknown>
    const etid = Number(f.entityTypeId)
    const eid = Number(f.entityId)
    if (!etid || !eid || !f.title || !f.text) throw invalidArg('entityTypeId, entityId, title and text are required')
    // crm-timeline-logmessage-add.md: needs edit rights on the item; the author is the caller
    // (from the token) whatever `fields` says.
    checkOwner(call, etid, eid, true)
    const m: LogMessage = {
      id: nextId(call.ctx.db, 'logMessage', 42000), entityTypeId: etid, entityId: eid, created: isoPortal(), authorId: call.user.ID,
      title: String(f.title), text: String(f.text), iconCode: String(f.iconCode ?? 'info'), creator: creatorOf(call),
    }
    call.ctx.db.crm.logMessages.push(m)
    call.ctx.save()
    return { result: { logMessage: logOut(m) } }
  },
  'crm.timeline.logmessage.get'(call) {
    const m = call.ctx.db.crm.logMessages.find((x) => x.id === Number(call.params.id))
    if (!m) throw notFound('Log message not found')
    checkOwner(call, m.entityTypeId, m.entityId, false)
    return { result: { logMessage: logOut(m) } }
  },
  /**
   * crm-timeline-logmessage-delete.md: edit rights on the item, and only the app that created the
   * entry (REMOVING_DISABLED otherwise). There is no update method: entries cannot be edited.
   */
  'crm.timeline.logmessage.delete'(call) {
    const id = Number(call.params.id)
    if (!id) throw invalidArg('id is required')
    const m = call.ctx.db.crm.logMessages.find((x) => x.id === id)
    if (!m) throw notFound(`Timeline logmessage not found for id ${id}`)
    checkOwner(call, m.entityTypeId, m.entityId, true)
    if ((m.creator ?? `app:${call.ctx.db.app.clientId}`) !== creatorOf(call)) {
      throw badRequest('REMOVING_DISABLED', 'Timeline logmessage was created by another application')
    }
    call.ctx.db.crm.logMessages = call.ctx.db.crm.logMessages.filter((x) => x !== m)
    call.ctx.save()
    return { result: true }
  },
  'crm.timeline.logmessage.list'(call) {
    const etid = Number(call.params.entityTypeId)
    const eid = Number(call.params.entityId)
    checkOwner(call, etid, eid, false)
    const rows = call.ctx.db.crm.logMessages.filter((m) => m.entityTypeId === etid && m.entityId === eid).map(logOut)
    // Documented page size of this method is 10.
    // Entries written in the same second keep their order through the id, in the same direction.
    const order = { ...((call.params.order as Record<string, string> | undefined) ?? { created: 'desc' }) }
    if (!('id' in order)) order.id = String(Object.values(order)[0] ?? 'desc')
    const page = listRows(rows, { order, start: call.params.start }, { pageSize: 10 })
    return { result: page.items, total: page.total, next: page.next }
  },
  'crm.timeline.comment.add'(call) {
    const f = (call.params.fields ?? {}) as Record<string, unknown>
    const type = String(f.ENTITY_TYPE ?? '')
    const etid = entityTypeOfName(type)
    const eid = Number(f.ENTITY_ID)
    if (!etid || !eid || !f.COMMENT) throw invalidArg('ENTITY_ID, ENTITY_TYPE and COMMENT are required')
    checkOwner(call, etid, eid, false)
    const files = Array.isArray(f.FILES) ? f.FILES.map((x) => storeFile(call.ctx, String((x as unknown[])[0]), String((x as unknown[])[1]), null)) : []
    const c: TimelineComment = {
      ID: nextId(call.ctx.db, 'comment', 1000), ENTITY_ID: eid, ENTITY_TYPE: type.toLowerCase(), CREATED: isoPortal(),
      COMMENT: String(f.COMMENT), AUTHOR_ID: f.AUTHOR_ID ? Number(f.AUTHOR_ID) : call.user.ID, FILES: files,
    }
    call.ctx.db.crm.comments.push(c)
    call.ctx.save()
    return { result: c.ID }
  },
  'crm.timeline.comment.list'(call) {
    const filter = (call.params.filter ?? {}) as Record<string, unknown>
    const etid = entityTypeOfName(String(filter.ENTITY_TYPE ?? ''))
    const eid = Number(filter.ENTITY_ID)
    if (!etid || !eid) throw invalidArg('filter ENTITY_ID and ENTITY_TYPE are required')
    checkOwner(call, etid, eid, false)
    const rows = call.ctx.db.crm.comments.filter((c) => c.ENTITY_ID === eid && entityTypeOfName(c.ENTITY_TYPE) === etid).map((c) => commentOut(call, c))
    const page = listRows(rows, { order: call.params.order, start: call.params.start })
    const items = page.items.map((r) => applySelect(r, call.params.select, () => false, true))
    return { result: items, total: page.total, next: page.next }
  },

  'crm.activity.todo.add'(call) {
    const p = call.params
    const ownerTypeId = Number(p.ownerTypeId)
    const ownerId = Number(p.ownerId)
    if (!ownerTypeId || !ownerId) throw invalidArg('ownerTypeId and ownerId are required')
    // crm-activity-todo-add.md: adding a to-do needs edit rights on the item.
    checkOwner(call, ownerTypeId, ownerId, true)
    const now = isoPortal()
    const a: Activity = {
      id: nextId(call.ctx.db, 'activity', 900), ownerTypeId, ownerId, typeId: '6', providerId: 'CRM_TODO', subject: String(p.title ?? ''),
      description: String(p.description ?? ''), deadline: deadlineIn(p.deadline), responsibleId: Number(p.responsibleId ?? call.user.ID),
      authorId: call.user.ID, completed: 'N', created: now, lastUpdated: now,
      pingOffsets: Array.isArray(p.pingOffsets) ? p.pingOffsets.map(Number) : [], colorId: p.colorId === undefined ? null : String(p.colorId),
    }
    call.ctx.db.crm.activities.push(a)
    call.ctx.save()
    return { result: { id: a.id } }
  },
  'crm.activity.todo.update'(call) {
    const a = getActivity(call, true)
    const p = call.params
    if (p.title !== undefined) a.subject = String(p.title)
    if (p.description !== undefined) a.description = String(p.description)
    if (p.deadline !== undefined) a.deadline = deadlineIn(p.deadline)
    if (p.responsibleId !== undefined) a.responsibleId = Number(p.responsibleId)
    a.lastUpdated = isoPortal()
    call.ctx.save()
    return { result: { id: a.id } }
  },
  'crm.activity.todo.updatedeadline'(call) {
    const a = getActivity(call, true)
    a.deadline = deadlineIn(call.params.value)
    call.ctx.save()
    return { result: { id: a.id } }
  },
  'crm.activity.get'(call) {
    return { result: activityOut(getActivity(call, false)) }
  },
  'crm.activity.list'(call) {
    const visible = call.ctx.db.crm.activities.filter((a) => {
      const item = call.ctx.db.crm.items[String(a.ownerTypeId)]?.[String(a.ownerId)]
      return a.responsibleId === call.user.ID || (item !== undefined && canRead(call.user, item, call.ctx.db))
    })
    const page = listRows(visible.map(activityOut), call.params)
    return { result: page.items.map((r) => applySelect(r, call.params.select, () => false, true)), total: page.total, next: page.next }
  },
  /** The documented way to close a to-do: `fields: {COMPLETED: 'Y'}`. */
  'crm.activity.update'(call) {
    const a = getActivity(call, true)
    const f = (call.params.fields ?? {}) as Record<string, unknown>
    if (f.COMPLETED !== undefined) a.completed = f.COMPLETED === 'Y' || f.COMPLETED === true ? 'Y' : 'N'
    if (f.SUBJECT !== undefined) a.subject = String(f.SUBJECT)
    if (f.DESCRIPTION !== undefined) a.description = String(f.DESCRIPTION)
    if (f.RESPONSIBLE_ID !== undefined) a.responsibleId = Number(f.RESPONSIBLE_ID)
    if (f.DEADLINE !== undefined) a.deadline = deadlineIn(f.DEADLINE)
    a.lastUpdated = isoPortal()
    call.ctx.save()
    return { result: true }
  },
  'crm.activity.delete'(call) {
    const a = getActivity(call, true)
    call.ctx.db.crm.activities = call.ctx.db.crm.activities.filter((x) => x !== a)
    call.ctx.save()
    return { result: true }
  },
}
