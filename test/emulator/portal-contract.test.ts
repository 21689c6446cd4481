/**
 * The portal contract: how Bitrix24 behaves where the app could wrongly assume otherwise. One
 * describe per behaviour, each naming the b24restdocs page it rests on. Runs against the emulator;
 * with B24_WEBHOOK_URL=https://<portal>/rest/<user>/<secret>/ the same file runs against a real
 * portal (read-only unless B24_ALLOW_WRITE=1; emulator-only parts are skipped with their reason).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { likeMatch } from '../../emulator/core/like.ts'
import { ufCamelName } from '../../emulator/core/ufnames.ts'
import { control, controlHeaders } from './helpers.ts'
import { ALLOW_WRITE, PEOPLE, REAL, emulatorOnly, ok, openTarget, writes, type Target } from './portal-contract/target.ts'

let t: Target
beforeAll(async () => {
  t = await openTarget()
}, 60_000)
afterAll(async () => {
  await t?.close()
})

const tokenOf = (userId: number): string => t.emu?.ctx.auth.issue(userId).accessToken ?? ''
const ids: { deal: number; type: number; etid: number; note: string } = { deal: 0, type: 0, etid: 0, note: '' }

/** A deal (and, on the emulator, a smart process with a string field) the write checks share. */
async function fixtures(): Promise<void> {
  if (ids.deal) return
  ids.deal = ok<{ item: { id: number } }>(await t.call('crm.item.add', { entityTypeId: 2, fields: { title: 'portal-contract check' } }), 'deal').item.id
  if (REAL) return
  const type = ok<{ type: { id: number; entityTypeId: number } }>(await t.call('crm.type.add', { fields: { title: 'Договоры (проверка)' } }), 'type').type
  Object.assign(ids, { type: type.id, etid: type.entityTypeId })
  ok(await t.call('userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${type.id}`, fieldName: `UF_CRM_${type.id}_NOTE`, userTypeId: 'string' } }), 'uf')
  ids.note = ufCamelName(`UF_CRM_${type.id}_NOTE`)
}

afterAll(async () => {
  if (REAL && ALLOW_WRITE && ids.deal) await t.call('crm.item.delete', { entityTypeId: 2, id: ids.deal })
})

describe('unknown filter/order keys are errors (api-reference/crm/universal/crm-item-list.md)', () => {
  it('crm.item.list with a filter key the entity lacks → HTTP 400 INVALID_ARG_VALUE', async () => {
    const r = await t.call('crm.item.list', { entityTypeId: 2, filter: { noSuchFieldAtAll: 1 } })
    expect([r.status, r.body.error]).toEqual([400, 'INVALID_ARG_VALUE'])
  })
  it('the same for an order key, and inside a logic group', async () => {
    expect((await t.call('crm.item.list', { entityTypeId: 2, order: { noSuchFieldAtAll: 'ASC' } })).body.error).toBe('INVALID_ARG_VALUE')
    const nested = await t.call('crm.item.list', { entityTypeId: 2, filter: { 0: { logic: 'OR', 0: { '>=noSuchField': 1 }, 1: { id: 1 } } } })
    expect(nested.body.error).toBe('INVALID_ARG_VALUE')
  })
  it('known keys with prefixes, in camelCase or UPPER_CASE, are accepted', async () => {
    expect((await t.call('crm.item.list', { entityTypeId: 2, filter: { '>id': 0, '!=STAGE_ID': 'X' }, order: { id: 'DESC' }, select: ['id'] })).status).toBe(200)
  })
  it('inside a batch it is that command\'s result_error, the batch itself is 200', async () => {
    const r = await t.call('batch', { halt: 0, cmd: { bad: 'crm.item.list?entityTypeId=2&filter[noSuchFieldAtAll]=1', good: 'crm.item.fields?entityTypeId=2' } })
    const b = ok<{ result: Record<string, unknown>; result_error: Record<string, { error: string }> }>(r, 'batch')
    expect(b.result_error.bad?.error).toBe('INVALID_ARG_VALUE')
    expect(b.result.good).toBeTypeOf('object')
  })
})

describe('a batch is one request for the leaky bucket (limits.md)', () => {
  const run = emulatorOnly('filling the bucket of a real portal would block every app behind this IP')
  run('a full bucket refuses the whole HTTP request with 503 QUERY_LIMIT_EXCEEDED, never per-command errors in a 200', async () => {
    await control(t.emu!, { rateLimit: { enabled: true, drainPerSec: 0.001, burst: 2 } })
    try {
      const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'server.time']))
      const full = await t.call('batch', { halt: 0, cmd })
      expect(full.status).toBe(200)
      expect(Object.keys((full.body.result as { result_error: object }).result_error)).toEqual([])
      expect((await t.call('server.time')).status).toBe(200)
      const refused = await t.call('batch', { halt: 0, cmd })
      expect([refused.status, refused.body.error]).toEqual([503, 'QUERY_LIMIT_EXCEEDED'])
      // One bucket per portal and caller IP: another user from the same address is refused too.
      expect((await t.call('server.time', {}, tokenOf(PEOPLE.ownSales))).status).toBe(503)
    } finally {
      await control(t.emu!, { rateLimit: { enabled: false }, reset: 'faults' })
    }
  })
  run('profiles: standard is 2/s with burst 50, enterprise 5/s with burst 250', async () => {
    const std = await control(t.emu!, { rateLimit: { profile: 'standard' } })
    expect(std.rateLimit).toMatchObject({ drainPerSec: 2, burst: 50, profile: 'standard' })
    const ent = await control(t.emu!, { rateLimit: { profile: 'enterprise', enabled: false } })
    expect(ent.rateLimit).toMatchObject({ drainPerSec: 5, burst: 250, profile: 'enterprise', enabled: false })
  })
})

