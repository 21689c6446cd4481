/**
 * Everything the app keeps in Bitrix24, named once. The installer, the emulator's seed and every
 * reader/writer take names from here; no field name is spelled anywhere else.
 *
 * Three identifiers to keep apart (docs/ARCHITECTURE.md): the smart process type `id` (user fields live on
 * entity `CRM_{id}`), its `entityTypeId` (items, stages `DT{entityTypeId}_{categoryId}:CODE`,
 * placements), and the category id of its default funnel.
 */

export const CONTRACT_TYPE = {
  /** Title of the smart process the installer creates (and looks for when adopting one). */
  title: 'Договоры',
  titleEn: 'Contracts',
  /** Titles that count as "a smart process named like contracts" for adoption. */
  adoptableTitles: ['договоры', 'договор', 'contracts', 'contract'],
} as const

export type StageSemantics = 'process' | 'success' | 'failure'

export interface StageDef {
  /** Stage code: the part after `:` of the status id. */
  readonly code: StageCode
  readonly semantics: StageSemantics
  readonly color: string
  readonly sort: number
}

export type StageCode =
  | 'NEW'
  | 'APPROVAL'
  | 'RETURNED'
  | 'ORIGINALS'
  | 'SUCCESS'
  | 'WITHDRAWN'
  | 'FAIL'

/**
 * Stages in order. NEW, SUCCESS and FAIL are the codes Bitrix24 gives the default stages of a
 * new smart process, so the installer renames those and adds the rest. Their names are texts:
 * src/locales/{ru,en}/stages.json.
 */
export const STAGES: readonly StageDef[] = [
  { code: 'NEW', semantics: 'process', color: '#A8ADB4', sort: 10 },
  { code: 'APPROVAL', semantics: 'process', color: '#2FC6F6', sort: 20 },
  { code: 'RETURNED', semantics: 'process', color: '#FFA900', sort: 30 },
  { code: 'ORIGINALS', semantics: 'process', color: '#7BD500', sort: 40 },
  { code: 'SUCCESS', semantics: 'success', color: '#00C4FB', sort: 50 },
  { code: 'WITHDRAWN', semantics: 'failure', color: '#FF5752', sort: 60 },
  { code: 'FAIL', semantics: 'failure', color: '#FF5752', sort: 70 },
]

/** `DT{entityTypeId}_{categoryId}:{code}` — the status id Bitrix24 gives a smart-process stage. */
export function stageId(entityTypeId: number, categoryId: number, code: StageCode): string {
  return `DT${entityTypeId}_${categoryId}:${code}`
}

/** The stage code of a status id, or undefined when it is not one of ours. */
export function stageCodeOf(statusId: string): StageCode | undefined {
  const code = statusId.slice(statusId.indexOf(':') + 1)
  return STAGES.find((s) => s.code === code)?.code
}

/** `DYNAMIC_{entityTypeId}_STAGE_{categoryId}` — the crm.status ENTITY_ID of a funnel's stages. */
export function stageEntityId(entityTypeId: number, categoryId: number): string {
  return `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`
}

export type UserFieldType = 'string' | 'integer' | 'double' | 'boolean' | 'date' | 'datetime' | 'money' | 'file' | 'employee'

export interface FieldDef {
  /** Suffix after `UF_CRM_{typeId}_`. Upper snake case; kept short (Bitrix24 limits names). */
  readonly suffix: string
  readonly type: UserFieldType
  readonly multiple: boolean
  readonly label: { readonly ru: string; readonly en: string }
  /**
   * In the contract card's form (the card layout the installer sets): only fields people fill
   * in. Fields the app writes (approvers, round, deadline, originals, the log) stay out of it,
   * so nobody types into them; the app's tab shows them.
   */
  readonly showInForm: boolean
  readonly showInList: boolean
  readonly showInFilter: boolean
}

function field(
  suffix: string,
  type: UserFieldType,
  ru: string,
  en: string,
  opts: { multiple?: boolean; hidden?: boolean; list?: boolean; byApp?: boolean } = {},
): FieldDef {
  const hidden = opts.hidden ?? false
  return {
    suffix,
    type,
    multiple: opts.multiple ?? false,
    label: { ru, en },
    showInForm: !hidden && !opts.byApp,
    showInList: !hidden && (opts.list ?? true),
    showInFilter: !hidden && (opts.list ?? true),
  }
}

