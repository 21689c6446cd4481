/**
 * `batch`: up to 50 commands `{key: "method?query"}`, `halt`, and `$result[key][path…]`
 * references into earlier results. The outer call is not rate-counted; each command is.
 */
import type { Call, MethodTable } from '../core/context.ts'
import { RestError, badRequest } from '../core/errors.ts'
import { normalizeArrays, parseQuery, type Params } from '../core/params.ts'
import { timeBlock } from '../core/time.ts'
import { checkInjectedFailure, limitExceeded, rateLimited } from './http.ts'

export const MAX_BATCH = 50
const REF = /\$result\[([^\]]*)\]((?:\[[^\]]*\])*)/g

function lookup(results: Record<string, unknown>, key: string, path: string): unknown {
  let node: unknown = results[key]
  for (const m of path.matchAll(/\[([^\]]*)\]/g)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[m[1] as string]
  }
  return node
}

/** Replaces references in one decoded value; a value that is exactly one reference keeps its type. */
export function resolveRefs(value: string, results: Record<string, unknown>): unknown {
  const whole = /^\$result\[([^\]]*)\]((?:\[[^\]]*\])*)$/.exec(value)
  if (whole) {
    const v = lookup(results, whole[1] as string, whole[2] ?? '')
    return v === undefined || v === null ? '' : typeof v === 'object' ? v : String(v)
  }
  return value.replace(REF, (_m, key: string, path: string) => {
    const v = lookup(results, key, path)
    return v === undefined || v === null || typeof v === 'object' ? '' : String(v)
  })
}

export function parseCommand(cmd: string, results: Record<string, unknown>): { method: string; params: Params } {
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
        const { method, params } = parseCommand(value, result)
        if (method === 'batch') throw badRequest('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Batch call is not allowed in batch')
        if (call.auth !== 'internal') {
          if (rateLimited(call.ctx)) throw limitExceeded()
          checkInjectedFailure(call.ctx, method)
        }
        const { auth: _a, ...rest } = params
        const out = await call.ctx.invoke(call.user, method, rest, call.auth, call.token)
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