describe('operating-time limit per method (limits.md, _includes/system-errors.md)', () => {
  it('every answer reports time.operating and time.operating_reset_at', async () => {
    const r = await t.call('server.time')
    expect(r.status).toBe(200)
    const time = r.body.time as Record<string, number>
    expect(time.operating).toBeTypeOf('number')
    expect(time.operating_reset_at).toBeTypeOf('number')
  })
  emulatorOnly('needs the operatingScale knob to spend 480 s')('past 480 s in 10 min the method answers 429 OPERATION_TIME_LIMIT, other methods keep working', async () => {
    await control(t.emu!, { operatingScale: 200_000 })
    try {
      let last = await t.call('profile')
      for (let i = 0; i < 10 && last.status === 200; i++) last = await t.call('profile')
      expect([last.status, last.body.error]).toEqual([429, 'OPERATION_TIME_LIMIT'])
      const other = await t.call('server.time')
      expect(other.status).toBe(200)
      const inBatch = ok<{ result_error: Record<string, { error: string }> }>(await t.call('batch', { cmd: { p: 'profile' } }), 'batch')
      expect(inBatch.result_error.p?.error).toBe('OPERATION_TIME_LIMIT')
    } finally {
      await control(t.emu!, { reset: 'faults' })
    }
    expect((await t.call('profile')).status).toBe(200)
  })
})

