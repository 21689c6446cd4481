/**
 * PHP-style query strings (`filter[ID][0]=1&select[]=x`) to nested objects, the way Bitrix24's
 * PHP side reads form bodies, GET parameters and batch command strings.
 */
import { RestError } from './errors.ts'

export type Params = Record<string, unknown>

const MAX_NESTING = 64

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

/** Splits `a[b]=c` at the first `=` outside brackets (keys like `filter[>=ID]` may hold one raw). */
function splitPair(part: string): [string, string] {
  let depth = 0
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]
    if (ch === '[') depth++
    else if (ch === ']') depth = Math.max(0, depth - 1)
    else if (ch === '=' && depth === 0) return [part.slice(0, i), part.slice(i + 1)]
  }
  return [part, '']
}

export function parseQuery(qs: string, mapValue: (v: string) => unknown = (v) => v): Params {
  const out: Params = {}
  for (const part of qs.split('&')) {
    if (part === '') continue
    const [rawKey, rawValue] = splitPair(part)
    setPath(out, decode(rawKey), mapValue(decode(rawValue)))
  }
  return out
}

function setPath(target: Params, key: string, value: unknown): void {
  const first = /^([^[]*)/.exec(key)?.[1] ?? key
  const rest: string[] = []
  const re = /\[([^\]]*)\]/g
  let m: RegExpExecArray | null
  const tail = key.slice(first.length)
  while ((m = re.exec(tail)) !== null) rest.push(m[1] ?? '')
  const path = [first, ...rest]
  let node: Record<string, unknown> = target
  for (let i = 0; i < path.length; i++) {
    let seg = path[i] as string
    const last = i === path.length - 1
    if (seg === '') {
      // `x[]=` appends: numeric keys keep insertion order in objects.
      seg = String(Object.keys(node).length)
    }
    if (last) {
      node[seg] = value
    } else {
      const next = node[seg]
      if (next === null || typeof next !== 'object') node[seg] = {}
      node = node[seg] as Record<string, unknown>
    }
  }
}

/** Objects whose keys are 0..n-1 (what PHP arrays become) turn into arrays, recursively. */
export function normalizeArrays(value: unknown, depth = 0): unknown {
  // PHP's own limit on nested request variables (max_input_nesting_level) is 64.
  if (depth > MAX_NESTING) throw new RestError('INVALID_REQUEST', `Parameters are nested deeper than ${MAX_NESTING} levels`, 400)
  if (Array.isArray(value)) return value.map((v) => normalizeArrays(v, depth + 1))
  if (value === null || typeof value !== 'object') return value
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
  const mapped: Record<string, unknown> = {}
  for (const k of keys) mapped[k] = normalizeArrays(obj[k], depth + 1)
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => mapped[k])
  return mapped
}
