/**
 * Lists ordered by a user field (the inbox by deadline, the archive by receipt date). Whether
 * every portal sorts `crm.item.list` by a user field is not documented: where one refuses
 * (INVALID_ARG_VALUE), the same batch runs once more with those lists in id order, so the
 * view still shows its rows — one request more, only on such a portal.
 */
import type { BatchCommand, BatchOutcome, BitrixPort } from '../platform/port.ts'

const refusedOrder = (command: BatchCommand, code: string | undefined): boolean => {
  const order = command.params?.order
  return command.method === 'crm.item.list' && code === 'INVALID_ARG_VALUE' &&
    !!order && typeof order === 'object' && Object.keys(order).some((k) => k !== 'id')
}

/** `{ufCrm…: 'DESC', id: 'DESC'}` → `{id: 'DESC'}` (the id's own direction, else the first one). */
function idOrder(order: Record<string, unknown>): Record<string, unknown> {
  return { id: order.id ?? Object.values(order)[0] ?? 'ASC' }
}

export async function batchWithOrderFallback<K extends string>(port: BitrixPort, commands: Record<K, BatchCommand>): Promise<BatchOutcome<K>> {
  const outcome = await port.batch(commands)
  const keys = Object.keys(commands) as K[]
  const refused = keys.filter((k) => refusedOrder(commands[k], outcome.errors[k]?.code))
  if (refused.length === 0) return outcome
  const retry = Object.fromEntries(keys.map((k) => {
    const c = commands[k]
    return [k, refused.includes(k) ? { ...c, params: { ...c.params, order: idOrder(c.params?.order as Record<string, unknown>) } } : c]
  })) as Record<K, BatchCommand>
  return port.batch(retry)
}
