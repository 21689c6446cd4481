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
import { rest, start } from './helpers.ts'

let emu: Emulator
let inst: InstallInfo
beforeAll(async () => {
  emu = await start({ seed: 'demo', handlerUrl: 'http://127.0.0.1:5999/' })
  inst = emu.ctx.db.app.options[APP_OPTION_KEYS.install] as InstallInfo
})
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
    expect(Number.isNaN(Date.parse(inst.installedAt))).toBe(false)
    expect(emu.ctx.db.app.installed).toBe(true)
  })

  it('was installed by the app installer: one smart process, carrying the installer\'s code', async () => {
    const r = await rest(emu, 'crm.type.list')
    const types = (r.body.result as { types: { id: number; code: string }[] }).types
    expect(types.map((t) => [t.id, t.code])).toEqual([[inst.typeId, CONTRACT_TYPE_CODE]])
  })

  it('installs under a rate-limited portal and leaves the limit on, the bucket empty, the counters clean', async () => {
    const limited = await start({ seed: 'demo', rateLimit: { drainPerSec: 2, burst: 50 } })
    try {
      expect(limited.ctx.db.app.installed).toBe(true)
      expect(limited.ctx.rateLimit.enabled).toBe(true)
      expect(limited.ctx.bucket.current).toBe(0)
      expect(limited.ctx.stats.calls).toEqual({})
    } finally {
      await limited.close()
    }
  })

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
    expect(bound).toEqual([`${PLACEMENTS.detailTab(inst.entityTypeId)} http://127.0.0.1:5999/`, `${PLACEMENTS.leftMenu} http://127.0.0.1:5999/`])
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
