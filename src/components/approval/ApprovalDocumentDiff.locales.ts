/**
 * Texts of the document comparison, merged into the app's i18n under `approvalDocument` by
 * each of its components (src/locales/*.json belong to the app shell). Russian first.
 */
import { useI18n } from 'vue-i18n'
import type { DocumentErrorCode } from '../../domain/documents/errors.ts'

const ru = {
  show: 'Показать изменения в документе',
  hide: 'Скрыть изменения в документе',
  title: 'Изменения в документе',
  versions: 'Версия {before} → версия {after}',
  versionsGuessed: 'Сравниваются две последние загруженные версии',
  loading: 'Загружаем и сравниваем версии документа…',
  stats: 'Изменено абзацев: {changed} · добавлено: {added} · удалено: {removed}',
  identical: 'Текст документа не изменился — отличается только оформление или файл.',
  collapsed: 'без изменений: {n} абз. — показать',
  collapse: 'Свернуть',
  added: 'Добавлено',
  removed: 'Удалено',
  changed: 'Изменено',
  legend: 'Зелёным подчёркнуто добавленное, красным зачёркнуто удалённое.',
  retry: 'Повторить',
  failed: 'Не удалось сравнить версии документа',
  error: {
    notDocx: 'Файл не является документом Word (.docx): сравнить текст нельзя.',
    encrypted: 'Документ защищён паролем: сравнить текст нельзя.',
    tooBig: 'Документ слишком большой для сравнения (больше 10 МБ).',
    corrupt: 'Файл документа повреждён или сохранён в неподдерживаемом формате.',
  } satisfies Record<DocumentErrorCode, string>,
}

const en: typeof ru = {
  show: 'Show changes in the document',
  hide: 'Hide changes in the document',
  title: 'Changes in the document',
  versions: 'Version {before} → version {after}',
  versionsGuessed: 'Comparing the two latest uploaded versions',
  loading: 'Downloading and comparing the document versions…',
  stats: 'Paragraphs changed: {changed} · added: {added} · removed: {removed}',
  identical: 'The document text has not changed — only formatting or the file differs.',
  collapsed: '{n} unchanged paragraph(s) — show',
  collapse: 'Collapse',
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  legend: 'Additions are green and underlined, removals red and struck through.',
  retry: 'Retry',
  failed: 'Could not compare the document versions',
  error: {
    notDocx: 'The file is not a Word document (.docx): its text cannot be compared.',
    encrypted: 'The document is password-protected: its text cannot be compared.',
    tooBig: 'The document is too big to compare (over 10 MB).',
    corrupt: 'The document file is damaged or saved in an unsupported format.',
  },
}

export const documentDiffMessages = { ru, en }

/** The global i18n with these texts merged in (idempotent: merging twice changes nothing). */
export function useDocumentDiffI18n() {
  const i18n = useI18n({ useScope: 'global' })
  for (const lang of ['ru', 'en'] as const) {
    i18n.mergeLocaleMessage(lang, { approvalDocument: documentDiffMessages[lang] } as never)
  }
  return i18n
}
