import { esc } from './layout.ts'
import type { Company, CrmType, LayoutSection, Row } from './crm.ts'
import type { Strings } from './session.ts'

/**
 * The card's fields, read generically from crm.item.fields: which to show (the card layout, or
 * Bitrix24's default card), how to render each type as an input, and how a submitted value
 * becomes what crm.item.add/update takes.
 */

export interface CardField {
  /** camelCase REST name (the key in crm.item.get / crm.item.update). */
  name: string
  title: string
  type: string
  multiple: boolean
  readOnly: boolean
  /** Rows of a string field (settings.ROWS): more than one renders a textarea. */
  rows: number
  items: Array<{ id: string; value: string }>
}

export interface CardSection {
  title: string
  fields: CardField[]
}

/** Composite elements of Bitrix24's card layout, and the REST field they stand for. */
const COMPOSITE: Record<string, string> = {
  OPPORTUNITY_WITH_CURRENCY: 'opportunity',
  CLIENT: 'companyId',
  OBSERVER: 'observers',
  OBSERVERS: 'observers',
}

/** Types the card edits; any other field (categories, contacts, relations…) stays off the form. */
const EDITABLE = new Set(['string', 'text', 'integer', 'double', 'money', 'date', 'datetime', 'boolean', 'enumeration', 'employee', 'user', 'crm_company', 'file'])

function toField(name: string, d: Row): CardField {
  const settings = (d.settings ?? {}) as Row
  const items = Array.isArray(d.items) ? (d.items as Row[]).map((i) => ({ id: String(i.ID ?? i.id), value: String(i.VALUE ?? i.value ?? '') })) : []
  return {
    name,
    title: String(d.title || d.upperName || name),
    type: String(d.type),
    multiple: d.isMultiple === true,
    readOnly: d.isReadOnly === true,
    rows: Number(settings.ROWS ?? 1) || 1,
    items,
  }
}

/**
 * Sections of the card. With a layout (crm.item.details.configuration.get) only the fields it
 * names appear; without one, Bitrix24's default card: the type's enabled system fields and every
 * user field.
 */
export function cardSections(fields: Record<string, Row>, layout: LayoutSection[] | undefined, type: CrmType | undefined, t: Strings): CardSection[] {
  const byUpper = new Map<string, string>()
  for (const [name, d] of Object.entries(fields)) byUpper.set(String(d.upperName ?? name).toUpperCase(), name)
  const make = (names: string[]): CardField[] =>
    [...new Set(names)]
      .filter((n) => fields[n] !== undefined && EDITABLE.has(String(fields[n]?.type)) && fields[n]?.isReadOnly !== true)
      .map((n) => toField(n, fields[n] as Row))
  if (layout) {
    return layout
      .map((s) => ({
        title: s.title,
        fields: make(s.elements.map((el) => COMPOSITE[el.toUpperCase()] ?? byUpper.get(el.toUpperCase()) ?? el)),
      }))
      .filter((s) => s.fields.length > 0)
  }
  const on = (flag: string): boolean => type?.flags[flag] === 'Y' || type?.flags[flag] === true
  const system = [
    'title',
    'opportunity',
    ...(on('isClientEnabled') ? ['companyId'] : []),
    ...(on('isBeginCloseDatesEnabled') ? ['begindate', 'closedate'] : []),
    'assignedById',
    ...(on('isObserversEnabled') ? ['observers'] : []),
    'comments',
  ]
  const user = Object.entries(fields).filter(([, d]) => d.isDynamic === true).map(([n]) => n)
  return [
    { title: t.aboutItem, fields: make(system) },
    { title: t.more, fields: make(user) },
  ].filter((s) => s.fields.length > 0)
}

export interface RenderData {
  item: Row
  users: Array<{ id: number; name: string }>
  companies: Company[]
  t: Strings
}

const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY', 'KZT', 'BYN']

