/**
 * Why a document version could not be compared. The view localizes `code`; `message` is for
 * logs. Kept apart from AppError: these are about the file's bytes, not the portal.
 */
export type DocumentErrorCode =
  /** Not a zip (or not a Word document inside): a PDF, a scan, a renamed file. */
  | 'notDocx'
  /** Password-protected: Word then stores an encrypted OLE container, not a zip. */
  | 'encrypted'
  /** Over the size the tab is willing to download or inflate. */
  | 'tooBig'
  /** A zip whose parts cannot be read (truncated, damaged, ZIP64, unknown compression). */
  | 'corrupt'

export class DocumentError extends Error {
  readonly code: DocumentErrorCode

  constructor(code: DocumentErrorCode, message: string) {
    super(message)
    this.name = 'DocumentError'
    this.code = code
  }
}

export function isDocumentError(value: unknown): value is DocumentError {
  return value instanceof DocumentError
}

/** A downloaded version larger than this is not compared (the tab runs in a phone's browser too). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
/** word/document.xml inflated past this is refused: a zip bomb must not take the tab down. */
export const MAX_XML_BYTES = 40 * 1024 * 1024
