// Bulk approve over the real SDK against the emulator with Bitrix24's standard rate limit on
// (2 requests/s drained, 50 in a burst): six contracts, one changed after it was sent, approved
// at once — five approved, one refused with its reason, none failed for the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSeededEmulator } from '../../support/seeded-emulator.ts'
import { createNodePort } from '../../support/node-port.ts'
import type { Emulator } from '../../../emulator/server.ts'
import { parseContractSpace, type ContractSpace } from '../../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { serializeRouteSet, type RouteSet } from '../../../src/domain/route.ts'
import { act } from '../../../src/services/approval/actions.ts'
import { bulkApprove, type BulkResult } from '../../../src/services/approval/bulk.ts'
import { newEventId } from '../../../src/domain/eventId.ts'
import { PEOPLE } from '../../support/people.ts'

let emu: Emulator
let space: ContractSpace

const ROUTES: RouteSet = {
  v: 1, version: 1, updatedAt: null, updatedBy: null,
  routes: [{
    id: 'bulk', name: 'Юрист, затем ФД', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Юрист', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.lawyer }] },
      { title: 'ФД', mode: 'all', slaHours: 24, approvers: [{ kind: 'user', userId: PEOPLE.cfo }] },
    ],
  }],
}

beforeAll(async () => {
  emu = await startSeededEmulator({ port: 0, seed: 'demo', rateLimit: 'standard', devMode: true })
  const parsed = parseContractSpace(emu.ctx.db.app.options[APP_OPTION_KEYS.install])
  if (!parsed) throw new Error('no ca_install')
  space = parsed
  await emu.ctx.callAs(PEOPLE.admin, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(ROUTES) } })
}, 180_000)

afterAll(async () => {
  await emu?.close()
})

describe('bulk approve', () => {
  it('approves each contract through the same use case, within the rate limit; one refusal stops nothing', async () => {
    const author = createNodePort({ origin: emu.origin, userId: PEOPLE.salesManager, ctx: emu.ctx, attempts: 3 })
    const ids: number[] = []
    // The author's six submissions are the setting, not the subject: they go without the limit,
    // and the bucket is full again (limit on, empty bucket) before the lawyer's bulk approval.
    emu.ctx.rateLimit.enabled = false
    for (let i = 0; i < 6; i++) {
      const created = await emu.ctx.callAs(PEOPLE.salesManager, 'crm.item.add', {
        entityTypeId: space.entityTypeId,
        fields: { title: `Пакет ${i}`, assignedById: PEOPLE.salesManager, [space.fields.number]: `Б-${i}`, [space.fields.amount]: `${100_000 + i}|RUB` },
      })
      const itemId = Number((created.result as { item: { id: number } }).item.id)
      const res = await act(author, space, {
        itemId, actor: { id: PEOPLE.salesManager, name: 'Мария Козлова' }, eventId: newEventId(), at: new Date().toISOString(),
        intent: { type: 'submit', routeSet: ROUTES, departmentHeadIds: [] },
      })
      expect(res.ok).toBe(true)
      ids.push(itemId)
    }
    await emu.ctx.callAs(PEOPLE.salesManager, 'crm.item.update', { entityTypeId: space.entityTypeId, id: ids[3], fields: { [space.fields.amount]: '999999|RUB' } })

    emu.ctx.buckets.reset()
    emu.ctx.rateLimit.enabled = true
    const lawyer = createNodePort({ origin: emu.origin, userId: PEOPLE.lawyer, ctx: emu.ctx, attempts: 3 })
    const seen: number[] = []
    const results = await bulkApprove(lawyer, space, ids.map((itemId) => ({ itemId, round: 1 })), { id: PEOPLE.lawyer, name: 'Елена Соколова' }, {
      onResult: (_r: BulkResult, done: number) => seen.push(done),
    })
    expect(results.map((r) => r.itemId)).toEqual(ids)
    expect(results.map((r) => r.outcome)).toEqual(['approved', 'approved', 'approved', 'refused', 'approved', 'approved'])
    expect(results[3]).toMatchObject({ outcome: 'refused', reason: 'contractChanged' })
    expect(seen).toEqual([1, 2, 3, 4, 5, 6])
    // Approved again: nothing recorded twice, each refused as already decided (or moved on).
    const again = await bulkApprove(lawyer, space, [{ itemId: ids[0]!, round: 1 }], { id: PEOPLE.lawyer, name: 'Елена Соколова' })
    expect(again[0]?.outcome).toBe('refused')
  }, 300_000)
})