describe('$result substitution as the portal core does it (settings/how-to-call-rest-api/batch.md)', () => {
  it('a parameter that is exactly one reference gets the value itself (the documented department example)', async () => {
    const b = ok<{ result: { get_department: { ID: string }[]; get_user: { UF_DEPARTMENT: number[] } } }>(await t.call('batch', {
      halt: 0, cmd: { get_user: 'user.current', get_department: 'department.get?ID=$result[get_user][UF_DEPARTMENT][0]' },
    }), 'batch')
    expect(b.result.get_department.map((d) => Number(d.ID))).toEqual([b.result.get_user.UF_DEPARTMENT[0]])
  })
  writes('free text is altered; a missing path gives the last resolved parent, never \'\'', async () => {
    await fixtures()
    const title = 'Цена $result[me][ID] руб. и $result[me][NO_SUCH_KEY] конец'
    const b = ok<{ result: { me: { ID: string; NAME: string } } }>(await t.call('batch', { halt: 1, cmd: {
      me: 'user.current', upd: `crm.item.update?entityTypeId=2&id=${ids.deal}&fields[title]=${encodeURIComponent(title)}`,
    } }), 'batch')
    const got = ok<{ item: { title: string } }>(await t.call('crm.item.get', { entityTypeId: 2, id: ids.deal }), 'get').item.title
    // The resolved parent (the user object) is not a string, so its reference stays as written.
    expect(got).toBe(`Цена ${b.result.me.ID} руб. и $result[me][NO_SUCH_KEY] конец`)
  })
})

describe('department.get takes only its five top-level keys (api-reference/departments/department-get.md)', () => {
  const all = async (extra: Record<string, unknown> = {}): Promise<{ ids: string[]; total: number; next?: number }> => {
    const r = await t.call('department.get', extra)
    return { ids: ok<{ ID: string }[]>(r, 'department.get').map((d) => d.ID), total: Number(r.body.total), next: r.body.next as number | undefined }
  }
  it('a `filter` object and `>ID` prefixes are ignored: the answer is the unfiltered list', async () => {
    const plain = await all()
    expect((await all({ filter: { ID: 1 } })).ids).toEqual(plain.ids)
    expect((await all({ '>ID': 1 })).ids).toEqual(plain.ids)
  })
  it('ID, PARENT filter by exact value; sort/order are strings', async () => {
    expect((await all({ ID: 1 })).ids).toEqual(['1'])
    const desc = await all({ sort: 'ID', order: 'DESC' })
    expect(desc.ids.map(Number)).toEqual([...desc.ids.map(Number)].sort((a, b) => b - a))
  })
  it('pages of 50 by START; start=-1 is the first page again, so "page until no next" via >ID never ends', async () => {
    const first = await all()
    if (first.total <= 50) return // a small real portal: nothing to page
    expect(first.ids).toHaveLength(50)
    expect(first.next).toBe(50)
    const second = await all({ START: 50 })
    expect(second.ids[0]).not.toBe(first.ids[0])
    expect((await all({ start: -1 })).ids).toEqual(first.ids)
    expect((await all({ start: -1, '>ID': first.ids.at(-1) })).ids).toEqual(first.ids)
  })
})

describe('unknown paths never echo the path (_includes/system-errors.md)', () => {
  it('ERROR_METHOD_NOT_FOUND without the webhook secret or the method in error_description', async () => {
    const r = await t.raw('no.such.method.anywhere')
    expect([r.status, r.body.error]).toEqual([404, 'ERROR_METHOD_NOT_FOUND'])
    const secret = /\/rest\/\d+\/([^/]+)\//.exec(t.webhookUrl)?.[1] ?? '-'
    expect(JSON.stringify(r.body)).not.toContain(secret)
    expect(String(r.body.error_description)).not.toContain('no.such.method')
  })
})

describe('string user fields are a TEXT column (api-reference/crm/universal/userfieldconfig/userfieldconfig-add.md, settings of string)', () => {
  const run = emulatorOnly('needs a string user field of our own to write 70 KB into')
  run('a value over 65,535 bytes is cut at a character boundary, not refused', async () => {
    await fixtures()
    const item = ok<{ item: { id: number } }>(await t.call('crm.item.add', { entityTypeId: ids.etid, fields: { title: 'x' } }), 'add').item
    const value = 'ж'.repeat(35_000) // 70,000 bytes of two-byte characters
    const r = await t.call('crm.item.update', { entityTypeId: ids.etid, id: item.id, fields: { [ids.note]: value } })
    const stored = ok<{ item: Record<string, string> }>(r, 'update').item[ids.note] ?? ''
    expect(Buffer.byteLength(stored)).toBe(65_534)
    expect(stored).toBe('ж'.repeat(32_767))
  })
  it('UF_CRM_{typeId}_X names follow the documented camelCase rule (api-reference/crm/universal/index.md)', () => {
    expect(ufCamelName('UF_CRM_3_DIGIT')).toBe('ufCrm3Digit')
    expect(ufCamelName('UF_CRM_3_DIGIT10')).toBe('ufCrm_3_DIGIT10')
    expect(ufCamelName('UF_CRM_3_DIGIT_10')).toBe('ufCrm_3_DIGIT_10')
    expect(ufCamelName('UF_CRM_3_1747309727')).toBe('ufCrm3_1747309727')
    expect(ufCamelName('UF_CRM_1747309879')).toBe('ufCrm_1747309879')
    expect(ufCamelName('UF_CRM_10_5186744711')).toBe('ufCrm10_5186744711')
  })
})