export const FIELDS = {
  number: field('CA_NUMBER', 'string', 'Номер договора', 'Contract number'),
  date: field('CA_DATE', 'date', 'Дата договора', 'Contract date'),
  /** Free text (supply, services, lease…): route conditions match on it. */
  contractType: field('CA_KIND', 'string', 'Вид договора', 'Contract type'),
  amount: field('CA_AMOUNT', 'money', 'Сумма договора', 'Contract amount'),
  documents: field('CA_DOCS', 'file', 'Версии документа', 'Document versions', { multiple: true, list: false }),
  approvers: field('CA_APPROVERS', 'employee', 'Текущие согласующие', 'Current approvers', { multiple: true, byApp: true }),
  round: field('CA_ROUND', 'integer', 'Круг согласования', 'Approval round', { byApp: true }),
  deadline: field('CA_DEADLINE', 'datetime', 'Срок текущего шага', 'Step deadline', { byApp: true }),
  originalsReceived: field('CA_ORIG', 'boolean', 'Оригиналы получены', 'Originals received', { byApp: true }),
  receivedAt: field('CA_ORIG_AT', 'date', 'Дата получения оригиналов', 'Originals received on', { byApp: true }),
  storageLocation: field('CA_STORAGE', 'string', 'Место хранения', 'Storage location', { byApp: true }),
  archivist: field('CA_ARCHIVIST', 'employee', 'Архивариус', 'Archivist', { byApp: true }),
  approvalLog: field('CA_LOG', 'string', 'Журнал согласования', 'Approval log', { hidden: true }),
  /** Older rounds moved out of the log when it nears its budget: one JSON file, hash-linked. */
  logArchive: field('CA_LOG_ARCH', 'file', 'Журнал согласования: ранние круги', 'Approval log: earlier rounds', { hidden: true }),
  /** The log's measurements for analytics (domain/analytics/metrics.ts), written in the same update as the log. */
  metrics: field('CA_METRICS', 'string', 'Показатели согласования', 'Approval metrics', { hidden: true }),
} as const satisfies Record<string, FieldDef>

export type FieldKey = keyof typeof FIELDS

/** `UF_CRM_{typeId}_{SUFFIX}` — the name userfieldconfig.* uses. */
export function userFieldName(typeId: number, key: FieldKey): string {
  return `UF_CRM_${typeId}_${FIELDS[key].suffix}`
}

/**
 * The camelCase name crm.item.* uses for a user field. Bitrix24 drops the underscores and
 * capitalises each word, but keeps an underscore that stands between two digits:
 * `UF_CRM_10_5186744711` → `ufCrm10_5186744711`, `UF_CRM_7_CA_NUMBER` → `ufCrm7CaNumber`.
 */
export function camelFieldName(upperName: string): string {
  const parts = upperName.toLowerCase().split('_').filter((p) => p !== '')
  let out = parts[0] ?? ''
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] as string
    if (/\d$/.test(out) && /^\d/.test(part)) out += '_' + part
    else out += part.charAt(0).toUpperCase() + part.slice(1)
  }
  return out
}

/** The crm.item.* name of one of our fields on a smart process with type id `typeId`. */
export function itemFieldName(typeId: number, key: FieldKey): string {
  return camelFieldName(userFieldName(typeId, key))
}

/** Every crm.item.* field name of ours, keyed by FieldKey. */
export function itemFieldNames(typeId: number): Record<FieldKey, string> {
  const out = {} as Record<FieldKey, string>
  for (const key of Object.keys(FIELDS) as FieldKey[]) out[key] = itemFieldName(typeId, key)
  return out
}

/**
 * A string user field is a TEXT column on a real portal: 65,535 bytes, cut silently past that.
 * The stored text stays under 64,000 (services/approval/stored-log.ts), earlier rounds moving
 * into an archive file; the whole history (field + file) is bounded by the domain's budget,
 * refused with a clear logOverBudget instead of ever being truncated.
 */
