/** The system fields of crm.item records: names, types, defaults, and crm.item.fields metadata. */
import type { Emu } from '../../core/context.ts'

export interface SysField {
  name: string
  type: string
  title: string
  readOnly?: boolean
  multiple?: boolean
  required?: boolean
  settings?: Record<string, unknown>
  /** crm.status entity the value comes from ('STAGE' = the item's funnel). */
  statusType?: string
  /** Kept for compatibility but superseded (contactId by contactIds). */
  deprecated?: boolean
  /** Value on a fresh item. */
  dflt: unknown
}

const f = (name: string, type: string, title: string, dflt: unknown, extra: Partial<SysField> = {}): SysField => ({ name, type, title, dflt, ...extra })

/** Fields every item has (smart processes, and the common part of leads and deals). */
export const COMMON_FIELDS: SysField[] = [
  f('id', 'integer', 'ID', 0, { readOnly: true }),
  f('xmlId', 'string', 'Внешний код', null),
  f('title', 'string', 'Название', ''),
  f('createdBy', 'user', 'Кем создан', 0, { readOnly: true }),
  f('updatedBy', 'user', 'Кем изменён', 0, { readOnly: true }),
  f('movedBy', 'user', 'Кем перемещён', 0, { readOnly: true }),
  f('createdTime', 'datetime', 'Когда создан', '', { readOnly: true }),
  f('updatedTime', 'datetime', 'Когда изменён', '', { readOnly: true }),
  f('movedTime', 'datetime', 'Когда перемещён', '', { readOnly: true }),
  f('categoryId', 'crm_category', 'Воронка', 0),
  f('opened', 'boolean', 'Доступен для всех', 'Y', { required: true }),
  f('stageId', 'crm_status', 'Стадия', '', { statusType: 'STAGE' }),
  f('previousStageId', 'crm_status', 'Предыдущая стадия', null, { readOnly: true, statusType: 'STAGE' }),
  f('begindate', 'date', 'Дата начала', null),
  f('closedate', 'date', 'Дата завершения', null),
  f('companyId', 'crm_company', 'Компания', null, { settings: { parentEntityTypeId: 4 } }),
  f('contactId', 'crm_contact', 'Контакт', null, { deprecated: true }),
  f('opportunity', 'double', 'Сумма', 0),
  f('isManualOpportunity', 'boolean', 'Ручной расчёт суммы', 'N'),
  f('taxValue', 'double', 'Сумма налога', 0),
  f('currencyId', 'crm_currency', 'Валюта', 'RUB'),
  f('mycompanyId', 'crm_company', 'Реквизиты вашей компании', null, { settings: { isMyCompany: true, parentEntityTypeId: 4, isEmbeddedEditorEnabled: true } }),
  f('sourceId', 'crm_status', 'Источник', null, { statusType: 'SOURCE' }),
  f('sourceDescription', 'text', 'Дополнительно об источнике', null),
  f('webformId', 'integer', 'Создано CRM-формой', null),
  f('assignedById', 'user', 'Ответственный', 0),
  f('lastActivityBy', 'user', 'Последняя активность от', 0, { readOnly: true }),
  f('lastActivityTime', 'datetime', 'Последняя активность', '', { readOnly: true }),
  f('comments', 'text', 'Комментарий', null),
  f('originatorId', 'string', 'Внешний источник', null),
  f('originId', 'string', 'Идентификатор во внешнем источнике', null),
  f('stageSemanticId', 'string', 'Группа стадии', 'P', { readOnly: true }),
  f('dateCreateShort', 'date', 'Дата создания', null, { readOnly: true }),
  f('dateModifyShort', 'date', 'Дата изменения', null, { readOnly: true }),
  f('productId', 'integer', 'Товар', null),
  f('searchContent', 'string', 'Поиск', null, { readOnly: true }),
  f('isReturnCustomer', 'boolean', 'Повторный клиент', 'N', { readOnly: true }),
  f('utmSource', 'string', 'UTM source', null),
  f('utmMedium', 'string', 'UTM medium', null),
  f('utmCampaign', 'string', 'UTM campaign', null),
  f('utmContent', 'string', 'UTM content', null),
  f('utmTerm', 'string', 'UTM term', null),
  f('observers', 'user', 'Наблюдатели', [], { multiple: true }),
  f('contactIds', 'crm_contact', 'Контакты', [], { multiple: true }),
  f('contacts', 'crm_contact', 'Контакты', [], { multiple: true, readOnly: true }),
]

