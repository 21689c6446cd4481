/**
 * A small stand-in for luxon's `DateTime`, which the SDK imports for its `Text` helpers and its
 * log formatter only (`tools/text.mjs`: `fromFormat`, `fromISO`, `fromJSDate`, `now`,
 * `toFormat`; `logger/formatter/abstract-formatter.mjs`: `fromJSDate`, `toSeconds`, `toFormat`).
 * The bundler maps `luxon` here (`resolve.alias`); the SDK is unmodified and the app itself
 * formats dates with `Intl`. Local time or UTC (`{ zone: 'utc' }`), the numeric format tokens
 * (`yyyy yy MM M dd d HH H hh h mm m ss s SSS a ZZZ ZZ Z`, `'quoted'` literals); anything
 * luxon would parse that this does not is an invalid DateTime (`isValid` false), never a wrong one.
 */

export interface DateTimeOptions {
  zone?: string
  locale?: string
  setZone?: boolean
}

const INVALID = 'Invalid DateTime'
const TOKENS = /'([^']*)'|''|yyyy|yy|y|MM|M|dd|d|HH|H|hh|h|mm|m|SSS|ss|s|S|a|ZZZ|ZZ|Z/g

const pad = (n: number, width = 2) => String(Math.abs(Math.trunc(n))).padStart(width, '0')

function isUtc(opts?: DateTimeOptions): boolean {
  const zone = opts?.zone?.toLowerCase()
  return zone === 'utc' || zone === 'utc+0' || zone === 'etc/utc' || zone === 'gmt'
}

interface Parts { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number }

function partsToMillis(p: Parts, offsetMinutes: number | null, utc: boolean): number {
  const valid = p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= 31 && p.hour <= 24 && p.minute <= 59 && p.second <= 59
  if (!valid) return Number.NaN
  const wall = utc || offsetMinutes !== null
    ? Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond)
    : new Date(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond).getTime()
  // A day the month does not have (31 April) is invalid, as in luxon.
  const check = new Date(wall)
  const day = utc || offsetMinutes !== null ? check.getUTCDate() : check.getDate()
  if (day !== p.day && p.hour !== 24) return Number.NaN
  return offsetMinutes === null ? wall : wall - offsetMinutes * 60_000
}

function offsetOf(text: string | undefined): number | null {
  if (!text) return null
  if (text === 'Z' || text === 'z') return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text)
  if (!m) return Number.NaN
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0))
}

export class DateTime {
  private constructor(private readonly ms: number, private readonly utc: boolean) {}

  static now(): DateTime {
    return new DateTime(Date.now(), false)
  }

  static fromJSDate(date: Date, opts?: DateTimeOptions): DateTime {
    return new DateTime(date instanceof Date ? date.getTime() : Number.NaN, isUtc(opts))
  }

  static fromMillis(ms: number, opts?: DateTimeOptions): DateTime {
    return new DateTime(ms, isUtc(opts))
  }

  static fromSeconds(seconds: number, opts?: DateTimeOptions): DateTime {
    return new DateTime(seconds * 1000, isUtc(opts))
  }

