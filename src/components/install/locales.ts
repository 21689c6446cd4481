/**
 * The install wizard's texts. Kept beside the wizard (not in src/locales/*.json) and loaded
 * into each wizard component's local i18n scope, so the wizard is self-contained.
 */
export const installMessages = {
  ru: {
    title: 'Установка «Согласования договоров»',
    intro: 'Мастер создаст в CRM смарт-процесс «Договоры» со стадиями и полями, добавит вкладку «Согласование» в карточку договора и пункт в левое меню. Повторный запуск ничего не дублирует.',
    start: 'Установить',
    retry: 'Повторить',
    progress: 'Готово шагов: {done} из {total}',
    steps: {
      admin: 'Проверка прав администратора',
      type: 'Смарт-процесс «Договоры»',
      stages: 'Стадии согласования',
      fields: 'Поля договора',
      placements: 'Вкладка в карточке и пункт меню',
      routes: 'Маршруты согласования',
      record: 'Сохранение настроек',
      finish: 'Завершение установки',
    },
    status: {
      pending: 'Ожидает',
      running: 'Выполняется…',
      done: 'Готово',
      failed: 'Ошибка',
      skipped: 'Не требуется',
    },
    summary: {
      created: 'создано: {n}',
      found: 'уже было: {n}',
      updated: 'обновлено: {n}',
      removed: 'удалено: {n}',
    },
    notAdmin: {
      title: 'Установить приложение может только администратор Битрикс24',
      text: 'Попросите администратора портала открыть это приложение и завершить установку.',
    },
    failed: {
      title: 'Установка остановилась на шаге «{step}»',
      text: 'Уже созданное сохранено. Нажмите «Повторить» — мастер продолжит с того же места и ничего не создаст дважды.',
    },
    choice: {
      title: 'В CRM уже есть смарт-процесс, похожий на договоры',
      text: 'Можно использовать его — мастер добавит недостающие стадии и поля, ничего не удаляя, — или создать отдельный смарт-процесс «Договоры».',
      adopt: 'Использовать «{title}»',
      create: 'Создать новый',
    },
    done: {
      title: 'Приложение установлено',
      text: 'Договоры — в CRM, вкладка «Согласование» — в карточке договора, маршруты — в разделе «Настройки».',
      created: 'Создано',
      nothingNew: 'Всё уже было настроено, ничего нового не создано.',
    },
  },
  en: {
    title: 'Installing Contract approval',
    intro: 'The wizard creates a "Contracts" smart process with stages and fields in the CRM, adds an "Approval" tab to the contract card and an item to the left menu. Running it again duplicates nothing.',
    start: 'Install',
    retry: 'Retry',
    progress: 'Steps done: {done} of {total}',
    steps: {
      admin: 'Checking administrator rights',
      type: 'The "Contracts" smart process',
      stages: 'Approval stages',
      fields: 'Contract fields',
      placements: 'Card tab and menu item',
      routes: 'Approval routes',
      record: 'Saving settings',
      finish: 'Finishing installation',
    },
    status: {
      pending: 'Waiting',
      running: 'Working…',
      done: 'Done',
      failed: 'Failed',
      skipped: 'Not needed',
    },
    summary: {
      created: 'created: {n}',
      found: 'already there: {n}',
      updated: 'updated: {n}',
      removed: 'removed: {n}',
    },
    notAdmin: {
      title: 'Only a Bitrix24 administrator can install the app',
      text: 'Ask your portal administrator to open this app and finish the installation.',
    },
    failed: {
      title: 'Installation stopped at "{step}"',
      text: 'What was already created is kept. Press "Retry": the wizard continues where it stopped and creates nothing twice.',
    },
    choice: {
      title: 'The CRM already has a smart process that looks like contracts',
      text: 'You can use it (the wizard adds the missing stages and fields and deletes nothing) or create a separate "Contracts" smart process.',
      adopt: 'Use "{title}"',
      create: 'Create a new one',
    },
    done: {
      title: 'The app is installed',
      text: 'Contracts are in the CRM, the "Approval" tab is in the contract card, routes are in Settings.',
      created: 'Created',
      nothingNew: 'Everything was already set up; nothing new was created.',
    },
  },
} as const

export type InstallMessages = (typeof installMessages)['ru']
