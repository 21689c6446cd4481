/** Staff and departments of the demo portal: Автохолдинг «Северный». */
import type { Department, PortalUser, CrmRight } from '../core/types.ts'

interface Person {
  id: number
  name: string
  last: string
  second: string
  position: string
  dept: number
  admin?: boolean
  read: CrmRight
  write: CrmRight
  email: string
}

/** Stable ids other code (tests, e2e personas) can rely on. */
export const PEOPLE = {
  admin: 1,
  salesManager: 2,
  procurementManager: 3,
  salesManager2: 4,
  lawyer: 5,
  cfo: 6,
  ceo: 7,
  security: 8,
  archivist: 9,
  noAccess: 10,
  salesHead: 11,
  procurementHead: 12,
} as const

const STAFF: Person[] = [
  { id: 1, name: 'Алексей', last: 'Смирнов', second: 'Игоревич', position: 'Администратор Битрикс24', dept: 2, admin: true, read: 'all', write: 'all', email: 'a.smirnov' },
  { id: 2, name: 'Мария', last: 'Козлова', second: 'Андреевна', position: 'Менеджер по продажам', dept: 3, read: 'own', write: 'own', email: 'm.kozlova' },
  { id: 3, name: 'Дмитрий', last: 'Волков', second: 'Сергеевич', position: 'Менеджер по закупкам', dept: 4, read: 'own', write: 'own', email: 'd.volkov' },
  { id: 4, name: 'Ольга', last: 'Новикова', second: 'Викторовна', position: 'Менеджер по корпоративным продажам', dept: 3, read: 'own', write: 'own', email: 'o.novikova' },
  { id: 5, name: 'Елена', last: 'Соколова', second: 'Павловна', position: 'Ведущий юрисконсульт', dept: 5, read: 'all', write: 'all', email: 'e.sokolova' },
  { id: 6, name: 'Сергей', last: 'Морозов', second: 'Николаевич', position: 'Финансовый директор', dept: 6, read: 'all', write: 'all', email: 's.morozov' },
  { id: 7, name: 'Андрей', last: 'Лебедев', second: 'Владимирович', position: 'Генеральный директор', dept: 1, read: 'all', write: 'all', email: 'a.lebedev' },
  { id: 8, name: 'Николай', last: 'Егоров', second: 'Михайлович', position: 'Руководитель службы безопасности', dept: 7, read: 'all', write: 'all', email: 'n.egorov' },
  { id: 9, name: 'Татьяна', last: 'Павлова', second: 'Юрьевна', position: 'Архивариус', dept: 8, read: 'all', write: 'all', email: 't.pavlova' },
  { id: 10, name: 'Павел', last: 'Орлов', second: 'Алексеевич', position: 'Мастер-приёмщик', dept: 9, read: 'none', write: 'none', email: 'p.orlov' },
  { id: 11, name: 'Игорь', last: 'Кузнецов', second: 'Олегович', position: 'Руководитель отдела продаж', dept: 3, read: 'all', write: 'all', email: 'i.kuznetsov' },
  { id: 12, name: 'Виктор', last: 'Зайцев', second: 'Геннадьевич', position: 'Руководитель отдела закупок', dept: 4, read: 'all', write: 'all', email: 'v.zaytsev' },
]

export const DEPARTMENTS: Department[] = [
  { ID: 1, NAME: 'Автохолдинг «Северный»', SORT: 100, PARENT: null, UF_HEAD: 7 },
  { ID: 2, NAME: 'ИТ-отдел', SORT: 500, PARENT: 1, UF_HEAD: 1 },
  { ID: 3, NAME: 'Отдел продаж', SORT: 200, PARENT: 1, UF_HEAD: 11 },
  { ID: 4, NAME: 'Отдел закупок', SORT: 300, PARENT: 1, UF_HEAD: 12 },
  { ID: 5, NAME: 'Юридический отдел', SORT: 400, PARENT: 1, UF_HEAD: 5 },
  { ID: 6, NAME: 'Финансовая служба', SORT: 400, PARENT: 1, UF_HEAD: 6 },
  { ID: 7, NAME: 'Служба безопасности', SORT: 600, PARENT: 1, UF_HEAD: 8 },
  { ID: 8, NAME: 'Канцелярия и архив', SORT: 700, PARENT: 1, UF_HEAD: 9 },
  { ID: 9, NAME: 'Сервисный центр', SORT: 800, PARENT: 1, UF_HEAD: null },
]

export function buildUsers(secret: (id: number) => string): PortalUser[] {
  return STAFF.map((p) => ({
    ID: p.id, ACTIVE: true, NAME: p.name, LAST_NAME: p.last, SECOND_NAME: p.second, EMAIL: `${p.email}@severny-auto.ru`,
    WORK_POSITION: p.position, PERSONAL_PHOTO: null, UF_DEPARTMENT: [p.dept], IS_ADMIN: p.admin ?? false,
    crmRead: p.read, crmWrite: p.write, webhookSecret: secret(p.id), LANG: 'ru',
  }))
}

/** Counterparties: stored as CRM companies and named in contract titles. */
export const COUNTERPARTIES = [
  'ООО «АвтоТрейд Северо-Запад»', 'АО «Балтийский лизинг»', 'ООО «Шинный центр Нева»', 'ООО «ТехноСервис Плюс»', 'ПАО «Росгосстрах»',
  'ООО «Медиа Группа Пульс»', 'ООО «Охранное агентство Бастион»', 'ООО «Чистый город»', 'АО «Автодор Логистик»', 'ООО «Запчасть-Опт»',
  'ООО «Кузовной мастер»', 'ИП Гаврилов Олег Петрович', 'ООО «Северная энергосбытовая компания»', 'ООО «Стройинвест»', 'АО «Альфа-Лизинг»',
  'ООО «Мобильные системы связи»', 'ООО «ИТ-Решения»', 'ООО «Ладога Моторс»', 'ООО «Полимер Про»', 'АО «Транспортная компания Восток»',
  'ООО «Гарант Эксперт»', 'ООО «Формула Колёс»', 'ООО «Дизайн-Бюро Контур»', 'ООО «Автостекло Сервис»',
]

export const CONTRACT_KINDS = [
  'Договор поставки автомобилей', 'Договор на сервисное обслуживание', 'Договор аренды площадки', 'Дилерский договор',
  'Договор поставки запчастей', 'Договор оказания рекламных услуг', 'Договор лизинга', 'Договор охраны объекта',
  'Договор на клининговые услуги', 'Договор страхования автопарка', 'Договор поставки шин', 'Договор подряда на ремонт шоурума',
  'Договор на техническую поддержку ИТ', 'Договор перевозки автомобилей',
]

/** The contract type (FIELDS.contractType) of each of CONTRACT_KINDS, as the holding names them. */
export const CONTRACT_KIND_TYPES: readonly string[] = [
  'Поставка', 'Услуги', 'Аренда', 'Дилерский', 'Поставка', 'Услуги', 'Лизинг', 'Услуги', 'Услуги', 'Страхование', 'Поставка',
  'Подряд', 'Услуги', 'Перевозка',
]
