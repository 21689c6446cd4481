/**
 * The demo portal "Автохолдинг «Северный»": staff, the smart process "Договоры" with its stages
 * and user fields (created through the same REST methods an admin's installer calls), placements,
 * counterparties and 40+ contracts across every stage.
 */
import { randomBytes } from 'node:crypto'
import type { Emu } from '../core/context.ts'
import {
  APP_OPTION_KEYS, CONTRACT_TYPE, FIELDS, PLACEMENTS, STAGES, itemFieldNames, stageEntityId, stageId, userFieldName,
  type FieldKey, type StageCode,
} from '../../src/domain/schema.ts'
import { buildUsers, COUNTERPARTIES, CONTRACT_KINDS, DEPARTMENTS, PEOPLE } from './people.ts'
import { docx } from './docx.ts'

export interface DemoSeedOptions {
  webhookToken?: string
}

export interface InstallInfo {
  typeId: number
  entityTypeId: number
  categoryId: number
  fields: Record<FieldKey, string>
}

/** Deterministic pseudo-random numbers so every fresh demo portal looks the same. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ADMIN = PEOPLE.admin

async function as<T>(ctx: Emu, userId: number, method: string, params: Record<string, unknown>): Promise<T> {
  return (await ctx.callAs(userId, method, params)).result as T
}

/** Creates the smart process, reshapes its default stages into STAGES and adds the user fields. */
export async function installContracts(ctx: Emu, handlerUrl: string): Promise<InstallInfo> {
  const { type } = await as<{ type: { id: number; entityTypeId: number } }>(ctx, ADMIN, 'crm.type.add', {
    fields: {
      title: CONTRACT_TYPE.title, isClientEnabled: 'Y', isBeginCloseDatesEnabled: 'Y', isStagesEnabled: 'Y', isCategoriesEnabled: 'N',
      isAutomationEnabled: 'Y', isBizProcEnabled: 'Y', isDocumentsEnabled: 'Y', isObserversEnabled: 'Y', isRecyclebinEnabled: 'Y',
      isSetOpenPermissions: 'Y',
    },
  })
  const { categories } = await as<{ categories: { id: number }[] }>(ctx, ADMIN, 'crm.category.list', { entityTypeId: type.entityTypeId })
  const categoryId = categories[0]?.id ?? 0
  const entityId = stageEntityId(type.entityTypeId, categoryId)
  const existing = await as<{ ID: string; STATUS_ID: string }[]>(ctx, ADMIN, 'crm.status.list', { filter: { ENTITY_ID: entityId } })
  for (const s of existing) {
    const code = s.STATUS_ID.slice(s.STATUS_ID.indexOf(':') + 1)
    const def = STAGES.find((x) => x.code === code)
    if (def) await as(ctx, ADMIN, 'crm.status.update', { id: s.ID, fields: { NAME: def.name.ru, SORT: def.sort, COLOR: def.color } })
    else await as(ctx, ADMIN, 'crm.status.delete', { id: s.ID })
  }
  for (const def of STAGES) {
    if (existing.some((s) => s.STATUS_ID.endsWith(`:${def.code}`))) continue
    await as(ctx, ADMIN, 'crm.status.add', {
      fields: {
        ENTITY_ID: entityId, STATUS_ID: stageId(type.entityTypeId, categoryId, def.code), NAME: def.name.ru, SORT: def.sort, COLOR: def.color,
        SEMANTICS: def.semantics === 'success' ? 'S' : def.semantics === 'failure' ? 'F' : '',
      },
    })
  }
  for (const key of Object.keys(FIELDS) as FieldKey[]) {
    const f = FIELDS[key]
    const label = { ru: f.label.ru, en: f.label.en }
    await as(ctx, ADMIN, 'userfieldconfig.add', {
      moduleId: 'crm',
      field: {
        entityId: `CRM_${type.id}`, fieldName: userFieldName(type.id, key), userTypeId: f.type, multiple: f.multiple ? 'Y' : 'N',
        showInList: f.showInList ? 'Y' : 'N', showFilter: f.showInFilter ? 'Y' : 'N', editInList: f.showInForm ? 'Y' : 'N',
        editFormLabel: label, listColumnLabel: label, listFilterLabel: label,
      },
    })
  }
  await as(ctx, ADMIN, 'placement.bind', {
    PLACEMENT: PLACEMENTS.detailTab(type.entityTypeId), HANDLER: handlerUrl, TITLE: 'Согласование',
    LANG_ALL: { ru: { TITLE: 'Согласование' }, en: { TITLE: 'Approval' } },
  })
  await as(ctx, ADMIN, 'placement.bind', {
    PLACEMENT: PLACEMENTS.leftMenu, HANDLER: handlerUrl, TITLE: 'Согласование договоров',
    LANG_ALL: { ru: { TITLE: 'Согласование договоров' }, en: { TITLE: 'Contract approval' } },
  })
  const info: InstallInfo = { typeId: type.id, entityTypeId: type.entityTypeId, categoryId, fields: itemFieldNames(type.id) }
  await as(ctx, ADMIN, 'app.option.set', { options: { [APP_OPTION_KEYS.install]: info } })
  // Stands in for the install wizard's installFinish() until the real installer runs here.
  ctx.db.app.installed = true
  return info
}

