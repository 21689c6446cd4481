import type { IncomingMessage } from 'node:http'
import type { EmulatorContext, PortalUser } from '../core/types.ts'

/** Cookie that holds the portal user the browser acts as (the shell's "login"). */
export const USER_COOKIE = 'b24emu_user'

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const key = part.slice(0, eq).trim()
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim())
    } catch {
      out[key] = part.slice(eq + 1).trim()
    }
  }
  return out
}

export function activeUsers(ctx: EmulatorContext): PortalUser[] {
  return ctx.db.users.filter((u) => u.ACTIVE)
}

/**
 * The user this browser acts as. Without a (valid) cookie the portal admin is logged in, so a
 * fresh `npm start` opens on a page where the app is visible and manageable.
 */
export function currentUser(req: IncomingMessage, ctx: EmulatorContext): PortalUser | undefined {
  const users = activeUsers(ctx)
  const id = Number(parseCookies(req.headers.cookie)[USER_COOKIE])
  return users.find((u) => u.ID === id) ?? users.find((u) => u.IS_ADMIN) ?? users[0]
}

export function fullName(u: Pick<PortalUser, 'NAME' | 'LAST_NAME'>): string {
  return `${u.NAME} ${u.LAST_NAME}`.trim()
}

export type Lang = 'ru' | 'en'

const STRINGS = {
  ru: {
    portal: 'Битрикс24',
    crm: 'CRM',
    contracts: 'Договоры',
    home: 'Главная',
    apps: 'Приложения',
    actingAs: 'Вы вошли как',
    notifications: 'Уведомления',
    noNotifications: 'Нет уведомлений',
    markAllRead: 'Прочитать все',
    mobile: 'Мобильное приложение',
    id: 'ID',
    title: 'Название',
    stage: 'Стадия',
    amount: 'Сумма',
    assigned: 'Ответственный',
    created: 'Создан',
    updated: 'Изменён',
    general: 'Общие',
    emptyList: 'Нет элементов, доступных вам',
    total: 'Всего',
    next: 'Следующая страница',
    prev: 'Предыдущая страница',
    accessDenied: 'Доступ запрещён',
    accessDeniedText: 'У вас нет прав на просмотр этого элемента. Обратитесь к администратору портала.',
    notFound: 'Страница не найдена',
    notFoundText: 'Элемент не найден или был удалён.',
    error: 'Ошибка',
    yes: 'Да',
    no: 'Нет',
    appNotInstalled: 'Приложение ещё не установлено. Установить его может администратор портала.',
    installing: 'Установка приложения',
    noContractType: 'Смарт-процесс «Договоры» ещё не создан: откройте приложение, чтобы установить его.',
    welcome: 'Эмулятор портала Битрикс24 для приложения согласования договоров.',
    selectUser: 'Выберите сотрудника',
    selectUsers: 'Выберите сотрудников',
    search: 'Поиск',
    ok: 'Выбрать',
    cancel: 'Отмена',
    close: 'Закрыть',
    create: 'Создать',
    save: 'Сохранить',
    saving: 'Сохранение…',
    currency: 'Валюта',
    notSelected: 'не выбрано',
    version: 'Версия',
    file: 'Файл',
    noFiles: 'Нет файлов',
    uploadVersion: 'Загрузить новую версию',
    replaceFile: 'Заменить файл',
    aboutItem: 'Основное',
    more: 'Дополнительно',
    newItem: 'Новый элемент',
    createdBy: 'Создал',
    hiddenCompany: 'Скрытая компания',
    saveDeniedText: 'У вас нет прав на это изменение. Обратитесь к администратору портала.',
  },
  en: {
    portal: 'Bitrix24',
    crm: 'CRM',
    contracts: 'Contracts',
    home: 'Home',
    apps: 'Applications',
    actingAs: 'Logged in as',
    notifications: 'Notifications',
    noNotifications: 'No notifications',
    markAllRead: 'Mark all read',
    mobile: 'Mobile app',
    id: 'ID',
    title: 'Title',
    stage: 'Stage',
    amount: 'Amount',
    assigned: 'Responsible',
    created: 'Created',
    updated: 'Modified',
    general: 'General',
    emptyList: 'No items you can see',
    total: 'Total',
    next: 'Next page',
    prev: 'Previous page',
    accessDenied: 'Access denied',
    accessDeniedText: 'You have no permission to view this item. Contact your portal administrator.',
    notFound: 'Page not found',
    notFoundText: 'The item was not found or has been deleted.',
    error: 'Error',
    yes: 'Yes',
    no: 'No',
    appNotInstalled: 'The application is not installed yet. A portal administrator can install it.',
    installing: 'Installing the application',
    noContractType: 'The "Contracts" smart process does not exist yet: open the application to install it.',
    welcome: 'Bitrix24 portal emulator for the contract approval app.',
    selectUser: 'Select an employee',
    selectUsers: 'Select employees',
    search: 'Search',
    ok: 'Select',
    cancel: 'Cancel',
    close: 'Close',
    create: 'Create',
    save: 'Save',
    saving: 'Saving…',
    currency: 'Currency',
    notSelected: 'not selected',
    version: 'Version',
    file: 'File',
    noFiles: 'No files',
    uploadVersion: 'Upload a new version',
    replaceFile: 'Replace the file',
    aboutItem: 'General',
    more: 'More',
    newItem: 'New item',
    createdBy: 'Created by',
    hiddenCompany: 'Hidden company',
    saveDeniedText: 'You have no permission for this change. Contact your portal administrator.',
  },
} as const satisfies Record<Lang, Record<string, string>>

export type Strings = (typeof STRINGS)['ru']

export function strings(lang: Lang): Strings {
  return STRINGS[lang] as Strings
}
