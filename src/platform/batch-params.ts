/**
 * Batch parameters as they go on the wire. Bitrix24 substitutes `$result[…]` inside every
 * parameter value of a batch command, free text included (settings/how-to-call-rest-api/batch.md):
 * references the app means are `BatchRef`s, and any other text that contains `$result` taints
 * its command, which the port then sends directly, outside the batch.
 */
import { BatchRef, type RestParams } from './port.ts'

const RESULT_TEXT = /\$result/i

/**
 * Batch parameters as they go on the wire: references become their `$result[…]` text, and any
 * other string that contains `$result` taints the command (Bitrix24 would substitute inside it).
 */
export function encodeBatchParams(params: RestParams): { params: RestParams; tainted: boolean; refs: boolean } {
  let tainted = false
  let refs = false
  const walk = (value: unknown): unknown => {
    if (value instanceof BatchRef) {
      refs = true
      return value.text
    }
    if (typeof value === 'string') {
      if (RESULT_TEXT.test(value)) tainted = true
      return value
    }
    if (Array.isArray(value)) return value.map(walk)
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
    return value
  }
  return { params: walk(params) as RestParams, tainted, refs }
}
