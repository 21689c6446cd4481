/**
 * The archivist's part through the real SDK against the demo portal: the first render costs ONE
 * request; recording the receipt of originals files the contract in ONE crm.item.update that
 * carries the log, the originals fields and the stage; a double click records once; a user
 * without write access cannot; the archive is searched on the server by number and counterparty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PEOPLE } from '../../../emulator/seed/people.ts'
import { act, type ActRequest } from '../../../src/services/approval/actions.ts'
import { archiveEventId } from '../../../src/services/archive/io.ts'
import { loadArchivePage, loadArchiveStart } from '../../../src/services/archive/queries.ts'
import { DEFAULT_QUERY as NO_FILTER } from '../../../src/domain/archive.ts'
import type { BatchCommand, BitrixPort } from '../../../src/platform/port.ts'
import { parseStored } from '../../../src/services/approval/stored-log.ts'
import { stageCodeOf } from '../../../src/domain/schema.ts'
import type { NodePort } from '../../support/node-port.ts'
import { FAST, logMessagesOf, notificationsAbout, startPortal, type Portal } from '../approval/helpers.ts'

let portal: Portal

const framed = (userId: number): NodePort => ({ ...portal.port(userId), initialAppOptions: { ...portal.emu.ctx.db.app.options } })

function stored(): Record<string, unknown>[] {
  const all = (portal.emu.ctx.db as unknown as { crm: { items: Record<string, Record<string, Record<string, unknown>>> } }).crm.items
  return Object.values(all[String(portal.space.entityTypeId)] ?? {})
}
const inStage = (code: string) => stored().filter((it) => stageCodeOf(String(it.stageId)) === code)
const item = (id: number) => stored().find((it) => Number(it.id) === id) as Record<string, unknown>

/** The port, recording every command it sends in a batch. */
function recording(port: BitrixPort): { port: BitrixPort; sent: BatchCommand[] } {
  const sent: BatchCommand[] = []
  return {
    sent,
    port: {
      ...port,
      batch: (commands) => {
        sent.push(...Object.values<BatchCommand>(commands))
        return port.batch(commands)
      },
      // The log is written with a direct update (writer.ts: free text never rides in a batch).
      updateItem: (entityTypeId, id, fields) => {
        sent.push({ method: 'crm.item.update', params: { entityTypeId, id, fields } })
        return port.updateItem(entityTypeId, id, fields)
      },
    },
  }
}

function receipt(itemId: number, actor: { id: number; name: string }, storageLocation: string, eventId = crypto.randomUUID()): ActRequest {
  return { itemId, actor, eventId, at: new Date().toISOString(), intent: { type: 'receiveOriginal', receivedAt: '2026-11-20', storageLocation } }
}

beforeAll(async () => {
  portal = await startPortal()
})
afterAll(async () => {
  await portal?.close()
})