export const STRING_FIELD_MAX_BYTES = 65_535
export const APPROVAL_LOG_MAX_BYTES = 1_000_000

export const PLACEMENTS = {
  detailTab: (entityTypeId: number) => `CRM_DYNAMIC_${entityTypeId}_DETAIL_TAB`,
  leftMenu: 'LEFT_MENU',
  default: 'DEFAULT',
  /** The *Apps* menu of a chat in the Bitrix24 mobile app: its only placement (widgets/mobile-app.md). */
  mobileChat: 'IMMOBILE_CONTEXT_MENU',
  /**
   * The app opened by a link `/marketplace/view/{code}/?params[…]` in a slider over the page the
   * link was on (widgets/universal/app-url.md); the params arrive in PLACEMENT_OPTIONS as strings.
   */
  appLink: 'REST_APP_URI',
} as const

/** The PLACEMENT_OPTIONS key of an app link that names the contract to open (`params[contract]`). */
export const APP_LINK_CONTRACT = 'contract'

/** Matches a detail-tab placement code and gives its entityTypeId. */
export function detailTabEntityTypeId(placement: string): number | undefined {
  const m = /^CRM_DYNAMIC_(\d+)_DETAIL_TAB$/.exec(placement)
  return m ? Number(m[1]) : undefined
}

/** Keys under which the app keeps its settings with app.option.set. */
export const APP_OPTION_KEYS = {
  /** What the installer created: { typeId, entityTypeId, categoryId, fields, version }. */
  install: 'ca_install',
  /** Versioned approval routes. */
  routes: 'ca_routes',
  /** Who besides admins sees the Analytics tab: `{ v: 1, userIds }` (domain/analytics/viewers.ts). */
  analyticsViewers: 'ca_analytics_viewers',
  /** Who records the receipt of paper originals: `{ v: 1, userIds }` (domain/archive.ts). */
  archivists: 'ca_archivists',
  /** Absences and their deputies: `{ v: 1, absences }` (domain/deputies.ts). */
  deputies: 'ca_deputies',
} as const

/** Absolute link to a contract card, for notifications (relative links are unreliable there). */
export function cardPath(entityTypeId: number, itemId: number): string {
  return `/crm/type/${entityTypeId}/details/${itemId}/`
}

/**
 * Link that opens the app itself on a contract's approval view, in a slider over the page it is
 * followed from (REST_APP_URI, widgets/universal/app-url.md): `/marketplace/view/{appCode}/?params[contract]={id}`.
 * The brackets are percent-encoded so the link survives BB-code `[URL=…]`, whose target ends at
 * the first `]`; the portal decodes them back into `params[contract]`.
 */
export function appLinkPath(appCode: string, itemId: number): string {
  return `/marketplace/view/${encodeURIComponent(appCode)}/?params%5B${APP_LINK_CONTRACT}%5D=${itemId}`
}

/** The entityTypeId the install record (`ca_install`: an object or its JSON) names, or null. */
export function installedEntityTypeId(raw: unknown): number | null {
  let data = raw
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw)
    } catch {
      return null
    }
  }
  if (typeof data !== 'object' || data === null) return null
  const id = Number((data as Record<string, unknown>).entityTypeId)
  return Number.isInteger(id) && id > 0 ? id : null
}

/** Where a notification about a contract sends its reader: the app's link when the app's code is known, else the card. */
export function contractLinkPath(entityTypeId: number, itemId: number, appCode: string | null | undefined): string {
  return appCode ? appLinkPath(appCode, itemId) : cardPath(entityTypeId, itemId)
}

/**
 * Symbolic code (`code` of crm.type) the installer puts on the smart process it creates, so a
 * rerun after a crash recognises its own type and never asks to "adopt" it or creates a second.
 */
export const CONTRACT_TYPE_CODE = 'ca_contracts'

/**
 * The code the installer gives a smart process the admin chose to adopt (when it had none): a
 * rerun resumes with it, and the installer still knows it is the customer's type, whose own
 * stages it must leave alone.
 */
export const ADOPTED_TYPE_CODE = 'ca_contracts_adopted'
