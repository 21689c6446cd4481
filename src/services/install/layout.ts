/**
 * Keeps the app's own fields out of people's way. Bitrix24 shows every user field in the card's
 * form as an editable input unless the card layout leaves it out, and `userfieldconfig.add` has
 * no "show in card" flag (crm.item.details.configuration.*, common scope). So the installer:
 * - sets the common card layout without the fields the app writes (the log, its archive, current
 *   approvers, round, deadline, originals) and forces it on everyone's personal layout;
 * - hides the purely technical fields (the log, its archive) from the list filter too, where
 *   `userfieldconfig.update` takes it (`showFilter`; the list column cannot be set over REST).
 * Rerunning it fixes older installs: a layout an admin arranged keeps its order, only our
 * technical fields leave it and missing people-fields are appended.
 */
import { FIELDS, userFieldName, type FieldKey } from '../../domain/schema.ts'
import type { BatchCommand, BitrixPort } from '../../platform/port.ts'

export interface LayoutElement { name: string; optionFlags?: number; options?: Record<string, unknown> }
export interface LayoutSection { name: string; title: string; type: 'section'; elements: LayoutElement[] }

/** System fields of a smart process a contract card starts with (upper-case names, as the layout takes them). */
const SYSTEM_ELEMENTS = ['TITLE', 'ASSIGNED_BY_ID', 'CLIENT', 'BEGINDATE', 'CLOSEDATE', 'OBSERVER']

const keys = Object.keys(FIELDS) as FieldKey[]

/** Fields people fill in: they belong in the card's form. */
export const formFieldKeys = (): FieldKey[] => keys.filter((k) => FIELDS[k].showInForm)
/** Fields the app writes: never in the card's form. */
export const appFieldKeys = (): FieldKey[] => keys.filter((k) => !FIELDS[k].showInForm)
/** Fields of no use to people at all: out of the form, the list filter and search. */
export const technicalFieldKeys = (): FieldKey[] => keys.filter((k) => !FIELDS[k].showInForm && !FIELDS[k].showInFilter)

/**
 * The common layout to store: the current one without our app-written fields and with our
 * people-fields appended where missing, or, when none is set, one section of the system fields
 * and ours. Pure: exported for the tests.
 */
export function contractLayout(current: readonly LayoutSection[] | null, typeId: number, lang: 'ru' | 'en'): LayoutSection[] {
  const hidden = new Set(appFieldKeys().map((k) => userFieldName(typeId, k)))
  const ours = formFieldKeys().map((k) => userFieldName(typeId, k))
  const sections: LayoutSection[] = current && current.length
    ? current.map((s) => ({ ...s, elements: (s.elements ?? []).filter((e) => !hidden.has(String(e.name).toUpperCase())) }))
    : [{ name: 'main', title: lang === 'ru' ? 'О договоре' : 'About the contract', type: 'section', elements: SYSTEM_ELEMENTS.map((name) => ({ name })) }]
  const present = new Set(sections.flatMap((s) => s.elements.map((e) => String(e.name).toUpperCase())))
  const first = sections[0] as LayoutSection
  for (const name of ours) if (!present.has(name)) first.elements.push({ name })
  return sections
}

function parseLayout(raw: unknown): LayoutSection[] | null {
  if (!Array.isArray(raw)) return null
  return raw.filter((s): s is LayoutSection => !!s && typeof s === 'object' && Array.isArray((s as LayoutSection).elements))
}

export async function ensureCardLayout(port: BitrixPort, entityTypeId: number, typeId: number, lang: 'ru' | 'en'): Promise<void> {
  const current = parseLayout(await port.call('crm.item.details.configuration.get', { entityTypeId, scope: 'C' }))
  const layout = contractLayout(current, typeId, lang)
  const commands: Record<string, BatchCommand> = {
    set: { method: 'crm.item.details.configuration.set', params: { entityTypeId, scope: 'C', data: layout } },
    force: { method: 'crm.item.details.configuration.forceCommonScopeForAll', params: { entityTypeId } },
  }
  const fields = await port.list<{ id?: number | string; fieldName?: string }>('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${typeId}` } }, { resultKey: 'fields' })
  const technical = new Set(technicalFieldKeys().map((k) => userFieldName(typeId, k)))
  for (const f of fields) {
    if (!technical.has(String(f.fieldName ?? '').toUpperCase())) continue
    commands[`hide${f.id}`] = { method: 'userfieldconfig.update', params: { moduleId: 'crm', id: Number(f.id), field: { showFilter: 'N', editInList: 'N', isSearchable: 'N' } } }
  }
  const outcome = await port.batch(commands)
  const failed = outcome.errors.set ?? outcome.errors.force ?? Object.values(outcome.errors)[0]
  if (failed) throw failed
}
