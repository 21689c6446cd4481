/**
 * The workspace's lists through the real SDK against the demo portal: who sees what, in which
 * order, and what the first render costs (ONE HTTP request, as the frame's APP_OPTIONS already
 * say where the contracts live). Expectations are computed from the emulator's own store, so
 * they follow the seed rather than restating it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PEOPLE } from '../../../emulator/seed/people.ts'
import { RESUBMITTED } from '../../../emulator/seed/stories.ts'
import { loadPage, loadWorkspace, PAGE_SIZE } from '../../../src/services/workspace/queries.ts'
import { byDeadline } from '../../../src/services/workspace/rows.ts'
import { stageCodeOf } from '../../../src/domain/schema.ts'
import type { NodePort } from '../../support/node-port.ts'
import { startPortal, type Portal } from '../approval/helpers.ts'

let portal: Portal

/** The port as the frame builds it: APP_OPTIONS is what the shell sends in getInitData. */
const framed = (userId: number): NodePort => ({ ...portal.port(userId), initialAppOptions: { ...portal.emu.ctx.db.app.options } })

function stored(): Record<string, unknown>[] {
  const all = (portal.emu.ctx.db as unknown as { crm: { items: Record<string, Record<string, Record<string, unknown>>> } }).crm.items
  const key = Object.keys(all).find((k) => Object.values(all[k] ?? {}).some((it) => portal.space.fields.approvalLog in it)) ?? ''
  return Object.values(all[key] ?? {})
}

const approversOf = (it: Record<string, unknown>): number[] => ((it[portal.space.fields.approvers] as unknown[] | undefined) ?? []).map(Number)

beforeAll(async () => {
  portal = await startPortal()
})
afterAll(async () => {
  await portal?.close()
})

describe('workspace lists', () => {
  it('the lawyer\'s inbox: exactly the contracts waiting on the lawyer, overdue first, in ONE request', async () => {
    const port = framed(PEOPLE.lawyer)
    const before = port.requestCount()
    const data = await loadWorkspace(port, portal.space)
    expect(port.requestCount() - before).toBe(1)
    expect(data.me.id).toBe(PEOPLE.lawyer)

    const expected = stored().filter((it) => approversOf(it).includes(PEOPLE.lawyer)).map((it) => Number(it.id)).sort((a, b) => a - b)
    expect(expected.length).toBeGreaterThanOrEqual(3)
    const rows = [...data.inbox.page.rows].sort(byDeadline)
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected)
    expect(rows.every((r) => r.stageCode === 'APPROVAL')).toBe(true)

    // Overdue first: the deadlines ascend, and every overdue row precedes every other.
    const now = Date.now()
    const overdue = rows.map((r) => r.deadline !== null && Date.parse(r.deadline) < now)
    expect(overdue.includes(true)).toBe(true)
    expect(overdue.indexOf(false) === -1 || overdue.lastIndexOf(true) < overdue.indexOf(false)).toBe(true)
    const times = rows.map((r) => Date.parse(r.deadline ?? ''))
    expect(times).toEqual([...times].sort((a, b) => a - b))

    // The resubmitted contract waits on the lawyer in round 2.
    const again = rows.find((r) => r.number === RESUBMITTED.number)
    expect(again?.round).toBe(2)
    // The batch named every author and counterparty the rows show.
    const named = new Set(data.inbox.users.map((u) => u.id))
    for (const r of rows) {
      expect(named.has(r.authorId ?? -1)).toBe(true)
      if (r.companyId) expect(data.inbox.companies.get(r.companyId)).toBeTruthy()
    }
  })

  it('an author\'s "my contracts": only theirs, with who holds them and the returned count', async () => {
    const author = PEOPLE.salesManager
    const port = framed(author)
    const data = await loadWorkspace(port, portal.space)
    const theirs = stored().filter((it) => Number(it.assignedById) === author)
    expect(data.mine.page.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(theirs.map((it) => Number(it.id)).sort((a, b) => a - b))
    expect(data.mine.page.rows.every((r) => r.authorId === author)).toBe(true)
    const returned = theirs.filter((it) => stageCodeOf(String(it.stageId)) === 'RETURNED')
    expect(returned.length).toBeGreaterThan(0)
    expect(data.returnedCount).toBe(returned.length)
    // Every current approver of the author's contracts is named.
    const holders = new Set(data.mine.page.rows.flatMap((r) => r.approverIds))
    expect(holders.size).toBeGreaterThan(0)
    const named = new Set(data.mine.users.map((u) => u.id))
    for (const id of holders) expect(named.has(id)).toBe(true)
    // The author waits on nobody's decision of theirs: the inbox holds only what waits on them.
    expect(data.inbox.page.rows.every((r) => r.approverIds.includes(author))).toBe(true)

    // Filtered to one stage, from the first page, in ONE request.
    const before = port.requestCount()
    const onlyReturned = await loadPage(port, portal.space, { kind: 'mine', start: 0, stage: 'RETURNED' }, author)
    expect(port.requestCount() - before).toBe(1)
    expect(onlyReturned.page.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(returned.map((it) => Number(it.id)).sort((a, b) => a - b))
  })

  it('a user without CRM rights sees empty lists, not an error', async () => {
    const data = await loadWorkspace(framed(PEOPLE.noAccess), portal.space)
    expect(data.me.id).toBe(PEOPLE.noAccess)
    expect(data.inbox.page.rows).toEqual([])
    expect(data.mine.page.rows).toEqual([])
    expect(data.returnedCount).toBe(0)
  })

  it('a filter on the multiple approvers field matches items whose values contain the id', async () => {
    const f = portal.space.fields
    const res = await portal.port(PEOPLE.admin).call<{ items: Record<string, unknown>[] }>('crm.item.list', {
      entityTypeId: portal.space.entityTypeId, filter: { [f.approvers]: String(PEOPLE.lawyer) }, select: ['id', f.approvers],
    })
    expect(res.items.length).toBeGreaterThan(0)
    expect(res.items.every((it) => approversOf(it).includes(PEOPLE.lawyer))).toBe(true)
    expect(res.items.length).toBe(stored().filter((it) => approversOf(it).includes(PEOPLE.lawyer)).length)
  })

  it('pages "my contracts" beyond 50 with start, each page one request', async () => {
    const author = PEOPLE.procurementManager
    const f = portal.space.fields
    const have = stored().filter((it) => Number(it.assignedById) === author).length
    for (let i = have; i < PAGE_SIZE + 7; i++) {
      await portal.emu.ctx.callAs(author, 'crm.item.add', {
        entityTypeId: portal.space.entityTypeId, fields: { title: `Черновик ${i}`, assignedById: author, [f.number]: `T-${i}` },
      })
    }
    const port = framed(author)
    const first = await loadWorkspace(port, portal.space)
    expect(first.mine.page.rows).toHaveLength(PAGE_SIZE)
    expect(first.mine.page.next).toBe(PAGE_SIZE)
    const before = port.requestCount()
    const second = await loadPage(port, portal.space, { kind: 'mine', start: PAGE_SIZE, stage: null }, author)
    expect(port.requestCount() - before).toBe(1)
    expect(second.page.rows).toHaveLength(7)
    expect(second.page.next).toBeNull()
    const ids = [...first.mine.page.rows, ...second.page.rows].map((r) => r.id)
    expect(new Set(ids).size).toBe(PAGE_SIZE + 7)
  })
})