/** Extra fields of deals (entityTypeId 2). */
export const DEAL_FIELDS: SysField[] = [
  f('leadId', 'crm_lead', 'Лид', null), f('quoteId', 'crm_quote', 'Предложение', null), f('typeId', 'crm_status', 'Тип', null),
  f('probability', 'integer', 'Вероятность', null), f('isNew', 'boolean', 'Новая', 'Y', { readOnly: true }), f('isRecurring', 'boolean', 'Регулярная', 'N'),
  f('isRepeatedApproach', 'boolean', 'Повторное обращение', 'N', { readOnly: true }), f('closed', 'boolean', 'Закрыта', 'N'),
  f('begindateShort', 'date', '', null, { readOnly: true }), f('closedateShort', 'date', '', null, { readOnly: true }),
  f('eventDate', 'datetime', '', null), f('eventDateShort', 'date', '', null, { readOnly: true }), f('eventId', 'string', '', null),
  f('eventDescription', 'text', '', null), f('locationId', 'location', '', null), f('additionalInfo', 'text', '', null),
  f('orderStage', 'string', '', null), f('isWork', 'boolean', '', null), f('isWon', 'boolean', '', null), f('isLose', 'boolean', '', null),
  f('receivedAmount', 'double', '', null), f('lostAmount', 'double', '', null), f('hasProducts', 'boolean', '', null),
]

/** Extra fields of leads (entityTypeId 1). */
export const LEAD_FIELDS: SysField[] = [
  ...['isConvert', 'statusDescription', 'name', 'lastName', 'secondName', 'shortName', 'companyTitle', 'post', 'address', 'dateClosed',
    'birthdate', 'honorific', 'login', 'skype', 'icq'].map((n) => f(n, 'string', n, null)),
  ...['hasPhone', 'hasEmail', 'hasImol'].map((n) => f(n, 'boolean', n, 'N', { readOnly: true })),
  ...['phoneMobile', 'phoneWork', 'phoneMailing', 'emailHome', 'emailWork', 'emailMailing', 'imol', 'email', 'phone'].map((n) => f(n, 'string', n, '', { readOnly: true })),
  f('fm', 'crm_multifield', 'Мультиполя', [], { multiple: true }),
]

/** Fields shared by companies and contacts (b24restdocs api-reference/crm/universal/crm-item-fields.md, entityTypeId 3/4). */
const CLIENT_COMMON: SysField[] = [
  f('id', 'integer', 'ID', 0, { readOnly: true }),
  f('categoryId', 'crm_category', 'Направление', 0),
  f('comments', 'text', 'Комментарий', null),
  f('opened', 'boolean', 'Доступен для всех', 'Y', { required: true }),
  f('assignedById', 'user', 'Ответственный', 0),
  f('createdBy', 'user', 'Кем создан', 0, { readOnly: true }),
  f('updatedBy', 'user', 'Кем изменён', 0, { readOnly: true }),
  f('createdTime', 'datetime', 'Когда создан', '', { readOnly: true }),
  f('updatedTime', 'datetime', 'Когда изменён', '', { readOnly: true }),
  f('lastActivityBy', 'user', 'Последняя активность от', 0, { readOnly: true }),
  f('lastActivityTime', 'datetime', 'Последняя активность', '', { readOnly: true }),
  f('originatorId', 'string', 'Внешний источник', null),
  f('originId', 'string', 'Идентификатор во внешнем источнике', null),
  ...['utmSource', 'utmMedium', 'utmCampaign', 'utmContent', 'utmTerm'].map((n) => f(n, 'string', n, null)),
  f('observers', 'user', 'Наблюдатели', [], { multiple: true }),
  ...['hasPhone', 'hasEmail', 'hasImol'].map((n) => f(n, 'boolean', n, 'N', { readOnly: true })),
  f('fm', 'crm_multifield', 'Мультиполя', [], { multiple: true }),
]

