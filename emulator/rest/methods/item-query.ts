/**
 * Checks the keys of a crm.item.* `filter` and `order` against the entity's real fields (system
 * fields plus its user fields). Bitrix24 answers an unknown key with HTTP 400 INVALID_ARG_VALUE
 * instead of ignoring it (b24restdocs api-reference/crm/universal/crm-item-list.md).
 */
import { invalidArg } from '../../core/errors.ts'
import { filterField, MAX_FILTER_DEPTH } from '../../core/listing.ts'

export function checkFilterKeys(filter: unknown, known: (name: string) => boolean, depth = 0): void {
  if (depth > MAX_FILTER_DEPTH) throw invalidArg(`filter is nested deeper than ${MAX_FILTER_DEPTH} levels`)
  if (filter === null || filter === undefined || filter === '') return
  if (Array.isArray(filter)) {
    for (const f of filter) checkFilterKeys(f, known, depth + 1)
    return
  }
  if (typeof filter !== 'object') throw invalidArg('filter must be an object')
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    const field = filterField(key, value)
    if (field === null) {
      if (key !== 'logic' && key !== 'LOGIC') checkFilterKeys(value, known, depth + 1)
      continue
    }
    if (!known(field)) throw invalidArg(`Unknown field in filter: ${field}`)
  }
}

export function checkOrderKeys(order: unknown, known: (name: string) => boolean): void {
  if (order === null || order === undefined || order === '') return
  if (typeof order !== 'object' || Array.isArray(order)) throw invalidArg('order must be an object')
  for (const [key, dir] of Object.entries(order as Record<string, unknown>)) {
    if (!known(key)) throw invalidArg(`Unknown field in order: ${key}`)
    if (!/^(asc|desc)$/i.test(String(dir))) throw invalidArg(`Wrong sort direction for ${key}`)
  }
}