function contractText(kind: string, party: string, number: string, amount: number, clauses: string[]): Buffer {
  return docx([
    `${kind} № ${number}`,
    `г. Санкт-Петербург`,
    `ООО «Автохолдинг «Северный»», именуемое в дальнейшем «Заказчик», и ${party}, именуемое в дальнейшем «Исполнитель», заключили настоящий договор о нижеследующем.`,
    ...clauses,
    `Цена договора составляет ${amount.toLocaleString('ru-RU')} руб., включая НДС 20 %.`,
  ])
}

const BASE_CLAUSES = [
  '1. Предмет договора. Исполнитель обязуется выполнить работы (оказать услуги, поставить товар), а Заказчик — принять и оплатить их.',
  '2. Срок действия. Договор вступает в силу с даты подписания и действует до 31 декабря 2027 года.',
  '3. Порядок оплаты. Оплата производится в течение 30 (тридцати) банковских дней с даты подписания акта.',
  '4. Ответственность. За просрочку оплаты Заказчик уплачивает пени 0,1 % от суммы задолженности за каждый день просрочки.',
  '5. Споры разрешаются в Арбитражном суде города Санкт-Петербурга и Ленинградской области.',
]

/** How many contracts sit in each stage of the demo. */
const STAGE_COUNTS: Record<StageCode, number> = { NEW: 6, APPROVAL: 10, RETURNED: 5, ORIGINALS: 7, SUCCESS: 8, WITHDRAWN: 3, FAIL: 3 }

const APPROVERS = [PEOPLE.lawyer, PEOPLE.cfo, PEOPLE.security, PEOPLE.ceo]
const AUTHORS = [PEOPLE.salesManager, PEOPLE.procurementManager, PEOPLE.salesManager2]

function day(offsetDays: number): string {
  const d = new Date(Date.UTC(2026, 10, 20) + offsetDays * 86_400_000)
  return d.toISOString().slice(0, 10)
}

export async function seedDemo(ctx: Emu, opts: DemoSeedOptions = {}): Promise<InstallInfo> {
  ctx.db.users.push(...buildUsers((id) => (id === ADMIN && opts.webhookToken ? opts.webhookToken : randomBytes(8).toString('hex'))))
  ctx.db.departments.push(...DEPARTMENTS.map((d) => ({ ...d })))
  const info = await installContracts(ctx, ctx.db.app.handlerUrl)
  const f = info.fields
  const etid = info.entityTypeId
  const rnd = prng(20261127)

  const companyIds: number[] = []
  for (const title of COUNTERPARTIES) {
    const { item } = await as<{ item: { id: number } }>(ctx, ADMIN, 'crm.item.add', { entityTypeId: 4, fields: { title, opened: 'Y' } })
    companyIds.push(item.id)
  }

  let n = 0
  for (const stage of STAGES) {
    for (let i = 0; i < STAGE_COUNTS[stage.code]; i++) {
      n++
      const author = AUTHORS[n % AUTHORS.length] as number
      const partyIdx = Math.floor(rnd() * COUNTERPARTIES.length)
      const party = COUNTERPARTIES[partyIdx] as string
      const kind = CONTRACT_KINDS[n % CONTRACT_KINDS.length] as string
      const number = `СЕВ-${author === PEOPLE.procurementManager ? 'З' : 'П'}-2026/${String(100 + n).padStart(4, '0')}`
      const amount = Math.round((150_000 + rnd() * 24_000_000) / 1000) * 1000
      const date = day(-Math.floor(rnd() * 120))
      const fields: Record<string, unknown> = {
        title: `${kind} с ${party}`, assignedById: author, companyId: companyIds[partyIdx], opportunity: amount, currencyId: 'RUB',
        isManualOpportunity: 'Y', stageId: stageId(etid, info.categoryId, stage.code),
        [f.number]: number, [f.date]: date, [f.amount]: `${amount}|RUB`, [f.round]: stage.code === 'NEW' ? 0 : 1,
        [f.approvalLog]: JSON.stringify({ v: 1, events: [] }),
        [f.documents]: [[`${number}.docx`, contractText(kind, party, number, amount, BASE_CLAUSES).toString('base64')]],
      }
      if (stage.code === 'APPROVAL') {
        fields[f.approvers] = [APPROVERS[n % APPROVERS.length]]
        fields[f.deadline] = `${day(3 + (n % 5))}T18:00:00`
      }
      if (stage.code === 'ORIGINALS') fields[f.archivist] = PEOPLE.archivist
      if (stage.code === 'SUCCESS') {
        Object.assign(fields, {
          [f.archivist]: PEOPLE.archivist, [f.originalsReceived]: 'Y', [f.receivedAt]: day(-(n % 20)),
          [f.storageLocation]: `Архив, стеллаж ${1 + (n % 6)}, папка ${10 + n}`,
        })
      }
      await as(ctx, author, 'crm.item.add', { entityTypeId: etid, fields })
    }
  }
  await seedResubmitted(ctx, info, companyIds)
  return info
}

