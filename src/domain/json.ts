/**
 * Bitrix24 hands stored JSON back in two shapes: the text that was written (a string field,
 * app.option.get of a string) or a value already decoded (the frame's APP_OPTIONS, an option set
 * as an object). Every reader of stored JSON accepts both through this one function.
 */
export type Decoded = { ok: true; value: unknown } | { ok: false }

/** A string is parsed as JSON; anything else is taken as the decoded value itself. */
export function decodeStoredJson(raw: unknown): Decoded {
  if (typeof raw !== 'string') return { ok: true, value: raw }
  try {
    return { ok: true, value: JSON.parse(raw) as unknown }
  } catch {
    return { ok: false }
  }
}
