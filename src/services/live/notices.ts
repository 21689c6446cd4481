/**
 * Live status over REST: the one notice an acting client sends after a committed change, and the
 * cheapest checks the fallback uses when Push & Pull is unavailable.
 */
import type { BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { LIVE_COMMAND, LIVE_MODULE_ID, noticeParams } from '../../domain/live.ts'

/**
 * ONE pull.application.event.add to the app's shared channel (no USER_ID: a user who is not an
 * administrator may only address themselves). Every user of the app receives it, so it carries
 * the contract id and its change counter only; receivers re-read with their own rights.
 */
export async function announceChange(port: BitrixPort, itemId: number, counter: number): Promise<void> {
  await port.call('pull.application.event.add', { COMMAND: LIVE_COMMAND, MODULE_ID: LIVE_MODULE_ID, PARAMS: noticeParams(itemId, counter) })
}

/**
 * The latest change among the contracts the user may read: one crm.item.list row (newest update
 * first), without the log. A list's fallback re-reads itself only when this moves.
 */
export async function latestChange(port: BitrixPort, space: ContractSpace): Promise<string | null> {
  const result = await port.call<{ items?: Record<string, unknown>[] }>('crm.item.list', {
    entityTypeId: space.entityTypeId,
    order: { updatedTime: 'DESC', id: 'DESC' },
    select: ['id', 'updatedTime'],
    start: -1,
  })
  const row = result?.items?.[0]
  return row ? JSON.stringify([row.id, row.updatedTime]) : null
}
