/**
 * The demo portal has what the app, the shell and the e2e personas expect, and its schema is what
 * the app's own installer left behind (the seed creates no smart process or field itself).
 */
import { inflateRawSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import type { InstallInfo } from '../../emulator/seed/demo.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { APP_OPTION_KEYS, CONTRACT_TYPE_CODE, FIELDS, PLACEMENTS, STAGES, itemFieldNames, stageEntityId } from '../../src/domain/schema.ts'
import { parseRouteSet, selectRoute } from '../../src/domain/route.ts'
import { verifyLog } from '../../src/domain/merge.ts'
import { parseArchivists } from '../../src/domain/archive.ts'
import { changesSinceLastRound, project } from '../../src/domain/projection.ts'
import { readContract, type ContractRecord } from '../../src/services/approval/record.ts'
import { pendingEffects } from '../../src/services/approval/side-effects.ts'
import type { CrmItem } from '../../src/platform/port.ts'
import { rest, restAs, start } from './helpers.ts'

let emu: Emulator
let inst: InstallInfo
/** Every demo contract as the app reads it, over REST. */
let contracts: ContractRecord[]
beforeAll(async () => {
  // This run's shared demo seed (test/support/portal-snapshot.ts): the same seed code, played once.
  emu = await start({ seed: 'demo' })
  inst = emu.ctx.db.app.options[APP_OPTION_KEYS.install] as InstallInfo
  contracts = await readAll(emu, inst)
})

async function readAll(portal: Emulator, install: InstallInfo): Promise<ContractRecord[]> {
  const space = { typeId: install.typeId, entityTypeId: install.entityTypeId, categoryId: install.categoryId, fields: install.fields }
  const out: ContractRecord[] = []
  for (let start = 0; ; start += 50) {
    const r = await rest(portal, 'crm.item.list', { entityTypeId: install.entityTypeId, order: { id: 'ASC' }, start })
    out.push(...(r.body.result as { items: CrmItem[] }).items.map((i) => readContract(i, space)))
    if (r.body.next === undefined) return out
  }
}
afterAll(async () => {
  await emu.close()
})

/** Reads one entry of a zip written by the seed (stored with deflate). */
function unzipEntry(zip: Buffer, name: string): string | null {
  let p = 0
  while (zip.readUInt32LE(p) === 0x04034b50) {
    const size = zip.readUInt32LE(p + 18)
    const nameLen = zip.readUInt16LE(p + 26)
    const extra = zip.readUInt16LE(p + 28)
    const entry = zip.subarray(p + 30, p + 30 + nameLen).toString('utf8')
    const data = zip.subarray(p + 30 + nameLen + extra, p + 30 + nameLen + extra + size)
    if (entry === name) return inflateRawSync(data).toString('utf8')
    p += 30 + nameLen + extra + size
  }
  return null
}

describe('demo seed', () => {
  it('stores the install record with the field names of the schema', () => {
    expect(inst.fields).toEqual(itemFieldNames(inst.typeId))
    expect(inst.entityTypeId).toBeGreaterThanOrEqual(1030)
    expect(inst.version).toBe(1)
    // app.info CODE, for links that open the app (/marketplace/view/{code}/).
    expect(inst.appCode).toBe(emu.ctx.db.app.clientId)
    expect(Number.isNaN(Date.parse(inst.installedAt))).toBe(false)
    expect(emu.ctx.db.app.installed).toBe(true)
  })

  it('was installed by the app installer: one smart process, carrying the installer\'s code', async () => {
    const r = await rest(emu, 'crm.type.list')
    const types = (r.body.result as { types: { id: number; code: string }[] }).types
    expect(types.map((t) => [t.id, t.code])).toEqual([[inst.typeId, CONTRACT_TYPE_CODE]])
  })

  it('installs and plays the same histories under a rate-limited portal, leaving the limit on, the bucket empty, the counters clean', async () => {
    const limited = await start({ seed: 'demo', rateLimit: { drainPerSec: 2, burst: 50 } })
    try {
      expect(limited.ctx.db.app.installed).toBe(true)
      expect(limited.ctx.rateLimit.enabled).toBe(true)
      expect(Object.values(limited.ctx.buckets.levels()).every((v) => v === 0)).toBe(true)
      expect(limited.ctx.stats.calls).toEqual({})
      // A reseed writes the same histories: same event ids, by the same people, in the same order.
      const again = await readAll(limited, limited.ctx.db.app.options[APP_OPTION_KEYS.install] as InstallInfo)
      const shape = (cs: ContractRecord[]) => cs.map((c) => c.stored.log.events.map((e) => `${e.id} ${e.type} ${e.actor.id}`))
      expect(shape(again)).toEqual(shape(contracts))
    } finally {
      await limited.close()
    }
  }, 180_000)

  it('stores the holding\'s approval routes: the CFO joins from 1 000 000 ₽', () => {
    const parsed = parseRouteSet(emu.ctx.db.app.options[APP_OPTION_KEYS.routes])
    if (!parsed.ok) throw new Error(`routes do not parse: ${JSON.stringify(parsed.error)}`)
    const approversOf = (amount: number) =>
      selectRoute(parsed.set, { amount, contractType: null })?.steps.flatMap((s) => s.approvers.map((a) => (a.kind === 'user' ? a.userId : a.kind)))
    expect(approversOf(5_000_000)).toEqual([PEOPLE.lawyer, PEOPLE.security, PEOPLE.cfo, PEOPLE.ceo])
    expect(approversOf(500_000)).toEqual([PEOPLE.lawyer, PEOPLE.security, PEOPLE.ceo])
    expect(approversOf(100_000)).toEqual(['departmentHead', PEOPLE.lawyer])
  })

  it('has the stages of STAGES with Bitrix24 semantics', async () => {
    const r = await rest(emu, 'crm.status.list', { filter: { ENTITY_ID: stageEntityId(inst.entityTypeId, inst.categoryId) } })
    const stages = r.body.result as { STATUS_ID: string; SEMANTICS: string | null }[]
    expect(stages.map((s) => s.STATUS_ID.split(':')[1])).toEqual(STAGES.map((s) => s.code))
    expect(stages.map((s) => s.SEMANTICS)).toEqual(STAGES.map((s) => (s.semantics === 'success' ? 'S' : s.semantics === 'failure' ? 'F' : null)))
  })

  it('has every user field of FIELDS', async () => {
    const r = await rest(emu, 'userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${inst.typeId}` } })
    const names = (r.body.result as { fields: { fieldName: string }[] }).fields.map((f) => f.fieldName)
    expect(names).toHaveLength(Object.keys(FIELDS).length)
  })

  it('binds the placements to the handler URL', async () => {
    const r = await rest(emu, 'placement.get')
    const bound = (r.body.result as { placement: string; handler: string }[]).map((p) => `${p.placement} ${p.handler}`)
    const handler = emu.ctx.db.app.handlerUrl
    expect(handler).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(bound).toEqual([`${PLACEMENTS.detailTab(inst.entityTypeId)} ${handler}?view=tab`, `${PLACEMENTS.leftMenu} ${handler}`, `${PLACEMENTS.mobileChat} ${handler}`, `${PLACEMENTS.appLink} ${handler}`])
  })

  it('has 40+ contracts in every stage, 20+ counterparties, and personas with the right rights', async () => {
    const items = Object.values(emu.ctx.db.crm.items[String(inst.entityTypeId)] ?? {})
    expect(items.length).toBeGreaterThanOrEqual(40)
    for (const s of STAGES) expect(items.some((i) => String(i.stageId).endsWith(`:${s.code}`)), s.code).toBe(true)
    expect(Object.keys(emu.ctx.db.crm.items['4'] ?? {}).length).toBeGreaterThanOrEqual(20)
    const user = (id: number) => emu.ctx.db.users.find((u) => u.ID === id)
    expect(user(PEOPLE.admin)?.IS_ADMIN).toBe(true)
    expect(user(PEOPLE.salesManager)?.crmRead).toBe('own')
    expect(user(PEOPLE.noAccess)?.crmRead).toBe('none')
    expect(user(PEOPLE.archivist)?.crmRead).toBe('all')
    expect(emu.ctx.db.departments.every((d) => d.ID === 9 || d.UF_HEAD !== null)).toBe(true)
  })

  it('has one resubmitted contract with two different DOCX versions', async () => {
    const r = await rest(emu, 'crm.item.list', { entityTypeId: inst.entityTypeId, filter: { [inst.fields.round]: 2 } })
    const [item] = (r.body.result as { items: Record<string, unknown>[] }).items
    const docs = item?.[inst.fields.documents] as { urlMachine: string }[]
    expect(docs).toHaveLength(2)
    const texts = await Promise.all(docs.map(async (d) => unzipEntry(Buffer.from(await (await fetch(d.urlMachine)).arrayBuffer()), 'word/document.xml')))
    expect(texts[0]).toMatch(/12\s400\s000/)
    expect(texts[1]).toMatch(/11\s950\s000/)
    expect(texts[0]).not.toEqual(texts[1])
  })

  it('scale seed adds the requested number of contracts', async () => {
    const big = await start({ seed: 'demo', scaleContracts: 2000 })
    try {
      const r = await rest(big, 'crm.item.list', { entityTypeId: inst.entityTypeId, filter: { [`%${inst.fields.number}`]: 'BENCH-' }, select: ['id'] })
      expect(r.body.total).toBe(2000)
    } finally {
      await big.close()
    }
  }, 180_000)
})

describe('demo approval histories', () => {
  const stageOf = (c: ContractRecord) => c.stageCode
  const withLog = () => contracts.filter((c) => c.stored.log.events.length > 0)
  const onApproval = () => contracts.filter((c) => stageOf(c) === 'APPROVAL')

  it('every stored log parses and verifies (hash chain and current route)', () => {
    expect(contracts.length).toBeGreaterThanOrEqual(40)
    for (const c of contracts) {
      expect(c.logError, `contract ${c.id}`).toBeNull()
      expect(verifyLog(c.stored.log), `contract ${c.id}`).toEqual({ ok: true })
    }
    // Only drafts and contracts closed in the CRM before submission have no history.
    expect(contracts.filter((c) => c.stored.log.events.length === 0).map(stageOf).sort()).toEqual([...Array(6).fill('NEW'), ...Array(3).fill('FAIL')].sort())
  })

  it('each log\'s projection is what the item says: stage, current approvers, round, deadline', () => {
    const f = inst.fields
    for (const c of withLog()) {
      const p = project(c.stored.log)
      expect(p.ignored, `contract ${c.id}`).toEqual([])
      expect(stageOf(c), `contract ${c.id}`).toBe(p.stageCode)
      expect(c.item[f.round], `contract ${c.id}`).toBe(p.round)
      const approvers = c.item[f.approvers]
      expect(Array.isArray(approvers) ? approvers.map(Number) : [], `contract ${c.id}`).toEqual([...p.currentApprovers])
      const deadline = c.item[f.deadline]
      expect(deadline ? Date.parse(String(deadline)) : null, `contract ${c.id}`).toBe(p.deadline ? Date.parse(p.deadline) : null)
    }
  })

  it('every side effect of every event went out and is marked done', () => {
    for (const c of withLog()) expect(pendingEffects(c).map((x) => x.effect.key), `contract ${c.id}`).toEqual([])
    for (const c of withLog()) {
      const messages = emu.ctx.db.crm.logMessages.filter((m) => m.entityTypeId === inst.entityTypeId && m.entityId === c.id)
      // Dated when each move happened, not when the seed ran.
      expect(messages.sort((a, b) => a.id - b.id).map((m) => Date.parse(m.created)), `contract ${c.id}`)
        .toEqual(c.stored.log.events.map((e) => Date.parse(e.at)))
    }
    // People have read their bell up to two days back; what is newer is still unread.
    const ours = emu.ctx.db.notifications.filter((n) => n.tag?.startsWith('CA|'))
    // (The seed's clock is the hour it ran in, so "two days" is seen from up to an hour earlier.)
    const hoursAgo = (n: { date: string }) => (Date.now() - Date.parse(n.date)) / 3_600_000
    expect(ours.filter((n) => !n.read).length).toBeGreaterThan(0)
    for (const n of ours) expect(n.read ? hoursAgo(n) > 48 : hoursAgo(n) < 49, n.tag ?? '').toBe(true)
    expect(ours.filter((n) => n.read).length).toBeGreaterThan(0)
  })

  it('current approvers have one open to-do and a notification each; besides them only the archivists, for paper due', async () => {
    const todos = emu.ctx.db.crm.activities.filter((a) => a.ownerTypeId === inst.entityTypeId && a.providerId === 'CRM_TODO')
    const archivists = parseArchivists(emu.ctx.db.app.options[APP_OPTION_KEYS.archivists]).userIds
    expect(archivists).toEqual([PEOPLE.archivist])
    let paperDue = 0
    for (const c of contracts) {
      const p = project(c.stored.log)
      const current = p.currentApprovers
      const open = todos.filter((t) => t.ownerId === c.id && t.completed === 'N')
      const due = p.stageCode === 'ORIGINALS' && !p.originals
      // The archivists' queue (issue "archivist's desk"): a to-do while the paper is due.
      const others = open.filter((t) => !current.includes(t.responsibleId))
      expect(others.every((t) => due && archivists.includes(t.responsibleId)), `contract ${c.id}`).toBe(true)
      if (others.length > 0) paperDue++
      expect(open.filter((t) => current.includes(t.responsibleId)).map((t) => t.responsibleId).sort(), `contract ${c.id}`).toEqual([...current].sort())
      for (const userId of current) {
        const bell = emu.ctx.db.notifications.filter((n) => n.userId === userId && n.tag?.startsWith(`CA|${c.id}|`))
        expect(bell.length, `contract ${c.id}, user ${userId}`).toBeGreaterThan(0)
      }
    }
    expect(paperDue).toBeGreaterThan(0)
    // Decided steps closed their to-dos: every approval or return left one behind, completed.
    const decisions = withLog().reduce((n, c) => n + project(c.stored.log).decisions.length, 0)
    expect(todos.filter((t) => t.completed === 'Y').length).toBeGreaterThanOrEqual(decisions)
    // What the approver sees in the CRM: their open to-dos, over REST.
    const cfoOpen = await restAs(emu, PEOPLE.cfo, 'crm.activity.list', { filter: { RESPONSIBLE_ID: PEOPLE.cfo, COMPLETED: 'N', PROVIDER_ID: 'CRM_TODO' } })
    expect((cfoOpen.body.result as unknown[]).length).toBe(onApproval().filter((c) => project(c.stored.log).currentApprovers.includes(PEOPLE.cfo)).length)
  })

  it('contracts on approval wait for every kind of approver, some past their deadline, most not', () => {
    const waiting = onApproval().map((c) => project(c.stored.log))
    const waitsFor = new Set(waiting.flatMap((p) => p.currentApprovers))
    for (const id of [PEOPLE.lawyer, PEOPLE.security, PEOPLE.cfo, PEOPLE.ceo, PEOPLE.salesHead]) expect(waitsFor.has(id), `user ${id}`).toBe(true)
    const now = Date.now()
    const overdue = waiting.filter((p) => Date.parse(p.deadline as string) < now).length
    expect(overdue).toBeGreaterThan(0)
    expect(overdue).toBeLessThan(waiting.length / 2)
    for (const c of withLog()) {
      const times = c.stored.log.events.map((e) => Date.parse(e.at))
      expect(times, `contract ${c.id}`).toEqual([...times].sort((a, b) => a - b))
      expect(new Set(times).size, `contract ${c.id}`).toBe(times.length)
      expect(Math.max(...times), `contract ${c.id}`).toBeLessThan(now)
    }
  })

  it('exercises every seeded route, and every contract has a contract type', () => {
    const routes = new Set(withLog().flatMap((c) => project(c.stored.log).submissions.map((s) => s.routeId)))
    expect([...routes].sort()).toEqual(['large', 'small', 'standard'])
    for (const c of contracts) expect(c.contractType, `contract ${c.id}`).toMatch(/^[А-ЯЁ][а-яё]+$/)
  })

  it('returned contracts carry the return comment; archived ones their originals and the archive step', () => {
    for (const c of contracts.filter((x) => stageOf(x) === 'RETURNED')) {
      const [ret] = project(c.stored.log).returnComments
      expect(ret?.comment, `contract ${c.id}`).toBeTruthy()
    }
    const archived = contracts.filter((c) => stageOf(c) === 'SUCCESS')
    expect(archived.length).toBeGreaterThan(0)
    for (const c of archived) {
      const p = project(c.stored.log)
      expect(c.stored.log.events.map((e) => e.type).slice(-2)).toEqual(['originalReceived', 'archived'])
      expect(c.item[inst.fields.originalsReceived]).toBe('Y')
      expect(c.item[inst.fields.storageLocation]).toBe(p.originals?.storageLocation)
      expect(p.originals?.by.id).toBe(PEOPLE.archivist)
    }
    const withdrawn = contracts.filter((c) => stageOf(c) === 'WITHDRAWN')
    for (const c of withdrawn) expect(c.stored.log.events.at(-1)?.actor.id).toBe(project(c.stored.log).author?.id)
  })

  it('the resubmitted contract is in round 2, each round on its own document version, with what changed', () => {
    const [c] = contracts.filter((x) => x.number === 'СЕВ-П-2026/0777')
    if (!c) throw new Error('no resubmitted contract')
    const p = project(c.stored.log)
    expect([p.stageCode, p.round]).toEqual(['APPROVAL', 2])
    const docIds = (c.item[inst.fields.documents] as { id: number }[]).map((d) => Number(d.id))
    expect(p.submissions.map((s) => s.documentId)).toEqual(docIds)
    expect(new Set(docIds).size).toBe(2)
    const [returned] = p.decisions.filter((d) => d.decision === 'returned')
    expect(returned).toMatchObject({ round: 1, actor: { id: PEOPLE.cfo } })
    expect(returned?.comment).toMatch(/12 400 000/)
    expect(changesSinceLastRound(p).map((x) => x.field)).toEqual(expect.arrayContaining(['amount', 'document']))
  })
})

describe('people seed', () => {
  it('has the holding\'s people and counterparties, and no app installed', async () => {
    const bare = await start({ seed: 'people' })
    try {
      expect(bare.ctx.db.users.map((u) => u.ID)).toEqual(expect.arrayContaining(Object.values(PEOPLE)))
      expect(Object.keys(bare.ctx.db.crm.items['4'] ?? {}).length).toBeGreaterThanOrEqual(20)
      expect(bare.ctx.db.app.installed).toBe(false)
      expect(bare.ctx.db.app.options[APP_OPTION_KEYS.install]).toBeUndefined()
      expect(bare.ctx.db.app.placements).toEqual([])
      const r = await rest(bare, 'crm.type.list')
      expect((r.body.result as { types: unknown[] }).types).toEqual([])
    } finally {
      await bare.close()
    }
  })
})
