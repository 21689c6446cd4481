/**
 * Dates as Bitrix24 prints them: ISO 8601 with the portal's offset. The demo portal lives in
 * Moscow time (+03:00) whatever the host's TZ is, so tests pinned to UTC see the same strings.
 */
const OFFSET_MIN = 180

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

export function isoPortal(ms: number = Date.now()): string {
  const d = new Date(ms + OFFSET_MIN * 60_000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+03:00`
}

/** A date-only user field is returned as midnight of that day in the portal's zone. */
export function isoDate(value: string): string {
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1]
  if (day) return `${day}T00:00:00+03:00`
  const ms = parseDate(value)
  return ms === null ? value : `${isoPortal(ms).slice(0, 10)}T00:00:00+03:00`
}

/** Normalises any accepted datetime spelling to portal ISO; null when unparsable. */
export function isoDateTime(value: string): string | null {
  const ms = parseDate(value)
  return ms === null ? null : isoPortal(ms)
}

export function parseDate(value: string): number | null {
  if (!value) return null
  // A datetime without offset is portal-local time.
  const local = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(value)
  const ms = Date.parse(local ? (value.length === 10 ? `${value}T00:00:00+03:00` : `${value}+03:00`) : value)
  if (Number.isFinite(ms)) return ms
  const ru = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value)
  if (ru) {
    const [, dd, mm, yyyy, hh = '00', mi = '00', ss = '00'] = ru
    return Date.parse(`${yyyy}-${mm}-${dd}T${hh}:${mi}:${ss}+03:00`)
  }
  return null
}

/** What the operating-time meter reports for the method of a reply. */
export interface OperatingInfo {
  operating: number
  resetAt: number
}

/** The `time` block of every reply; the SDK throws on a reply without it. */
export function timeBlock(startMs: number, finishMs: number = Date.now(), op?: OperatingInfo): Record<string, number | string> {
  const duration = Math.max(0, finishMs - startMs) / 1000
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration,
    processing: duration,
    date_start: isoPortal(startMs),
    date_finish: isoPortal(finishMs),
    operating_reset_at: op ? op.resetAt : Math.floor(finishMs / 1000) + 600,
    // The method's summed execution time in the window (limits.md); the SDK blocks near 480 s.
    operating: op ? op.operating : 0,
  }
}