/** One contract returned by the lawyer and resubmitted with a second DOCX version. */
async function seedResubmitted(ctx: Emu, info: InstallInfo, companyIds: number[]): Promise<void> {
  const f = info.fields
  const party = COUNTERPARTIES[0] as string
  const kind = 'Договор поставки автомобилей'
  const number = 'СЕВ-П-2026/0777'
  const v1 = contractText(kind, party, number, 12_400_000, BASE_CLAUSES)
  const v2Clauses = [...BASE_CLAUSES]
  v2Clauses[2] = '3. Порядок оплаты. Предоплата 30 % в течение 5 (пяти) банковских дней, остаток — в течение 30 (тридцати) банковских дней с даты подписания акта.'
  v2Clauses[3] = '4. Ответственность. За просрочку оплаты Заказчик уплачивает пени 0,05 % от суммы задолженности за каждый день просрочки, но не более 5 % от суммы договора.'
  const v2 = contractText(kind, party, number, 11_950_000, v2Clauses)
  const { item } = await as<{ item: { id: number } }>(ctx, PEOPLE.salesManager, 'crm.item.add', {
    entityTypeId: info.entityTypeId,
    fields: {
      title: `${kind} с ${party} (20 автомобилей Lada Vesta)`, assignedById: PEOPLE.salesManager, companyId: companyIds[0],
      opportunity: 12_400_000, currencyId: 'RUB', isManualOpportunity: 'Y',
      stageId: stageId(info.entityTypeId, info.categoryId, 'RETURNED'),
      [f.number]: number, [f.date]: day(-10), [f.amount]: '12400000|RUB', [f.round]: 1,
      [f.documents]: [[`${number}_v1.docx`, v1.toString('base64')]],
      [f.approvalLog]: JSON.stringify({ v: 1, events: [] }),
    },
  })
  const got = await as<{ item: Record<string, unknown> }>(ctx, PEOPLE.salesManager, 'crm.item.get', { entityTypeId: info.entityTypeId, id: item.id })
  const kept = (got.item[f.documents] as { id: number }[]).map((d) => ({ id: d.id }))
  await as(ctx, PEOPLE.salesManager, 'crm.item.update', {
    entityTypeId: info.entityTypeId,
    id: item.id,
    fields: {
      stageId: stageId(info.entityTypeId, info.categoryId, 'APPROVAL'), opportunity: 11_950_000,
      [f.amount]: '11950000|RUB', [f.round]: 2, [f.approvers]: [PEOPLE.lawyer], [f.deadline]: `${day(4)}T18:00:00`,
      [f.documents]: [...kept, [`${number}_v2.docx`, v2.toString('base64')]],
    },
  })
  await as(ctx, PEOPLE.lawyer, 'crm.timeline.comment.add', {
    fields: { ENTITY_ID: item.id, ENTITY_TYPE: `DYNAMIC_${info.entityTypeId}`, COMMENT: 'Прошу смягчить пени и согласовать график оплаты с финансовой службой.' },
  })
}
