/**
 * The demo portal "Автохолдинг «Северный»": staff, departments and counterparties, then the app
 * installed by its own installer (seed/install.ts), then 40+ contracts across every stage.
 */
import { randomBytes } from 'node:crypto'
import type { Emu } from '../core/context.ts'
import { STAGES, stageId, type StageCode } from '../../src/domain/schema.ts'
import type { InstallRecord } from '../../src/bitrix/install/installer.ts'
import { buildUsers, COUNTERPARTIES, CONTRACT_KINDS, DEPARTMENTS, PEOPLE } from './people.ts'
import { docx } from './docx.ts'
import { installApp } from './install.ts'

export interface DemoSeedOptions {
  webhookToken?: string
}

/** What the installer stores under `ca_install`; the seed reads it like any other app code. */
export type InstallInfo = InstallRecord

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

/**
 * The holding before the app: people and departments (no REST method creates them) and the
 * counterparties as CRM companies. Returns the company ids in COUNTERPARTIES order.
 */
export async function seedPeople(ctx: Emu, opts: DemoSeedOptions = {}): Promise<number[]> {
  ctx.db.users.push(...buildUsers((id) => (id === ADMIN && opts.webhookToken ? opts.webhookToken : randomBytes(8).toString('hex'))))
  ctx.db.departments.push(...DEPARTMENTS.map((d) => ({ ...d })))
  const companyIds: number[] = []
  for (const title of COUNTERPARTIES) {
    const { item } = await as<{ item: { id: number } }>(ctx, ADMIN, 'crm.item.add', { entityTypeId: 4, fields: { title, opened: 'Y' } })
    companyIds.push(item.id)
  }
  return companyIds
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

/** Needs the server listening on ctx.origin: the install goes through the SDK over HTTP. */
export async function seedDemo(ctx: Emu, opts: DemoSeedOptions = {}): Promise<InstallInfo> {
  const companyIds = await seedPeople(ctx, opts)
  const info = await installApp(ctx)
  const f = info.fields
  const etid = info.entityTypeId
  const rnd = prng(20261127)

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