function options(list: Array<{ id: string; label: string }>, selected: string[], empty: string | null): string {
  const head = empty === null ? '' : `<option value="">${esc(empty)}</option>`
  return head + list.map((o) => `<option value="${esc(o.id)}"${selected.includes(o.id) ? ' selected' : ''}>${esc(o.label)}</option>`).join('')
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v]
}

/** `2026-12-02T05:00:00+03:00` → `2026-12-02T05:00` (the portal's local time, as the value carries it). */
function localDateTime(v: unknown): string {
  return /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})/.exec(String(v ?? ''))?.[1] ?? ''
}

function currencyOf(v: unknown): string {
  return String(v ?? '').split('|')[1] || 'RUB'
}

function moneyInput(id: string, amount: string, currency: string, t: Strings): string {
  const cur = CURRENCIES.includes(currency) ? CURRENCIES : [currency, ...CURRENCIES]
  return `<span class="money"><input id="${id}" type="number" step="0.01" inputmode="decimal" value="${esc(amount)}">` +
    `<select data-part="currency" aria-label="${esc(t.currency)}">${options(cur.map((c) => ({ id: c, label: c })), [currency], null)}</select></span>`
}

/** One field as an input; `data-kind` tells public/card.js how to read it back. */
export function renderField(f: CardField, d: RenderData): string {
  const id = `f-${f.name}`
  const v = d.item[f.name]
  let kind = 'text'
  let input: string
  switch (f.type) {
    case 'money':
      kind = 'money'
      input = moneyInput(id, String(v ?? '').split('|')[0] ?? '', currencyOf(v), d.t)
      break
    case 'double':
    case 'integer':
      if (f.name === 'opportunity') {
        kind = 'money'
        input = moneyInput(id, v === null || v === undefined ? '' : String(v), String(d.item.currencyId ?? 'RUB'), d.t)
      } else {
        kind = 'text'
        input = `<input id="${id}" type="number" step="${f.type === 'integer' ? '1' : 'any'}" value="${esc(v ?? '')}">`
      }
      break
    case 'date':
      input = `<input id="${id}" type="date" value="${esc(String(v ?? '').slice(0, 10))}">`
      break
    case 'datetime':
      input = `<input id="${id}" type="datetime-local" value="${esc(localDateTime(v))}">`
      break
    case 'boolean':
      kind = 'bool'
      input = `<input id="${id}" type="checkbox"${v === true || v === 'Y' || v === 1 || v === '1' ? ' checked' : ''}>`
      break
    case 'enumeration':
    case 'employee':
    case 'user':
    case 'crm_company': {
      kind = 'select'
      const list = f.type === 'enumeration'
        ? f.items.map((i) => ({ id: i.id, label: i.value }))
        : f.type === 'crm_company'
          ? d.companies.map((c) => ({ id: String(c.id), label: c.title }))
          : d.users.map((u) => ({ id: String(u.id), label: u.name }))
      const selected = listOf(v).map(String).filter((s) => s !== '0')
      // A linked record the user may not read is shown the way Bitrix24 does: hidden, by id.
      const unknown = (s: string): string => (f.type === 'crm_company' ? `${d.t.hiddenCompany} #${s}` : `#${s}`)
      for (const s of selected) if (!list.some((o) => o.id === s)) list.push({ id: s, label: unknown(s) })
      input = `<select id="${id}"${f.multiple ? ' multiple size="4"' : ''}>${options(list, selected, f.multiple ? null : d.t.notSelected)}</select>`
      break
    }
    case 'file': {
      kind = 'file'
      const files = listOf(v) as Row[]
      const versions = files
        .map((x, i) => `<li data-testid="file-version" data-file-id="${esc(x.id)}"><a href="${esc(x.url ?? '')}">${esc(f.multiple ? `${d.t.version} ${i + 1}` : d.t.file)}</a> <span class="muted">#${esc(x.id)}</span></li>`)
        .join('')
      input = `<ul class="files" data-testid="file-versions">${versions || `<li class="muted">${esc(d.t.noFiles)}</li>`}</ul>` +
        `<label class="btn upload">${esc(f.multiple ? d.t.uploadVersion : d.t.replaceFile)}<input id="${id}" type="file"${f.multiple ? ' multiple' : ''} hidden></label>` +
        `<span class="picked" data-part="picked"></span>`
      break
    }
    default: {
      if (f.multiple) {
        kind = 'lines'
        input = `<textarea id="${id}" rows="3">${esc(listOf(v).map(String).join('\n'))}</textarea>`
      } else if (f.type === 'text' || f.rows > 1) {
        input = `<textarea id="${id}" rows="${Math.min(Math.max(f.rows, 3), 12)}">${esc(v ?? '')}</textarea>`
      } else {
        input = `<input id="${id}" type="text" value="${esc(v ?? '')}">`
      }
    }
  }
  return `<div class="field" data-field="${esc(f.name)}" data-kind="${kind}" data-type="${esc(f.type)}">` +
    `<label class="field-label" for="${id}">${esc(f.title)}</label><div class="field-value">${input}</div></div>`
}

