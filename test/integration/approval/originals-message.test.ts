/**
 * The portal's timeline is where people outside the app read the history, and the question
 * asked of a received original is "where is the paper now": its message names the storage place
 * and the date it came in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { PEOPLE } from '../../../emulator/seed/people.ts'
import { act } from '../../../src/services/approval/actions.ts'
import { stageCodeOf } from '../../../src/domain/schema.ts'
import { FAST, logMessagesOf, startPortal, type Portal } from './helpers.ts'

let portal: Portal

beforeAll(async () => {
  portal = await startPortal()
})
afterAll(async () => {
  await portal?.close()
})

describe('originals receipt in the timeline', () => {
  it('says where the originals are kept and when they came', async () => {
    const items = Object.values(portal.emu.ctx.db.crm.items[portal.space.entityTypeId] ?? {}) as Record<string, unknown>[]
    const waiting = items.find((it) => stageCodeOf(String(it.stageId)) === 'ORIGINALS')
    expect(waiting).toBeDefined()
    const itemId = Number(waiting?.id)
    const before = logMessagesOf(portal, itemId).length
    const res = await act(portal.port(PEOPLE.archivist), portal.space, {
      itemId, actor: { id: PEOPLE.archivist, name: 'Татьяна Павлова' }, eventId: randomUUID(), at: new Date().toISOString(),
      intent: { type: 'receiveOriginal', receivedAt: '2026-11-20', storageLocation: 'Архив, шкаф 4, полка 2', archive: false },
    }, { tuning: FAST })
    expect(res.ok).toBe(true)
    const added = logMessagesOf(portal, itemId).slice(before)
    expect(added).toHaveLength(1)
    expect(added[0]?.text).toContain('Татьяна Павлова отметила получение оригиналов')
    expect(added[0]?.text).toContain('Место хранения: Архив, шкаф 4, полка 2')
    expect(added[0]?.text).toContain('Дата получения: 20.11.2026')
  })
})
