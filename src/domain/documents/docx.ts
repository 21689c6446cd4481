/**
 * The paragraphs of a .docx: unzip word/document.xml and read its text (zip.ts, wordml.ts).
 */
import { DocumentError, MAX_DOCUMENT_BYTES } from './errors.ts'
import { paragraphsOfWordXml } from './wordml.ts'
import { readZipEntry } from './zip.ts'

export async function docxParagraphs(data: ArrayBuffer | Uint8Array): Promise<string[]> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new DocumentError('tooBig', `The file is ${bytes.length} bytes`)
  const xml = await readZipEntry(bytes, 'word/document.xml')
  if (!xml) throw new DocumentError('notDocx', 'The archive has no word/document.xml')
  return paragraphsOfWordXml(new TextDecoder('utf-8').decode(xml))
}