describe('companies and contacts have their own fields (api-reference/crm/universal/crm-item-fields.md)', () => {
  it('a company has title but no stageId/opportunity; a contact has name, lastName, secondName and no title', async () => {
    const company = ok<{ fields: Record<string, unknown> }>(await t.call('crm.item.fields', { entityTypeId: 4 }), 'company').fields
    expect(company).toHaveProperty('title')
    expect(company).not.toHaveProperty('stageId')
    expect(company).not.toHaveProperty('opportunity')
    const contact = ok<{ fields: Record<string, unknown> }>(await t.call('crm.item.fields', { entityTypeId: 3 }), 'contact').fields
    for (const k of ['name', 'lastName', 'secondName']) expect(contact).toHaveProperty(k)
    expect(contact).not.toHaveProperty('title')
    expect(contact).not.toHaveProperty('stageId')
  })
  it('filtering companies by a smart-process field is an unknown key', async () => {
    expect((await t.call('crm.item.list', { entityTypeId: 4, filter: { stageId: 'NEW' } })).body.error).toBe('INVALID_ARG_VALUE')
  })
})

describe('rights as documented (api-reference/crm/timeline/logmessage/, api-reference/crm/timeline/activities/todo/crm-activity-todo-add.md)', () => {
  const run = emulatorOnly('needs several users with different CRM rights; a webhook is one user')
  const deal = async (assignedById: number): Promise<number> =>
    ok<{ item: { id: number } }>(await t.call('crm.item.add', { entityTypeId: 2, fields: { title: 'rights', assignedById } }), 'deal').item.id
  run('`own` reads and edits only what is assigned to or created by the user', async () => {
    const mine = await deal(PEOPLE.ownSales)
    const theirs = await deal(PEOPLE.ownPurchasing)
    const tok = tokenOf(PEOPLE.ownSales)
    expect((await t.call('crm.item.get', { entityTypeId: 2, id: mine }, tok)).status).toBe(200)
    expect((await t.call('crm.item.get', { entityTypeId: 2, id: theirs }, tok)).body.error).toBe('ACCESS_DENIED')
    expect((await t.call('crm.item.update', { entityTypeId: 2, id: theirs, fields: { title: 'x' } }, tok)).body.error).toBe('ACCESS_DENIED')
  })
  run('`department` also reads and edits items of colleagues in the same department', async () => {
    const colleague = await deal(PEOPLE.ownSales)
    const other = await deal(PEOPLE.ownPurchasing)
    const tok = tokenOf(PEOPLE.deptSales)
    expect((await t.call('crm.item.update', { entityTypeId: 2, id: colleague, fields: { title: 'y' } }, tok)).status).toBe(200)
    expect((await t.call('crm.item.get', { entityTypeId: 2, id: other }, tok)).body.error).toBe('ACCESS_DENIED')
    const listed = ok<{ items: { id: number }[] }>(await t.call('crm.item.list', { entityTypeId: 2, select: ['id'] }, tok), 'list').items.map((i) => i.id)
    expect(listed).toContain(colleague)
    expect(listed).not.toContain(other)
  })
  run('logmessage.add and activity.todo.add need edit rights on the item, reading is not enough', async () => {
    const id = await deal(PEOPLE.ownPurchasing)
    t.emu!.ctx.db.users.find((u) => u.ID === PEOPLE.ownSales)!.crmRead = 'all'
    try {
      const tok = tokenOf(PEOPLE.ownSales)
      expect((await t.call('crm.item.get', { entityTypeId: 2, id }, tok)).status).toBe(200)
      const log = await t.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 2, entityId: id, title: 't', text: 'x' } }, tok)
      expect(log.body.error).toBe('ACCESS_DENIED')
      const todo = await t.call('crm.activity.todo.add', { ownerTypeId: 2, ownerId: id, deadline: '2030-01-01T10:00:00', title: 't' }, tok)
      expect(todo.body.error).toBe('ACCESS_DENIED')
    } finally {
      t.emu!.ctx.db.users.find((u) => u.ID === PEOPLE.ownSales)!.crmRead = 'own'
    }
  })
  writes('a log entry\'s authorId is the caller, whatever the fields say; there is no update method', async () => {
    await fixtures()
    const r = await t.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 2, entityId: ids.deal, title: 't', text: 'x', authorId: 999 } })
    const m = ok<{ logMessage: { id: number; authorId: number } }>(r, 'add').logMessage
    expect(Number(m.authorId)).toBe(t.hookUserId)
    expect((await t.call('crm.timeline.logmessage.update', { id: m.id, fields: { text: 'y' } })).body.error).toBe('ERROR_METHOD_NOT_FOUND')
    expect(ok<boolean>(await t.call('crm.timeline.logmessage.delete', { id: m.id }), 'delete')).toBe(true)
  })
  run('only the context that created an entry may delete it: REMOVING_DISABLED for another app (crm-timeline-logmessage-delete.md)', async () => {
    await fixtures()
    const byApp = ok<{ logMessage: { id: number } }>(await t.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 2, entityId: ids.deal, title: 't', text: 'x' } }, tokenOf(PEOPLE.admin)), 'add').logMessage
    const viaHook = await t.call('crm.timeline.logmessage.delete', { id: byApp.id })
    expect([viaHook.status, viaHook.body.error]).toEqual([400, 'REMOVING_DISABLED'])
    expect((await t.call('crm.timeline.logmessage.delete', { id: byApp.id }, tokenOf(PEOPLE.admin))).status).toBe(200)
  })
})