describe('originals and archive', () => {
  it('first render: both lists and the user in ONE request; waiting oldest first', async () => {
    const port = framed(PEOPLE.archivist)
    const before = port.requestCount()
    const data = await loadArchiveStart(port, portal.space)
    expect(port.requestCount() - before).toBe(1)
    expect(data.me.id).toBe(PEOPLE.archivist)
    expect(data.waiting.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(inStage('ORIGINALS').map((it) => Number(it.id)).sort((a, b) => a - b))
    expect(data.waiting.rows.length).toBeGreaterThanOrEqual(3)
    const since = data.waiting.rows.map((r) => Date.parse(r.movedTime ?? ''))
    expect(since.every(Number.isFinite)).toBe(true)
    expect(since).toEqual([...since].sort((a, b) => a - b))
    expect(data.archive.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(inStage('SUCCESS').map((it) => Number(it.id)).sort((a, b) => a - b))
    expect(data.archive.rows.every((r) => r.storageLocation && r.receivedAt)).toBe(true)
    for (const r of [...data.waiting.rows, ...data.archive.rows]) if (r.companyId) expect(data.waiting.companies.get(r.companyId) ?? data.archive.companies.get(r.companyId)).toBeTruthy()
  })

  it('receiving an original files the contract: log, originals fields and stage in ONE update; twice-click records once', async () => {
    const itemId = Number(inStage('ORIGINALS')[0]?.id)
    const { port, sent } = recording(portal.port(PEOPLE.archivist))
    const me = { id: PEOPLE.archivist, name: 'Павлова Татьяна' }
    const req = receipt(itemId, me, '  Шкаф 3, полка 2, папка 14 ')
    const [first, second] = await Promise.all([act(port, portal.space, req, { tuning: FAST }), act(port, portal.space, req, { tuning: FAST })])
    expect(first.ok && second.ok).toBe(true)
    if (!first.ok) return
    expect(first.projection.stageCode).toBe('SUCCESS')

    const f = portal.space.fields
    const updates = sent.filter((c) => c.method === 'crm.item.update').map((c) => (c.params as { fields: Record<string, unknown> }).fields)
    // The first write already holds everything: receipt + archive events, stage, originals fields.
    const w = updates[0] as Record<string, unknown>
    expect(stageCodeOf(String(w.stageId))).toBe('SUCCESS')
    expect(w[f.originalsReceived]).toBe('Y')
    expect(w[f.storageLocation]).toBe('Шкаф 3, полка 2, папка 14')
    expect(w[f.receivedAt]).toBe('2026-11-20')
    expect(Number(w[f.archivist])).toBe(PEOPLE.archivist)
    const written = parseStored(w[f.approvalLog])
    expect(written.ok && written.stored.log.events.slice(-2).map((e) => e.type)).toEqual(['originalReceived', 'archived'])

    const it2 = item(itemId)
    expect(stageCodeOf(String(it2.stageId))).toBe('SUCCESS')
    expect(it2[f.storageLocation]).toBe('Шкаф 3, полка 2, папка 14')
    expect(it2[f.originalsReceived]).toBe('Y')

    // Recorded once: one receipt and one archive event, one timeline message of each.
    const again = await act(port, portal.space, req, { tuning: FAST })
    expect(again.ok && again.duplicate).toBe(true)
    const events = again.ok ? again.record.stored.log.events : []
    expect(events.filter((e) => e.type === 'originalReceived')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'archived').map((e) => e.id)).toEqual([archiveEventId(req.eventId)])
    const messages = logMessagesOf(portal, itemId).map((m) => `${m.title} ${m.text}`)
    // The seed's own history of this contract has no receipt yet: exactly one now.
    expect(messages.filter((m) => m.includes('получение оригиналов'))).toHaveLength(1)
    expect(messages.filter((m) => m.includes('в архив'))).toHaveLength(1)
    // The author learns the contract is archived.
    expect(notificationsAbout(portal, itemId).some((n) => String(n.message).includes('архив'))).toBe(true)

    // It left the waiting list for the archive.
    const data = await loadArchiveStart(framed(PEOPLE.archivist), portal.space)
    expect(data.waiting.rows.some((r) => r.id === itemId)).toBe(false)
    const row = data.archive.rows.find((r) => r.id === itemId)
    expect(row?.storageLocation).toBe('Шкаф 3, полка 2, папка 14')
    expect(row?.archivistId).toBe(PEOPLE.archivist)
  })

  it('a user without write access cannot record a receipt', async () => {
    const itemId = Number(inStage('ORIGINALS')[0]?.id)
    const author = Number(item(itemId).assignedById)
    const stranger = [PEOPLE.salesManager, PEOPLE.procurementManager, PEOPLE.salesManager2].find((id) => id !== author) as number
    const res = act(portal.port(stranger), portal.space, receipt(itemId, { id: stranger, name: 'x' }, 'Шкаф 1'), { tuning: FAST })
    await expect(res).rejects.toMatchObject({ kind: expect.stringMatching(/access|notFound/) })
    expect(stageCodeOf(String(item(itemId).stageId))).toBe('ORIGINALS')
    expect(item(itemId)[portal.space.fields.storageLocation] ?? '').toBe('')
  })

  it('the domain refuses a receipt without a storage location', async () => {
    const itemId = Number(inStage('ORIGINALS')[0]?.id)
    const res = await act(portal.port(PEOPLE.archivist), portal.space, receipt(itemId, { id: PEOPLE.archivist, name: 'x' }, '   '), { tuning: FAST })
    expect(res.ok).toBe(false)
    expect(!res.ok && res.reason).toBe('originalsRequired')
    expect(stageCodeOf(String(item(itemId).stageId))).toBe('ORIGINALS')
  })

  it('archive search on the server, ONE request each: by number, by counterparty, by year; a user without rights finds nothing', async () => {
    const f = portal.space.fields
    const port = framed(PEOPLE.archivist)
    const target = inStage('SUCCESS')[2] as Record<string, unknown>
    const number = String(target[f.number])
    const byNumber = await loadArchivePage(port, portal.space, 'archive', 0, { ...NO_FILTER, number })
    expect(byNumber.rows.map((r) => r.id)).toEqual([Number(target.id)])

    // A counterparty the title does not name is still found through the contract's company.
    const { item: company } = await portal.port(PEOPLE.admin).call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 4, fields: { title: 'ООО «Северный Архивариус»' } })
    await portal.port(PEOPLE.admin).call('crm.item.update', { entityTypeId: portal.space.entityTypeId, id: Number(target.id), fields: { companyId: company.id } })
    const before = port.requestCount()
    const byCompany = await loadArchivePage(port, portal.space, 'archive', 0, { ...NO_FILTER, counterparty: 'северный архивар' })
    expect(port.requestCount() - before).toBe(1)
    expect(byCompany.rows.map((r) => r.id)).toEqual([Number(target.id)])
    expect(byCompany.companies.get(company.id)).toBe('ООО «Северный Архивариус»')

    const year = Number(String(target[f.date]).slice(0, 4))
    const byYear = await loadArchivePage(port, portal.space, 'archive', 0, { ...NO_FILTER, dateFrom: `${year}-01-01`, dateTo: `${year}-12-31` })
    const expected = inStage('SUCCESS').filter((it) => String(it[f.date]).startsWith(String(year))).map((it) => Number(it.id)).sort((a, b) => a - b)
    expect(byYear.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected)
    const none = await loadArchivePage(port, portal.space, 'archive', 0, { ...NO_FILTER, number, dateFrom: `${year + 1}-01-01`, dateTo: `${year + 1}-12-31` })
    expect(none.rows).toEqual([])

    const blind = await loadArchivePage(framed(PEOPLE.noAccess), portal.space, 'archive', 0, { ...NO_FILTER, number })
    expect(blind.rows).toEqual([])
  })
})
