/**
 * The port an approval action runs on. A call the portal failed for a passing reason (HTTP 500,
 * a dropped connection, the 503 limit after the SDK's own tries) is sent again after a growing
 * pause — only when sending it twice changes nothing: reads, `crm.item.update` (the same fields
 * again; the writer's loop settles any race), to-do updates and deletes. Calls that would leave a
 * second copy (timeline entries, new to-dos, notifications) are never repeated here: their
 * callers look at the portal first (attest.ts, side-effects.ts).
 */
import { toAppError } from '../../platform/errors.ts'
import type { BatchCommand, BatchOutcome, BitrixPort, ListOptions, RestParams } from '../../platform/port.ts'

/** Pauses between tries, ms: about ten seconds in all, longer than a 503 storm usually lasts. */
export const PATIENT_DELAYS: readonly number[] = [150, 300, 600, 1200, 2000, 2500, 3000]

const ONCE = /^(crm\.timeline\.logmessage\.add|crm\.activity\.todo\.add|crm\.activity\.add|im\.notify)/i

/** A failure that may pass: the portal's 500, the network, the rate limit. */
export function isTransient(error: unknown): boolean {
  const e = toAppError(error)
  if (e.kind === 'network' || e.kind === 'rateLimit') return true
  return e.kind === 'unknown' && /INTERNAL_SERVER_ERROR|ERROR_UNEXPECTED_ANSWER|NETWORK|ECONN|ERR_|TIMEOUT/i.test(e.code)
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function patiently<T>(run: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run()
    } catch (e) {
      const pause = PATIENT_DELAYS[attempt]
      if (pause === undefined || !isTransient(e)) throw e
      await sleep(pause * (0.75 + Math.random() * 0.5))
    }
  }
}

export function patientPort(port: BitrixPort, sleep: (ms: number) => Promise<void> = realSleep): BitrixPort {
  const once = (commands: Record<string, BatchCommand>) => Object.values(commands).some((c) => ONCE.test(c.method))
  return {
    ...port,
    call<T>(method: string, params?: RestParams): Promise<T> {
      return ONCE.test(method) ? port.call<T>(method, params) : patiently(() => port.call<T>(method, params), sleep)
    },
    batch<K extends string>(commands: Record<K, BatchCommand>): Promise<BatchOutcome<K>> {
      return once(commands) ? port.batch(commands) : patiently(() => port.batch(commands), sleep)
    },
    list<T>(method: string, params?: RestParams, opts?: ListOptions): Promise<T[]> {
      return patiently(() => port.list<T>(method, params, opts), sleep)
    },
    getItem: (entityTypeId, id) => patiently(() => port.getItem(entityTypeId, id), sleep),
    updateItem: (entityTypeId, id, fields) => patiently(() => port.updateItem(entityTypeId, id, fields), sleep),
    appOption<T>(key: string): Promise<T | undefined> {
      return patiently(() => port.appOption<T>(key), sleep)
    },
  }
}