describe('field visibility: userfieldconfig.add and the card layout (userfieldconfig-add.md, item-details-configuration/)', () => {
  emulatorOnly('creates a user field; the app\'s real-portal install test covers creation')('userfieldconfig.add does not process showInList, listColumnLabel, listFilterLabel, errorMessage', async () => {
    await fixtures()
    const f = ok<{ field: Record<string, unknown> }>(await t.call('userfieldconfig.add', { moduleId: 'crm', field: {
      entityId: `CRM_${ids.type}`, fieldName: `UF_CRM_${ids.type}_HIDDEN`, userTypeId: 'string', showInList: 'N',
      listColumnLabel: { ru: 'Колонка' }, listFilterLabel: { ru: 'Фильтр' }, errorMessage: { ru: 'Ошибка' }, editFormLabel: { ru: 'Форма' },
    } }), 'add').field
    expect(f.showInList).toBe('Y')
    expect((f.listColumnLabel as Record<string, unknown>).ru).toBeNull()
    expect((f.listFilterLabel as Record<string, unknown>).ru).toBeNull()
    expect((f.errorMessage as Record<string, unknown>).ru).toBeNull()
    expect((f.editFormLabel as Record<string, unknown>).ru).toBe('Форма')
  })
  it('configuration.get answers a section list or null; optionFlags are strings', async () => {
    const r = ok<unknown>(await t.call('crm.item.details.configuration.get', { entityTypeId: 2, scope: 'C' }), 'get')
    expect(r === null || Array.isArray(r)).toBe(true)
  })
  emulatorOnly('changes the card layout of every user')('set (common scope) / get / reset, admin-only for the common scope, readable in-process by the shell', async () => {
    const data = [{ name: 'main', title: 'О договоре', type: 'section', elements: [{ name: 'TITLE', optionFlags: 1 }, { name: 'OPPORTUNITY_WITH_CURRENCY' }] }]
    expect((await t.call('crm.item.details.configuration.set', { entityTypeId: 2, scope: 'C', data }, tokenOf(PEOPLE.ownSales))).body.error_description).toBe('Access denied.')
    const bad = await t.call('crm.item.details.configuration.set', { entityTypeId: 2, scope: 'C', data: [{ name: 'x', title: 'y', type: 'block' }] })
    expect([bad.status, bad.body.error]).toEqual([400, ''])
    expect(ok<boolean>(await t.call('crm.item.details.configuration.set', { entityTypeId: 2, scope: 'C', data }), 'set')).toBe(true)
    const viaShell = await t.emu!.ctx.callAs(PEOPLE.ownSales, 'crm.item.details.configuration.get', { entityTypeId: 2, scope: 'C' })
    expect(viaShell.result).toEqual([{ name: 'main', title: 'О договоре', type: 'section', elements: [{ name: 'TITLE', optionFlags: '1' }, { name: 'OPPORTUNITY_WITH_CURRENCY', optionFlags: '0' }] }])
    expect((await t.emu!.ctx.callAs(PEOPLE.ownSales, 'crm.item.details.configuration.get', { entityTypeId: 2 })).result).toBeNull()
    ok(await t.call('crm.item.details.configuration.set', { entityTypeId: 2, data }, tokenOf(PEOPLE.ownSales)), 'personal set')
    ok(await t.call('crm.item.details.configuration.forceCommonScopeForAll', { entityTypeId: 2 }), 'force')
    expect((await t.emu!.ctx.callAs(PEOPLE.ownSales, 'crm.item.details.configuration.get', { entityTypeId: 2 })).result).toBeNull()
    ok(await t.call('crm.item.details.configuration.reset', { entityTypeId: 2, scope: 'C' }), 'reset')
    expect(ok<unknown>(await t.call('crm.item.details.configuration.get', { entityTypeId: 2, scope: 'C' }), 'get')).toBeNull()
  })

  writes('a layout set without extras is the default funnel\'s (crm-item-details-configuration-set.md, extras)', async () => {
    await fixtures()
    const types = ok<{ types: { entityTypeId: number }[] }>(await t.call('crm.type.list', {}), 'types').types
    const spa = ids.etid ? { entityTypeId: ids.etid } : types[0]
    expect(spa, 'a smart process to lay out').toBeDefined()
    if (!spa) return
    const cats = ok<{ categories: { id: number; isDefault: string }[] }>(await t.call('crm.category.list', { entityTypeId: spa.entityTypeId }), 'cats').categories
    const def = cats.find((c) => c.isDefault === 'Y')
    expect(def, 'the default funnel').toBeDefined()
    if (!def) return
    const data = [{ name: 'main', title: 'Главное', type: 'section', elements: [{ name: 'TITLE' }] }]
    const before = ok<unknown>(await t.call('crm.item.details.configuration.get', { entityTypeId: spa.entityTypeId, scope: 'C', extras: { categoryId: def.id } }), 'before')
    try {
      ok(await t.call('crm.item.details.configuration.set', { entityTypeId: spa.entityTypeId, scope: 'C', data }), 'set')
      const read = ok<{ name: string }[]>(await t.call('crm.item.details.configuration.get', { entityTypeId: spa.entityTypeId, scope: 'C', extras: { categoryId: def.id } }), 'get')
      expect(read?.[0]?.name).toBe('main')
    } finally {
      if (Array.isArray(before)) ok(await t.call('crm.item.details.configuration.set', { entityTypeId: spa.entityTypeId, scope: 'C', data: before }), 'restore')
      else ok(await t.call('crm.item.details.configuration.reset', { entityTypeId: spa.entityTypeId, scope: 'C' }), 'reset')
    }
  })
})

