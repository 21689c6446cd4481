/**
 * Approving several contracts at once from «Мои согласования». Each contract goes through the
 * same use case as the card's «Согласовать» (actions.ts `act`: bound to the contract as stored,
 * attested, its effects sent), a few at a time so the portal's rate limit (2 requests/s drained,
 * 50 in a burst) is never the reason one fails; one refusal or failure never stops the others.
 */
import { toAppError, type AppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { ContractSpace } from './context.ts'
import { act, type ActOptions } from './actions.ts'
import type { Actor } from '../../domain/log.ts'
import type { RefusalCode } from '../../domain/refusal.ts'
import { newEventId } from '../../domain/eventId.ts'

export interface BulkItem {
  readonly itemId: number
  /** The round the list showed: a contract that moved on since is refused, not approved blindly. */
  readonly round: number
}

export type BulkResult =
  | { readonly itemId: number; readonly outcome: 'approved' }
  /** Recorded, but a concurrent decision made it take no effect. */
  | { readonly itemId: number; readonly outcome: 'overtaken'; readonly reason: RefusalCode }
  | { readonly itemId: number; readonly outcome: 'refused'; readonly reason: RefusalCode }
  | { readonly itemId: number; readonly outcome: 'failed'; readonly error: AppError }

/** Contracts approved at the same time: each costs ~6 requests, so 2 stay well inside the bucket. */
export const BULK_CONCURRENCY = 2

export async function bulkApprove(
  port: BitrixPort,
  space: ContractSpace,
  items: readonly BulkItem[],
  actor: Actor,
  opts: ActOptions & { concurrency?: number; onResult?: (r: BulkResult, done: number) => void } = {},
): Promise<BulkResult[]> {
  const results: BulkResult[] = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as BulkItem
      let r: BulkResult
      try {
        const res = await act(port, space, {
          itemId: item.itemId, actor, eventId: newEventId(), at: new Date().toISOString(),
          intent: { type: 'approve', round: item.round },
        }, opts)
        r = !res.ok ? { itemId: item.itemId, outcome: 'refused', reason: res.reason }
          : res.ignored ? { itemId: item.itemId, outcome: 'overtaken', reason: res.ignored }
            : { itemId: item.itemId, outcome: 'approved' }
      } catch (e) {
        r = { itemId: item.itemId, outcome: 'failed', error: toAppError(e) }
      }
      results.push(r)
      opts.onResult?.(r, results.length)
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? BULK_CONCURRENCY, items.length) }, worker))
  // In the order they were chosen, whatever order they finished in.
  return items.map((i) => results.find((r) => r.itemId === i.itemId) as BulkResult)
}
