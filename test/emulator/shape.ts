/**
 * Structural comparison of a documented Bitrix24 reply with ours: same keys (ours may add keys)
 * and the same JSON types, recursively. Rules for what the docs cannot pin down:
 * - a documented `null` stands for "any type" (nullable field), and so does our `null`;
 * - a documented empty object `{}` (how the docs print some PHP values) matches anything;
 * - a documented empty array `[]` (PHP's empty array) matches an empty array or an object;
 * - arrays: ours must be non-empty when the doc's is, and each of our elements must match at
 *   least one documented element (lists such as crm.status.entity.types are heterogeneous);
 * - objects whose keys are all numeric are id-keyed maps: compared like arrays, by value.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
const isMap = (o: Record<string, unknown>): boolean => Object.keys(o).length > 0 && Object.keys(o).every((k) => /^\d+$/.test(k))

export function shapeMismatches(doc: Json, ours: unknown, path = '$'): string[] {
  if (doc === null || ours === null) return []
  if (kind(doc) === 'object' && Object.keys(doc as object).length === 0) return []
  if (Array.isArray(doc)) {
    if (doc.length === 0) return Array.isArray(ours) || kind(ours) === 'object' ? [] : [`${path}: expected array, got ${kind(ours)}`]
    if (!Array.isArray(ours)) return [`${path}: expected array, got ${kind(ours)}`]
    return elementsMismatches(doc, ours, path)
  }
  if (kind(doc) === 'object') {
    const d = doc as Record<string, Json>
    if (kind(ours) !== 'object') return [`${path}: expected object, got ${kind(ours)}`]
    const o = ours as Record<string, unknown>
    if (isMap(d)) return elementsMismatches(Object.values(d), Object.values(o), path)
    const out: string[] = []
    for (const key of Object.keys(d)) {
      if (!(key in o)) out.push(`${path}.${key}: missing`)
      else out.push(...shapeMismatches(d[key] as Json, o[key], `${path}.${key}`))
    }
    return out
  }
  return kind(doc) === kind(ours) ? [] : [`${path}: expected ${kind(doc)}, got ${kind(ours)} (${JSON.stringify(ours)?.slice(0, 60)})`]
}

function elementsMismatches(doc: Json[], ours: unknown[], path: string): string[] {
  if (ours.length === 0) return [`${path}: expected a non-empty list`]
  const out: string[] = []
  ours.forEach((el, i) => {
    let best: string[] | null = null
    for (const d of doc) {
      const m = shapeMismatches(d, el, `${path}[${i}]`)
      if (m.length === 0) return
      if (best === null || m.length < best.length) best = m
    }
    out.push(...(best ?? []))
  })
  return out
}