  /** ISO 8601 calendar dates and times (`2026-05-04`, `2026-05-04T09:53:51.123+03:00`). */
  static fromISO(text: string, opts?: DateTimeOptions): DateTime {
    const utc = isUtc(opts)
    const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(String(text).trim())
    if (!m) return new DateTime(Number.NaN, utc)
    const offset = offsetOf(m[8])
    if (Number.isNaN(offset)) return new DateTime(Number.NaN, utc)
    const parts: Parts = {
      year: Number(m[1]), month: Number(m[2]), day: Number(m[3] ?? 1),
      hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0),
      millisecond: Number(((m[7] ?? '') + '000').slice(0, 3)),
    }
    return new DateTime(partsToMillis(parts, offset, utc), utc)
  }

  /** Parses numeric tokens (see the module's note); text tokens give an invalid DateTime. */
  static fromFormat(text: string, format: string, opts?: DateTimeOptions): DateTime {
    const utc = isUtc(opts)
    const fields: string[] = []
    let source = ''
    let last = 0
    for (const match of format.matchAll(TOKENS)) {
      source += format.slice(last, match.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      last = match.index + match[0].length
      const token = match[0]
      if (match[1] !== undefined || token === "''") {
        source += (match[1] ?? "'").replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        continue
      }
      fields.push(token)
      source += token === 'yyyy' ? '(\\d{4})'
        : token === 'SSS' ? '(\\d{3})'
          : token === 'a' ? '(AM|PM|am|pm)'
            : token.startsWith('Z') ? '(Z|[+-]\\d{1,2}(?::?\\d{2})?)'
              : token.length === 2 ? '(\\d{2})' : '(\\d{1,4})'
    }
    source += format.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const m = new RegExp(`^${source}$`).exec(String(text))
    if (!m) return new DateTime(Number.NaN, utc)
    const p: Parts = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }
    let offset: number | null = null
    let pm: boolean | null = null
    let twelve = false
    fields.forEach((token, i) => {
      const raw = m[i + 1] ?? ''
      const n = Number(raw)
      if (token === 'yyyy' || token === 'y') p.year = n
      else if (token === 'yy') p.year = n > 60 ? 1900 + n : 2000 + n
      else if (token === 'MM' || token === 'M') p.month = n
      else if (token === 'dd' || token === 'd') p.day = n
      else if (token === 'HH' || token === 'H') p.hour = n
      else if (token === 'hh' || token === 'h') { p.hour = n; twelve = true }
      else if (token === 'mm' || token === 'm') p.minute = n
      else if (token === 'ss' || token === 's') p.second = n
      else if (token === 'SSS' || token === 'S') p.millisecond = n
      else if (token === 'a') pm = raw.toLowerCase() === 'pm'
      else offset = raw === 'Z' ? 0 : offsetOf(raw.replace(/^([+-])(\d)(?!\d)/, '$10$2'))
    })
    if (twelve && pm !== null) p.hour = (p.hour % 12) + (pm ? 12 : 0)
    if (offset !== null && Number.isNaN(offset)) return new DateTime(Number.NaN, utc)
    return new DateTime(partsToMillis(p, offset, utc), utc)
  }

  get isValid(): boolean {
    return Number.isFinite(this.ms)
  }

  get invalidReason(): string | null {
    return this.isValid ? null : 'unparsable'
  }

  private get date(): Date {
    return new Date(this.ms)
  }

  get year(): number { return this.utc ? this.date.getUTCFullYear() : this.date.getFullYear() }
  get month(): number { return (this.utc ? this.date.getUTCMonth() : this.date.getMonth()) + 1 }
  get day(): number { return this.utc ? this.date.getUTCDate() : this.date.getDate() }
  get hour(): number { return this.utc ? this.date.getUTCHours() : this.date.getHours() }
  get minute(): number { return this.utc ? this.date.getUTCMinutes() : this.date.getMinutes() }
  get second(): number { return this.utc ? this.date.getUTCSeconds() : this.date.getSeconds() }
  get millisecond(): number { return this.utc ? this.date.getUTCMilliseconds() : this.date.getMilliseconds() }
  /** Minutes east of UTC. */
  get offset(): number { return this.utc ? 0 : -this.date.getTimezoneOffset() }

  toUTC(): DateTime { return new DateTime(this.ms, true) }
  toLocal(): DateTime { return new DateTime(this.ms, false) }
  setZone(zone: string): DateTime { return new DateTime(this.ms, isUtc({ zone })) }

  toFormat(format: string): string {
    if (!this.isValid) return INVALID
    const off = this.offset
    const sign = off < 0 ? '-' : '+'
    return format.replace(TOKENS, (token, literal: string | undefined) => {
      if (literal !== undefined) return literal
      switch (token) {
        case "''": return "'"
        case 'yyyy': return pad(this.year, 4)
        case 'yy': return pad(this.year % 100)
        case 'y': return String(this.year)
        case 'MM': return pad(this.month)
        case 'M': return String(this.month)
        case 'dd': return pad(this.day)
        case 'd': return String(this.day)
        case 'HH': return pad(this.hour)
        case 'H': return String(this.hour)
        case 'hh': return pad(this.hour % 12 || 12)
        case 'h': return String(this.hour % 12 || 12)
        case 'mm': return pad(this.minute)
        case 'm': return String(this.minute)
        case 'ss': return pad(this.second)
        case 's': return String(this.second)
        case 'SSS': return pad(this.millisecond, 3)
        case 'S': return String(this.millisecond)
        case 'a': return this.hour < 12 ? 'AM' : 'PM'
        case 'ZZZ': return `${sign}${pad(off / 60)}${pad(off % 60)}`
        case 'ZZ': return `${sign}${pad(off / 60)}:${pad(off % 60)}`
        default: return off % 60 ? `${sign}${Math.trunc(Math.abs(off) / 60)}:${pad(off % 60)}` : `${sign}${Math.trunc(Math.abs(off) / 60)}`
      }
    })
  }

  toISO(): string | null {
    return this.isValid ? this.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ") : null
  }

  toJSDate(): Date { return new Date(this.ms) }
  toMillis(): number { return this.ms }
  toSeconds(): number { return this.ms / 1000 }
  valueOf(): number { return this.ms }
  toString(): string { return this.toISO() ?? INVALID }
  toJSON(): string | null { return this.toISO() }
}
