/**
 * The demo portal "Автохолдинг «Северный»": staff, departments and counterparties, then the app
 * installed by its own installer (seed/install.ts), then 43 contracts across every stage, each
 * with the approval history its stage implies, played by the people through the app's own
 * approval code (seed/history.ts, seed/stories.ts).
 */
import { randomBytes } from 'node:crypto'
import type { Emu } from '../core/context.ts'
import { stageId } from '../../src/domain/schema.ts'
import { ARCHIVISTS_OPTION, serializeArchivists } from '../../src/domain/archive.ts'
import type { ContractSpace } from '../../src/services/approval/context.ts'
import type { InstallRecord } from '../../src/services/install/installer.ts'
import { buildUsers, COUNTERPARTIES, CONTRACT_KIND_TYPES, CONTRACT_KINDS, DEPARTMENTS, PEOPLE } from './people.ts'
import { docx } from './docx.ts'
import { backdateCreation, backdateEdit } from './backdate.ts'
import { createPlayer, spread, type Player } from './history.ts'
import { installApp, withQuietPortal } from './install.ts'
import { RESUBMITTED, STORIES } from './stories.ts'

export interface DemoSeedOptions {
  webhookToken?: string
  /** The seed's clock (ms); approval histories end just before it. Defaults to Date.now(). */
  now?: number
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

/** The contract fields of a draft as its author typed them in. */
function draftFields(info: InstallInfo, c: { number: string; kind: number; partyIdx: number; companyId: number | undefined; amount: number; author: number; date: string; title?: string }, doc: Buffer, docName: string): Record<string, unknown> {
  const f = info.fields
  const kind = CONTRACT_KINDS[c.kind] as string
  return {
    title: c.title ?? `${kind} с ${COUNTERPARTIES[c.partyIdx] as string}`, assignedById: c.author, companyId: c.companyId,
    opportunity: c.amount, currencyId: 'RUB', isManualOpportunity: 'Y', stageId: stageId(info.entityTypeId, info.categoryId, 'NEW'),
    [f.number]: c.number, [f.date]: c.date, [f.amount]: `${c.amount}|RUB`, [f.contractType]: CONTRACT_KIND_TYPES[c.kind],
    [f.documents]: [[docName, doc.toString('base64')]],
  }
}

const HOUR = 3_600_000
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/**
 * Needs the server listening on ctx.origin: the install and every approval move go through the
 * SDK over HTTP. Event times are relative to the hour the seed runs (`opts.now`), so deadlines
 * and overdue steps look the same on any day; event ids are fixed, so a reseed writes the same
 * histories. All drafts are created first, in order (stable item ids), then played.
 */
export async function seedDemo(ctx: Emu, opts: DemoSeedOptions = {}): Promise<InstallInfo> {
  const companyIds = await seedPeople(ctx, opts)
  const info = await installApp(ctx)
  // The administrator names the holding's archivist in the app's settings (Settings → Archivists).
  await as(ctx, ADMIN, 'app.option.set', { options: { [ARCHIVISTS_OPTION]: serializeArchivists({ userIds: [PEOPLE.archivist] }) } })
  const now = Math.floor((opts.now ?? Date.now()) / HOUR) * HOUR
  const space: ContractSpace = { typeId: info.typeId, entityTypeId: info.entityTypeId, categoryId: info.categoryId, fields: info.fields, ...(info.appCode ? { appCode: info.appCode } : {}) }
  await withQuietPortal(ctx, async () => {
    const player = await createPlayer(ctx, space, now)
    const rnd = prng(20261127)
    const jobs: (() => Promise<void>)[] = []
    let n = 0
    for (const story of STORIES) {
      n++
      const partyIdx = Math.floor(rnd() * COUNTERPARTIES.length)
      const number = `СЕВ-${story.author === PEOPLE.procurementManager ? 'З' : 'П'}-2026/${String(100 + n).padStart(4, '0')}`
      const date = isoDay(now - (story.from + 24 + Math.floor(rnd() * 72)) * HOUR)
      const kind = CONTRACT_KINDS[story.kind] as string
      const doc = contractText(kind, COUNTERPARTIES[partyIdx] as string, number, story.amount, BASE_CLAUSES)
      const fields = draftFields(info, { ...story, number, partyIdx, companyId: companyIds[partyIdx], date }, doc, `${number}.docx`)
      // Closed in the CRM before anyone submitted it: the app has no "rejected" decision.
      if (story.stage === 'FAIL') fields.stageId = stageId(info.entityTypeId, info.categoryId, 'FAIL')
      if (story.stage === 'ORIGINALS' || story.stage === 'SUCCESS') fields[info.fields.archivist] = PEOPLE.archivist
      const { item } = await as<{ item: { id: number } }>(ctx, story.author, 'crm.item.add', { entityTypeId: info.entityTypeId, fields })
      const ref = { entityTypeId: info.entityTypeId, id: item.id }
      const times = spread(now, story.from, story.to, story.moves.length, story.stage === 'APPROVAL' || story.stage === 'RETURNED')
      const firstMove = times[0] ? Date.parse(times[0]) : now
      backdateCreation(ctx, ref, new Date(firstMove - (2 + n % 20) * HOUR).toISOString())
      if (story.moves.length === 0) continue
      jobs.push(async () => {
        const p = await player.play(item.id, story.author, story.moves, times)
        if (p.stageCode !== story.stage) throw new Error(`Demo seed: contract ${number} ended in ${p.stageCode}, not ${story.stage}`)
        if (!p.originals) return
        // The archivist files the originals in the card as well, where lists and filters see them.
        await as(ctx, PEOPLE.archivist, 'crm.item.update', {
          entityTypeId: info.entityTypeId, id: item.id,
          fields: { [info.fields.originalsReceived]: 'Y', [info.fields.receivedAt]: p.originals.receivedAt, [info.fields.storageLocation]: p.originals.storageLocation },
        })
        backdateEdit(ctx, ref, times.at(-1) as string)
      })
    }
    jobs.push(await createResubmitted(ctx, info, companyIds, player, now))
    // One after another: playing several at once gains nothing in one process, and keeps
    // notification and to-do ids the same on every reseed.
    for (const job of jobs) await job()
  })
  return info
}

/**
 * The contract returned by the CFO and resubmitted with a second DOCX version (stories.ts):
 * created now (the last item id), its history played by the returned job.
 */
async function createResubmitted(ctx: Emu, info: InstallInfo, companyIds: number[], player: Player, now: number): Promise<() => Promise<void>> {
  const f = info.fields
  const story = RESUBMITTED
  const party = COUNTERPARTIES[0] as string
  const kind = CONTRACT_KINDS[story.kind] as string
  const v1 = contractText(kind, party, story.number, story.v1Amount, BASE_CLAUSES)
  const v2Clauses = [...BASE_CLAUSES]
  v2Clauses[2] = '3. Порядок оплаты. Предоплата 30 % в течение 5 (пяти) банковских дней, остаток — в течение 30 (тридцати) банковских дней с даты подписания акта.'
  v2Clauses[3] = '4. Ответственность. За просрочку оплаты Заказчик уплачивает пени 0,05 % от суммы задолженности за каждый день просрочки, но не более 5 % от суммы договора.'
  const v2 = contractText(kind, party, story.number, story.v2Amount, v2Clauses)
  const fields = draftFields(info, {
    number: story.number, kind: story.kind, partyIdx: 0, companyId: companyIds[0], amount: story.v1Amount, author: story.author,
    date: isoDay(now - (story.round1.from + 48) * HOUR), title: `${kind} с ${party} (20 автомобилей Lada Vesta)`,
  }, v1, `${story.number}_v1.docx`)
  const { item } = await as<{ item: { id: number } }>(ctx, story.author, 'crm.item.add', { entityTypeId: info.entityTypeId, fields })
  const ref = { entityTypeId: info.entityTypeId, id: item.id }
  const r1 = story.round1
  const r2 = story.round2
  const times1 = spread(now, r1.from, r1.to, r1.moves.length)
  const times2 = spread(now, r2.from, r2.to, r2.moves.length, true)
  backdateCreation(ctx, ref, new Date(Date.parse(times1[0] as string) - 5 * HOUR).toISOString())
  return async () => {
    const returned = await player.play(item.id, story.author, r1.moves, times1)
    // The author revises the contract in the CRM card: the new price and the second version.
    const got = await as<{ item: Record<string, unknown> }>(ctx, story.author, 'crm.item.get', { entityTypeId: info.entityTypeId, id: item.id })
    const kept = (got.item[f.documents] as { id: number }[]).map((d) => ({ id: d.id }))
    await as(ctx, story.author, 'crm.item.update', {
      entityTypeId: info.entityTypeId, id: item.id,
      fields: {
        opportunity: story.v2Amount, [f.amount]: `${story.v2Amount}|RUB`,
        [f.documents]: [...kept, [`${story.number}_v2.docx`, v2.toString('base64')]],
      },
    })
    const p = await player.play(item.id, story.author, r2.moves, times2, { projection: returned, moves: r1.moves.length })
    if (p.round !== 2 || p.stageCode !== 'APPROVAL') throw new Error(`Demo seed: the resubmitted contract ended in ${p.stageCode}, round ${p.round}`)
  }
}
