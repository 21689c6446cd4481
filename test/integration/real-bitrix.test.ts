/**
 * The app against Bitrix24's own rules, through the real SDK and the emulator (issue "Meet real
 * Bitrix24", part 2). Each case is a behaviour of the real portal that broke, or could break,
 * the app: an org chart that `department.get` will not filter, `$result[…]` substitution in
 * batch text, a TEXT column that cuts, and a history too long for one field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { act, departmentHeadsOf } from '../../src/services/approval/actions.ts'
import { contractIO } from '../../src/services/approval/writer.ts'
import { loadCard } from '../../src/services/approval/card.ts'
import { readContract } from '../../src/services/approval/record.ts'
import { STORED_FIELD_BUDGET, EMPTY_STORED } from '../../src/services/approval/stored-log.ts'
import { decide } from '../../src/domain/machine.ts'
import { verifyChain, EMPTY_LOG, type ApprovalLog } from '../../src/domain/log.ts'
import { project } from '../../src/domain/projection.ts'
import { makeSnapshot } from '../../src/domain/snapshot.ts'
import { utf8Bytes } from '../../src/domain/sha256.ts'
import { batchWithOrderFallback } from '../../src/services/list-order.ts'
import { attestationMarker } from '../../src/domain/attestation.ts'
import { entryData } from '../../src/services/approval/attest.ts'
import { batchRef } from '../../src/platform/port.ts'
import { addApprovers, AUTHOR, CEO, committeeRoutes, createDraft, FAST, logMessagesOf, setRoutes, startPortal, type Portal } from './approval/helpers.ts'

const PEOPLE_ADMIN = 1
let portal: Portal
beforeAll(async () => {
  portal = await startPortal()
})
afterAll(async () => {
  await portal?.close()
})

const request = (actorId: number, name: string, itemId: number, intent: Parameters<typeof act>[2]['intent']) => ({
  itemId, actor: { id: actorId, name }, eventId: randomUUID(), at: new Date().toISOString(), intent,
})

describe('department.get takes no filter and pages by START (api-reference/departments/department-get.md)', () => {
  it('60 departments: the head of a deep department is found by reading departments by id, without looping', async () => {
    const depts = portal.emu.ctx.db.departments
    const base = 1000
    // 60 more departments as a tree six levels deep; only its root has a head (the CEO).
    for (let i = 0; i < 60; i++) {
      depts.push({ ID: base + i, NAME: `Отдел ${i}`, SORT: 500, PARENT: i === 0 ? 1 : base + Math.floor((i - 1) / 2), UF_HEAD: i === 0 ? CEO : null })
    }
    const port = portal.port(AUTHOR)
    const before = port.requestCount()
    const heads = await departmentHeadsOf(port, AUTHOR, [base + 59])
    expect(heads).toEqual([CEO])
    // One batch per level walked (six here): the cost follows the depth, never the org chart's size.
    expect(port.requestCount() - before).toBeLessThanOrEqual(6)
  })

  it('the bounded list reads every department once (offset paging), however many there are', async () => {
    const port = portal.port(AUTHOR)
    const rows = await port.list<{ ID: string }>('department.get', { sort: 'ID', order: 'ASC' })
    const ids = rows.map((r) => Number(r.ID))
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBe(portal.emu.ctx.db.departments.length)
    expect(ids.length).toBeGreaterThan(60)
  })
})

describe('batch substitutes $result[…] in every parameter, free text too (settings/how-to-call-rest-api/batch.md)', () => {
  it('a return comment with $result[price] round-trips exactly: in the log and in the timeline', async () => {
    const approvers = addApprovers(portal, 1)
    await setRoutes(portal, committeeRoutes(approvers))
    const itemId = await createDraft(portal)
    const submitted = await act(portal.port(AUTHOR), portal.space, request(AUTHOR, 'Мария Козлова', itemId, {
      type: 'submit', routeSet: committeeRoutes(approvers), departmentHeadIds: [],
    }), { tuning: FAST })
    expect(submitted.ok).toBe(true)
    const comment = 'Цена $result[price] и $result[item][item][title] — проверьте п. 3'
    const returned = await act(portal.port(approvers[0] as number), portal.space, request(approvers[0] as number, 'Согласующий', itemId, {
      type: 'return', comment, round: 1, step: 0,
    }), { tuning: FAST })
    expect(returned.ok).toBe(true)
    const record = await contractIO(portal.port(AUTHOR), portal.space, itemId).read()
    const event = record.stored.log.events.find((e) => e.type === 'returned')
    expect(event?.comment).toBe(comment)
    const texts = logMessagesOf(portal, itemId).map((m) => m.text)
    expect(texts.some((t) => t.includes(comment))).toBe(true)
  })
})

describe('a string user field is a TEXT column: 65,535 bytes, cut silently (FACTS; MySQL TEXT)', () => {
  it('a 70 KB value comes back cut, and the app says the portal shortened it', async () => {
    const itemId = await createDraft(portal)
    const f = portal.space.fields
    const big = JSON.stringify({ v: 1, route: null, events: [], pad: 'ж'.repeat(35_000) })
    expect(utf8Bytes(big).length).toBeGreaterThan(70_000)
    await portal.port(AUTHOR).call('crm.item.update', { entityTypeId: portal.space.entityTypeId, id: itemId, fields: { [f.approvalLog]: big } })
    const item = await portal.port(AUTHOR).getItem(portal.space.entityTypeId, itemId)
    expect(utf8Bytes(String(item[f.approvalLog])).length).toBeLessThanOrEqual(65_535)
    const record = readContract(item, portal.space)
    expect(record.logError).toBe('cutByPortal')
  })
})

describe('a long history never overflows the field', () => {
  it('30 rounds × 20 approvers: earlier rounds move to a hash-linked file, the card shows the whole history, and the flow goes on', async () => {
    const approvers = addApprovers(portal, 20)
    const routeSet = committeeRoutes(approvers)
    await setRoutes(portal, routeSet)
    const itemId = await createDraft(portal, 'Договор с длинной историей')
    // The history is built by the domain itself (fast), then written once through the app's writer.
    let log: ApprovalLog = EMPTY_LOG
    let t = Date.parse('2026-01-01T09:00:00Z')
    const ctx = (id: number, name: string) => ({ eventId: randomUUID(), at: new Date((t += 60_000)).toISOString(), actor: { id, name } })
    const apply = (cmd: Parameters<typeof decide>[1], id: number, name: string) => {
      const out = decide(log, cmd, ctx(id, name))
      if (!out.ok) throw new Error(`refused: ${out.reason}`)
      log = out.log
    }
    const snapshot = makeSnapshot({ title: 'Договор с длинной историей', number: 'T-1', amount: 500_000, currency: 'RUB' })
    for (let round = 1; round <= 30; round++) {
      apply({ type: round === 1 ? 'submit' : 'resubmit', routeSet, snapshot, departmentHeadIds: [], comment: round === 1 ? undefined : `Исправлено в круге ${round}` }, AUTHOR, 'Мария Козлова')
      for (const id of approvers) apply({ type: 'approve', comment: `Согласовано, круг ${round}` }, id, `Согласующий ${id}`)
      if (round < 30) apply({ type: 'return', comment: `Верните с правками, круг ${round}` }, CEO, 'Андрей Лебедев')
    }
    expect(log.events.length).toBe(30 * 21 + 29)
    // Each person's own timeline entry vouches for their event (issue "Trust"), as the app's
    // writer leaves it: written here in-process, as that person, to keep the test fast.
    for (const e of log.events) {
      await portal.emu.ctx.callAs(e.actor.id, 'crm.timeline.logmessage.add', {
        fields: { entityTypeId: portal.space.entityTypeId, entityId: itemId, title: 'Согласование', text: `${attestationMarker(e)}\n${entryData(e)}`, iconCode: 'info' },
      })
    }
    const io = contractIO(portal.port(AUTHOR), portal.space, itemId)
    const written = await io.write({ ...EMPTY_STORED, log })
    const f = portal.space.fields
    const item = await portal.port(AUTHOR).getItem(portal.space.entityTypeId, itemId)
    expect(utf8Bytes(String(item[f.approvalLog])).length).toBeLessThanOrEqual(STORED_FIELD_BUDGET)
    expect(item[f.logArchive]).toBeTruthy()
    expect(written.logError).toBeNull()
    expect(written.stored.log.events).toHaveLength(log.events.length)

    // The CEO's card: the whole history, a verified chain, round 30 waiting for him.
    const card = await loadCard(portal.port(CEO), portal.space.entityTypeId, itemId)
    expect(card.record?.logError).toBeNull()
    const events = card.record?.stored.log.events ?? []
    expect(events).toHaveLength(log.events.length)
    expect(verifyChain({ events }).ok).toBe(true)
    const p = project(card.record!.stored.log)
    expect(p.round).toBe(30)
    expect(p.currentApprovers).toEqual([CEO])

    // And the flow goes on: the CEO approves round 30.
    const done = await act(portal.port(CEO), portal.space, request(CEO, 'Андрей Лебедев', itemId, { type: 'approve', round: 30, step: 1 }), { tuning: FAST })
    expect(done.ok ? 'ok' : done.reason).toBe('ok')
    const after = await contractIO(portal.port(CEO), portal.space, itemId).read()
    expect(after.stored.log.events).toHaveLength(log.events.length + 1)
    expect(project(after.stored.log).stageCode).toBe('ORIGINALS')
  }, 120_000)
})

describe('a portal that refuses to sort a list by a user field (undocumented: designed for)', () => {
  it('the list runs again in id order, with its dependents, in one more request', async () => {
    const port = portal.port(PEOPLE_ADMIN)
    const entityTypeId = portal.space.entityTypeId
    const before = port.requestCount()
    // The strict emulator answers an order by an unknown field with INVALID_ARG_VALUE, as a portal
    // that will not sort by that field would.
    const outcome = await batchWithOrderFallback(port, {
      me: { method: 'user.current' },
      list: { method: 'crm.item.list', params: { entityTypeId, order: { ufCrmNoSuchField: 'DESC', id: 'DESC' }, select: ['id'], start: 0 } },
      firstTitle: { method: 'crm.item.get', params: { entityTypeId, id: batchRef('list', 'items', 0, 'id') } },
    })
    expect(outcome.errors.list).toBeUndefined()
    const ids = ((outcome.results.list as { items: { id: number }[] }).items).map((i) => Number(i.id))
    expect(ids.length).toBeGreaterThan(0)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    expect(Number((outcome.results.firstTitle as { item: { id: number } }).item.id)).toBe(ids[0])
    expect(port.requestCount() - before).toBe(2)
  })
})
