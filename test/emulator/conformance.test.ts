/**
 * Every documented request/response pair in ../shared/refdata/bitrix24-rest (copied from the
 * official docs) is replayed against the emulator: after creating whatever the request refers
 * to, the emulator must accept the documented request and answer with the documented shape.
 * Ids in requests are swapped for the ids of the records created here.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { shapeMismatches } from './shape.ts'

const REF_DIR = resolve(import.meta.dirname, '../../../shared/refdata/bitrix24-rest')
const files = existsSync(REF_DIR) ? readdirSync(REF_DIR).filter((f) => f.endsWith('.example.json')).sort() : []

interface Example {
  source: string
  method: string
  request: Record<string, unknown>
  response: Record<string, unknown>
}

/** Methods deliberately not emulated; the test asserts the emulator says so plainly. */
const EXCLUDED: Record<string, string> = {
  'bizproc.task.list': 'business processes are not used by the app; the emulator answers ERROR_METHOD_NOT_FOUND',
}

let emu: Emulator

async function call(method: string, params: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.adminWebhookUrl}${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function ok<T = Record<string, unknown>>(method: string, params: unknown): Promise<T> {
  const r = await call(method, params)
  if (r.status !== 200) throw new Error(`${method} failed in setup: ${JSON.stringify(r.body)}`)
  return r.body.result as T
}

/** Ids of the fixtures the documented requests refer to. */
const fx = { leadId: 0, dealId: 0, spaCategory177: 0, spaItem177: 0, spaFile177: 0 }

async function createFixtures(): Promise<void> {
  const ctx = emu.ctx
  // Users and departments have no REST create method; a portal simply has them.
  for (let id = 2; id <= 13; id++) {
    ctx.db.users.push({
      ID: id, ACTIVE: true, NAME: `Имя${id}`, LAST_NAME: `Фамилия${id}`, SECOND_NAME: '', EMAIL: `u${id}@example.com`, WORK_POSITION: 'Сотрудник',
      PERSONAL_PHOTO: null, UF_DEPARTMENT: [1], IS_ADMIN: false, crmRead: 'all', crmWrite: 'all', webhookSecret: `s${id}`, LANG: 'ru',
    })
  }
  for (const [id, name] of [[2, 'Бухгалтерия'], [3, 'Отдел продаж'], [4, 'Юридический отдел']] as const) {
    ctx.db.departments.push({ ID: id, NAME: name, SORT: 500, PARENT: 1, UF_HEAD: null })
  }
  // Smart processes the documented requests and responses mention; 177 gets type id 7 (CRM_7).
  const etids = [1220, 1222, 1226, 1228, 1236, 1238, 177, 1268, 1152, 1240, 1244, 1246, 1254, 1256, 1248]
  for (const [i, entityTypeId] of etids.entries()) {
    await ok('crm.type.add', { fields: { title: `Smart Process #${i + 1}0`, entityTypeId, isCategoriesEnabled: 'Y', isClientEnabled: 'Y' } })
  }
  const type177 = (await ok<{ type: { id: number } }>('crm.type.getByEntityTypeId', { entityTypeId: 177 })).type
  expect(type177.id).toBe(7)
  const cat = await ok<{ category: { id: number } }>('crm.category.add', { entityTypeId: 177, fields: { name: 'Закупки', sort: 100 } })
  fx.spaCategory177 = cat.category.id
  await ok('crm.category.add', { entityTypeId: 2, fields: { name: 'Воронка дилеров', sort: 200 } })

  await ok('userfieldconfig.add', { moduleId: 'crm', field: { entityId: 'CRM_LEAD', fieldName: 'UF_CRM_1720019876534', userTypeId: 'string' } })
  await ok('userfieldconfig.add', { moduleId: 'crm', field: { entityId: 'CRM_DEAL', fieldName: 'UF_CRM_1721244707107', userTypeId: 'double' } })
  await ok('userfieldconfig.add', { moduleId: 'crm', field: { entityId: 'CRM_7', fieldName: 'UF_CRM_7_1739432938', userTypeId: 'file', multiple: 'Y' } })
  // userfieldconfig.list documents a second page (`next`), so there must be more than 50 matches.
  for (let i = 0; i < 51; i++) {
    await ok('userfieldconfig.add', { moduleId: 'crm', field: { entityId: 'CRM_7', fieldName: `UF_CRM_7_MULTI_${i}`, userTypeId: 'enumeration', multiple: 'Y', enum: [{ value: 'A' }] } })
  }

  const lead = await ok<{ item: { id: number } }>('crm.item.add', {
    entityTypeId: 1,
    fields: {
      title: 'Лид с выставки', name: 'Иван', lastName: 'Петров', secondName: 'Сергеевич', stageId: 'IN_PROCESS', sourceId: 'WEB',
      opportunity: 10000, currencyId: 'RUB', isManualOpportunity: 'Y', birthdate: '1990-01-01', companyTitle: 'ООО Ромашка', post: 'Директор',
      address: 'Невский пр., 1', comments: 'Комментарий', honorific: 'HNR_RU_1', statusDescription: '', isConvert: 'N', login: '', skype: '', icq: '',
      shortName: 'Петров И.', dateClosed: '2026-01-01', fm: [{ id: 101, valueType: 'WORK', value: '+79990000000', typeId: 'PHONE' }],
      ufCrm_1720019876534: '321', assignedById: 1, companyId: 0, contactId: 0,
    },
  })
  fx.leadId = lead.item.id
  await ok('crm.item.add', { entityTypeId: 1, fields: { title: 'Лид 2', name: 'Анна', lastName: 'Смирнова', stageId: 'NEW', sourceId: 'ADVERTISING', opportunity: 6000, isManualOpportunity: 'Y', assignedById: 6 } })
  const deal = await ok<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: 'Сделка для примеров', stageId: 'NEW' } })
  fx.dealId = deal.item.id

  const item = await ok<{ item: Record<string, unknown> }>('crm.item.add', {
    entityTypeId: 177,
    fields: { title: 'Закупка оборудования', ufCrm7_1739432938: [['spec.pdf', Buffer.from('%PDF-1.4 spec').toString('base64')]] },
  })
  fx.spaItem177 = item.item.id as number
  fx.spaFile177 = (item.item.ufCrm7_1739432938 as { id: number }[])[0]?.id ?? 0
  await ok('crm.timeline.logmessage.add', { fields: { entityTypeId: 1, entityId: fx.leadId, title: 'Первое', text: 'Запись', iconCode: 'info' } })
  await ok('crm.timeline.comment.add', { fields: { ENTITY_ID: fx.dealId, ENTITY_TYPE: 'deal', COMMENT: 'Есть файл', FILES: [['1.gif', 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==']] } })
  await ok('placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'https://app.example.com/handler', TITLE: 'Вкладка', LANG_ALL: { ru: { TITLE: 'Вкладка', DESCRIPTION: '', GROUP_NAME: '' } } })
}

/** Turns the documented request into one that refers to our fixtures. */
function adapt(ex: Example): Record<string, unknown> {
  const r = structuredClone(ex.request)
  const cat = fx.spaCategory177
  const swap = (o: unknown): unknown => JSON.parse(JSON.stringify(o).replaceAll('DYNAMIC_177_STAGE_87', `DYNAMIC_177_STAGE_${cat}`).replaceAll('DT177_87:', `DT177_${cat}:`))
  switch (ex.method) {
    case 'crm.item.get': return { ...r, id: fx.leadId }
    case 'crm.item.update': return { ...r, id: fx.spaItem177, fields: { ufCrm7_1739432938: [{ id: fx.spaFile177 }, ['myNewFile.pdf', Buffer.from('%PDF-1.4 new').toString('base64')]] } }
    case 'crm.item.add': {
      // The doc's cURL leaves JS placeholders (formatDate(...)) in the date fields.
      const fields = { ...(r.fields as Record<string, unknown>), begindate: '2024-06-18', closedate: '2024-07-30' }
      return { ...r, fields }
    }
    case 'crm.status.list':
    case 'crm.status.add': return swap(r) as Record<string, unknown>
    case 'crm.timeline.comment.add': return { fields: { ...(r.fields as Record<string, unknown>), ENTITY_ID: fx.dealId } }
    case 'crm.timeline.comment.list': return { ...r, filter: { ...(r.filter as Record<string, unknown>), ENTITY_ID: fx.dealId } }
    case 'crm.timeline.logmessage.add': return { fields: { ...(r.fields as Record<string, unknown>), entityId: fx.leadId } }
    case 'crm.timeline.logmessage.list': return { ...r, entityId: fx.leadId }
    case 'crm.activity.todo.add': return { ...r, ownerId: fx.dealId }
    default: return r
  }
}

/**
 * The crm.item.update page spells the user field `ufCrm_7_1739432938`; real portals (and the
 * schema's camelFieldName) give smart-process fields as `ufCrm7_1739432938`.
 */
function adaptResponse(ex: Example): Record<string, unknown> {
  return JSON.parse(JSON.stringify(ex.response).replaceAll('"ufCrm_7_1739432938"', '"ufCrm7_1739432938"')) as Record<string, unknown>
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'none', rateLimit: false, webhookToken: 'conformance' })
  await createFixtures()
})

afterAll(async () => {
  await emu?.close()
})

describe('conformance with documented REST examples', () => {
  it('finds the reference examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(20)
  })

  for (const file of files) {
    it(file, async () => {
      const ex = JSON.parse(readFileSync(resolve(REF_DIR, file), 'utf8')) as Example
      const r = await call(ex.method, adapt(ex))
      if (EXCLUDED[ex.method]) {
        expect(r.status).toBe(404)
        expect(r.body.error).toBe('ERROR_METHOD_NOT_FOUND')
        return
      }
      expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200)
      expect(r.body.time).toBeTypeOf('object')
      expect(shapeMismatches(adaptResponse(ex) as never, r.body)).toEqual([])
    })
  }
})