describe('emulator hardening (issue 8): LIKE, dev endpoints, durability, Bitrix24-style errors', () => {
  const run = emulatorOnly('concerns the emulator itself')
  it('a LIKE filter with many % on a long value answers at once (linear matcher)', async () => {
    const started = Date.now()
    expect(likeMatch('a'.repeat(20_000), `${'%a'.repeat(2_000)}%b`)).toBe(false)
    expect(likeMatch('Договор поставки', '%ПОСТ%')).toBe(true)
    const r = await t.call('crm.item.list', { entityTypeId: 2, filter: { '=%title': `${'%a'.repeat(500)}%` }, select: ['id'] })
    expect(r.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
  run('control and reset refuse cross-origin requests and want the token', async () => {
    const url = `${t.emu!.origin}/_emulator/control`
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { 'X-Emulator-Token': 'wrong' } })).status).toBe(401)
    expect((await fetch(url, { headers: { ...controlHeaders(t.emu!), Origin: 'http://evil.example' } })).status).toBe(403)
    expect((await fetch(url, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } })).status).toBe(403)
    expect((await fetch(`${t.emu!.origin}/_emulator/reset`, { method: 'POST', headers: { Origin: 'http://evil.example', 'X-Emulator-Token': t.emu!.controlToken } })).status).toBe(403)
    expect((await fetch(url, { headers: controlHeaders(t.emu!) })).status).toBe(200)
  })
  run('a 20,000-deep filter and a malformed % escape answer a Bitrix24-style 400/404, never 500', async () => {
    // Built as text: JSON.stringify itself would overflow on 20,000 levels.
    const deep = `{"entityTypeId":2,"filter":${'{"logic":"AND","0":'.repeat(20_000)}{"id":1}${'}'.repeat(20_000)}}`
    const res = await fetch(`${t.webhookUrl}crm.item.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: deep })
    const r = { status: res.status, body: (await res.json()) as Record<string, unknown> }
    expect(r.status).toBe(400)
    expect(['INVALID_ARG_VALUE', 'INVALID_REQUEST']).toContain(r.body.error)
    const form = `entityTypeId=2&filter${'[0]'.repeat(20_000)}[id]=1`
    const formRes = await fetch(`${t.webhookUrl}crm.item.list`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form })
    expect(formRes.status).toBe(400)
    const escape = await t.raw('crm.item.list%zz')
    expect([escape.status, escape.body.error]).toEqual([404, 'ERROR_METHOD_NOT_FOUND'])
    expect((await t.call('crm.item.list', { entityTypeId: 2, filter: { '=%title': '100%\\' } })).status).toBe(200)
  })
  run('an acknowledged write survives kill -9 of the emulator process', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'emu-kill-')), 'portal.json')
    const boot = async (): Promise<{ kill(): void; hook: string }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve('emulator/cli.ts'), '--port', '0', '--seed', 'none', '--data', dataFile, '--no-rate-limit'], {
        stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, EMULATOR_WEBHOOK_TOKEN: 'kill-test' },
      })
      const hook = await new Promise<string>((done, fail) => {
        let out = ''
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString()
          const m = /Admin webhook: (\S+)/.exec(out)
          if (m) done(m[1] as string)
        })
        child.once('exit', (code) => fail(new Error(`emulator exited ${code}`)))
      })
      return { kill: () => child.kill('SIGKILL'), hook }
    }
    const first = await boot()
    const set = await fetch(`${first.hook}app.option.set`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ options: { marker: 'acknowledged' } }) })
    expect(set.status).toBe(200)
    first.kill()
    const second = await boot()
    try {
      const got = await fetch(`${second.hook}app.option.get`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"option":"marker"}' })
      expect(((await got.json()) as { result: unknown }).result).toBe('acknowledged')
    } finally {
      second.kill()
    }
  }, 60_000)
})