export interface Upload {
  name: string
  content: string
}

/**
 * What crm.item.add/update takes for a submitted value. `raw` is what public/card.js read:
 * a string, string[] (multiple select / lines), boolean, {amount, currency}, or for files the
 * uploads. Files the item has are passed back as {id} (Bitrix24 deletes any file left out).
 */
export function toRest(f: CardField, raw: unknown, item: Row, uploads: Upload[], offset: string): Record<string, unknown> {
  const str = (x: unknown): string => (x === null || x === undefined ? '' : String(x)).trim()
  const ids = (x: unknown): number[] => listOf(x).map(Number).filter((n) => Number.isFinite(n) && n > 0)
  switch (f.type) {
    case 'money': {
      const m = (raw ?? {}) as { amount?: unknown; currency?: unknown }
      if (f.name === 'opportunity') return { opportunity: Number(str(m.amount)) || 0, currencyId: str(m.currency) || 'RUB' }
      return { [f.name]: str(m.amount) === '' ? '' : `${str(m.amount)}|${str(m.currency) || 'RUB'}` }
    }
    case 'double':
    case 'integer':
      if (f.name === 'opportunity') return toRest({ ...f, type: 'money' }, raw, item, uploads, offset)
      return { [f.name]: str(raw) === '' ? '' : Number(str(raw)) }
    case 'datetime':
      return { [f.name]: str(raw) === '' ? '' : `${str(raw)}:00${offset}` }
    case 'boolean':
      return { [f.name]: raw === true ? 'Y' : 'N' }
    case 'enumeration':
    case 'employee':
    case 'user':
    case 'crm_company':
      return { [f.name]: f.multiple ? ids(raw) : str(raw) === '' ? (f.type === 'crm_company' ? 0 : '') : Number(str(raw)) }
    case 'file': {
      const added = uploads.map((u) => [u.name, u.content])
      if (!f.multiple) return added.length > 0 ? { [f.name]: added[added.length - 1] } : {}
      const kept = (listOf(item[f.name]) as Row[]).map((x) => ({ id: Number(x.id) }))
      return added.length > 0 ? { [f.name]: [...kept, ...added] } : {}
    }
    default:
      if (f.multiple) return { [f.name]: Array.isArray(raw) ? raw.map(str).filter((s) => s !== '') : str(raw).split('\n').map((s) => s.trim()).filter((s) => s !== '') }
      return { [f.name]: typeof raw === 'string' ? raw : str(raw) }
  }
}

/** The portal's UTC offset as the item's own timestamps carry it (`+03:00`). */
export function portalOffset(item: Row): string {
  for (const k of ['updatedTime', 'createdTime']) {
    const m = /([+-]\d{2}:\d{2})$/.exec(String(item[k] ?? ''))
    if (m?.[1]) return m[1]
  }
  const minutes = -new Date().getTimezoneOffset()
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}