/** Companies (entityTypeId 4): a title, no stages, no amount. */
export const COMPANY_FIELDS: SysField[] = [
  ...CLIENT_COMMON,
  f('title', 'string', 'Название компании', '', { required: true }),
  f('companyTypeId', 'crm_status', 'Тип компании', null, { statusType: 'COMPANY_TYPE' }),
  f('logo', 'file', 'Логотип', null),
  f('industry', 'crm_status', 'Сфера деятельности', null, { statusType: 'INDUSTRY' }),
  f('employees', 'crm_status', 'Кол-во сотрудников', null, { statusType: 'EMPLOYEES' }),
  f('revenue', 'double', 'Годовой оборот', null),
  f('currencyId', 'crm_currency', 'Валюта', 'RUB'),
  f('isMyCompany', 'boolean', 'Моя компания', 'N'),
  f('bankingDetails', 'text', 'Банковские реквизиты', null),
  f('contactIds', 'crm_contact', 'Контакты', [], { multiple: true }),
]

/** Contacts (entityTypeId 3): a person's names, no title, no stages, no amount. */
export const CONTACT_FIELDS: SysField[] = [
  ...CLIENT_COMMON,
  f('honorific', 'crm_status', 'Обращение', null, { statusType: 'HONORIFIC' }),
  f('name', 'string', 'Имя', null),
  f('secondName', 'string', 'Отчество', null),
  f('lastName', 'string', 'Фамилия', null),
  f('fullName', 'string', 'Полное имя', null, { readOnly: true }),
  f('photo', 'file', 'Фотография', null),
  f('birthdate', 'date', 'Дата рождения', null),
  f('typeId', 'crm_status', 'Тип контакта', null, { statusType: 'CONTACT_TYPE' }),
  f('sourceId', 'crm_status', 'Источник', null, { statusType: 'SOURCE' }),
  f('sourceDescription', 'text', 'Дополнительно об источнике', null),
  f('post', 'string', 'Должность', null),
  f('export', 'boolean', 'Участвует в экспорте', 'Y'),
  f('companyId', 'crm_company', 'Компания', null, { deprecated: true }),
  f('companyIds', 'crm_company', 'Компании', [], { multiple: true }),
]

export function systemFields(entityTypeId: number): SysField[] {
  if (entityTypeId === 2) return [...COMMON_FIELDS, ...DEAL_FIELDS]
  if (entityTypeId === 1) return [...COMMON_FIELDS.filter((x) => x.name !== 'categoryId'), ...LEAD_FIELDS]
  if (entityTypeId === 3) return CONTACT_FIELDS
  if (entityTypeId === 4) return COMPANY_FIELDS
  return COMMON_FIELDS
}

/** `parentId{N}` relation fields: one per smart process type (and lead/deal) other than the item's own. */
export function parentFields(ctx: Emu, entityTypeId: number): SysField[] {
  // Clients are parents of other items, not their children.
  if (entityTypeId === 3 || entityTypeId === 4) return []
  const ids = [1, 2, ...ctx.db.crm.types.map((t) => t.entityTypeId)].filter((id) => id !== entityTypeId)
  return ids.map((id) => {
    const title = id === 1 ? 'Лид' : id === 2 ? 'Сделка' : ctx.db.crm.types.find((t) => t.entityTypeId === id)?.title ?? String(id)
    return f(`parentId${id}`, 'crm_entity', title, null, { settings: { parentEntityTypeId: id } })
  })
}

/** `UPPER_SNAKE` of a camelCase system name (what crm.item.fields reports as upperName). */
export function upperName(camel: string): string {
  return camel.replace(/([a-z])([A-Z0-9])/g, '$1_$2').replace(/(\d)([A-Za-z])/g, '$1_$2').toUpperCase()
}
