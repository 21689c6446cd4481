/**
 * Downloads two document versions through the port (the user's own token and CRM rights) and
 * diffs their paragraphs. Errors come out as AppError (portal) or DocumentError (file content).
 */
import { diffDocuments, type DocDiff } from '../../domain/docdiff.ts'
import { AppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import { docxParagraphs } from '../../domain/documents/docx.ts'
import { FILE_TOO_BIG } from '../../platform/download.ts'
import { DocumentError, MAX_DOCUMENT_BYTES } from '../../domain/documents/errors.ts'
import type { FileRef, VersionPair } from '../../domain/documents/versions.ts'

export async function versionParagraphs(port: BitrixPort, file: FileRef): Promise<string[]> {
  let bytes: ArrayBuffer
  try {
    bytes = await port.downloadFile(file.urlMachine, { maxBytes: MAX_DOCUMENT_BYTES })
  } catch (error) {
    if (error instanceof AppError && error.code === FILE_TOO_BIG) throw new DocumentError('tooBig', error.message)
    throw error
  }
  return docxParagraphs(bytes)
}

export async function compareVersions(port: BitrixPort, pair: VersionPair): Promise<DocDiff> {
  // One after the other: two 10 MB buffers at once is what a phone should not be asked for.
  const before = await versionParagraphs(port, pair.before)
  const after = await versionParagraphs(port, pair.after)
  return diffDocuments(before, after)
}
