/**
 * `batch`: up to 50 commands `{key: "method?query"}`, `halt`, and `$result[key][path…]`
 * references into earlier results (b24restdocs settings/how-to-call-rest-api/batch.md). The whole
 * batch is one request for the leaky bucket (limits.md); each command's execution time counts
 * towards its own method's operating limit.
 */
import type { Call, MethodTable } from '../core/context.ts'
import { RestError, badRequest } from '../core/errors.ts'
import { normalizeArrays, parseQuery, type Params } from '../core/params.ts'
import { timeBlock } from '../core/time.ts'
import { checkInjectedFailure, checkOperating } from './http.ts'

export const MAX_BATCH = 50
/** What a batch command may refer to: the maps the batch answer is made of. */
export interface BatchState {
  result: Record<string, unknown>
  result_error?: Record<string, unknown>
  result_total?: Record<string, unknown>
  result_next?: Record<string, unknown>
  result_time?: Record<string, unknown>
}

/**
 * `$result[...]` substitution in one parameter value, the way the portal's core does it
 * (CRestUtil::processBatchElement; documented in settings/how-to-call-rest-api/batch.md):
 * - every `$result…` up to the next whitespace is a reference, in any value, free text included;
 * - its `[key]` segments are walked while they exist; at the first missing one the walk stops and
 *   the last resolved value is used (never '');
 * - a value that is exactly one reference becomes the referenced value, arrays and objects too;
 * - inside other text a number or string replaces every occurrence of the reference; anything
 *   else (array, object, boolean) leaves the text as it was.
 * The core's alternation lists `result` first, so `$result_total[…]` reads as `$result` + `_total[…]`.
 */
export function resolveRefs(value: string, state: BatchState): unknown {
  const maps = state as unknown as Record<string, unknown>
  const matches = [...value.matchAll(/\$(result|result_error|result_total|result_next|result_time)(\S*)/gi)]
  let query: unknown = value
  for (const m of matches) {
    const keys = [...(m[2] ?? '').matchAll(/\[([^\]]+)\]/g)].map((k) => k[1] as string)
    if (keys.length === 0) continue
    let r: unknown = maps[m[1] as string]
    for (const key of keys) {
      const next = step(r, key)
      if (next === undefined) break
      r = next
    }
    if (m[0] === query) {
      query = r
      continue
    }
    if (typeof r === 'number' && Number.isFinite(r)) r = String(r)
    if (typeof r !== 'string' || typeof query !== 'string') continue
    query = query.split(m[0]).join(r)
  }
  return query
}

/** PHP's isset($r[$key]) followed by $r[$key]: undefined when absent or null. */
function step(r: unknown, key: string): unknown {
  if (typeof r === 'string') {
    const i = /^\d+$/.test(key) ? Number(key) : NaN
    return Number.isInteger(i) && i < r.length ? r.charAt(i) : undefined
  }
  if (r === null || typeof r !== 'object') return undefined
  const v = (r as Record<string, unknown>)[key]
  return v === null || v === undefined ? undefined : v
}

export function parseCommand(cmd: string, results: BatchState): { method: string; params: Params } {
  const q = cmd.indexOf('?')
  const method = (q === -1 ? cmd : cmd.slice(0, q)).trim().replace(/\.json$/i, '').toLowerCase()
  const qs = q === -1 ? '' : cmd.slice(q + 1)
  const params = normalizeArrays(parseQuery(qs, (v) => resolveRefs(v, results))) as Params
  return { method, params }
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'Y' || v === 'true'
}

export const batchMethods: MethodTable = {
  async batch(call: Call) {
    const raw = call.params.cmd
    if (raw === null || typeof raw !== 'object') throw badRequest('INVALID_ARG_VALUE', 'cmd is required')
    const commands = Object.entries(raw as Record<string, unknown>)
    if (commands.length > MAX_BATCH) throw badRequest('ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded (${MAX_BATCH})`)
    const halt = truthy(call.params.halt)
    const result: Record<string, unknown> = {}
    const errors: Record<string, unknown> = {}
    const totals: Record<string, number> = {}
    const nexts: Record<string, number> = {}
    const times: Record<string, unknown> = {}
    for (const [key, value] of commands) {
      const started = Date.now()
      try {
        if (typeof value !== 'string') throw badRequest('INVALID_ARG_VALUE', `Command ${key} must be a string`)
        const { method, params } = parseCommand(value, { result, result_error: errors, result_total: totals, result_next: nexts, result_time: times })
        if (method === 'batch') throw badRequest('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Batch call is not allowed in batch')
        // No rate-limit check here: the whole batch was one request for the bucket (limits.md).
        if (call.auth !== 'internal') {
          checkOperating(call.ctx, method)
          checkInjectedFailure(call.ctx, method)
        }
        const { auth: _a, ...rest } = params
        const out = await call.ctx.invoke(call.user, method, rest, call.auth, call.token)
        if (call.auth !== 'internal') call.ctx.operating.record(method, Date.now() - started)
        result[key] = out.result
        if (out.total !== undefined) totals[key] = out.total
        if (out.next !== undefined) nexts[key] = out.next
        times[key] = timeBlock(started)
      } catch (e) {
        if (!(e instanceof RestError)) throw e
        errors[key] = e.toJSON()
        if (halt) break
      }
    }
    // PHP serialises an empty array as [] and a keyed one as an object; the SDK expects both.
    const php = (o: Record<string, unknown>): unknown => {
      const keys = Object.keys(o)
      return keys.every((k, i) => k === String(i)) ? keys.map((k) => o[k]) : o
    }
    return {
      result: {
        result: php(result),
        result_error: php(errors),
        result_total: php(totals),
        result_next: php(nexts),
        result_time: php(times),
      },
    }
  },
}
