/**
 * DOCX text extraction without a zip library: the seed's real .docx builder (the demo's
 * contract versions are made by it), WordML quirks, and the ways a file can be refused.
 */
import { describe, expect, it } from 'vitest'
import { docx } from '../../emulator/seed/docx.ts'
import { zip } from '../../emulator/seed/zip.ts'
import { docxParagraphs } from '../../src/domain/documents/docx.ts'
import { DocumentError, MAX_DOCUMENT_BYTES } from '../../src/domain/documents/errors.ts'
import { paragraphsOfWordXml, decodeEntities } from '../../src/domain/documents/wordml.ts'
import { readZipEntry, zipEntryNames } from '../../src/domain/documents/zip.ts'
import { diffDocuments } from '../../src/domain/docdiff.ts'

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
const body = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${inner}</w:body></w:document>`

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run()
  } catch (error) {
    if (error instanceof DocumentError) return error.code
    throw error
  }
  return 'accepted'
}

// The demo's resubmitted contract, as emulator/seed/demo.ts words its two versions.
const V1 = [
  'Договор поставки № СЕВ-П-2026/0777',
  '3. Порядок оплаты. Оплата производится в течение 30 (тридцати) банковских дней с даты подписания акта.',
  '5. Споры разрешаются в Арбитражном суде города Санкт-Петербурга и Ленинградской области.',
  `Цена договора составляет ${(12_400_000).toLocaleString('ru-RU')} руб., включая НДС 20 %.`,
]
const V2 = [
  V1[0] as string,
  '3. Порядок оплаты. Предоплата 30 % в течение 5 (пяти) банковских дней, остаток — в течение 30 (тридцати) банковских дней с даты подписания акта.',
  V1[2] as string,
  `Цена договора составляет ${(11_950_000).toLocaleString('ru-RU')} руб., включая НДС 20 %.`,
]

describe('docxParagraphs on the seed builder', () => {
  it('reads back every paragraph, markup-like text and entities included', async () => {
    const paragraphs = [...V1, 'Пункт с <b>тегом</b> & «кавычками»']
    expect(await docxParagraphs(docx(paragraphs))).toEqual(paragraphs)
  })

  it('two versions diff to the changed payment clause and amount only', async () => {
    const d = diffDocuments(await docxParagraphs(docx(V1)), await docxParagraphs(docx(V2)))
    expect(d.stats).toEqual({ changed: 2, added: 0, removed: 0, same: 2 })
    const changed = d.blocks.filter((b) => b.kind === 'changed')
    const amount = changed[1]
    expect(amount?.kind === 'changed' && amount.words.filter((w) => w.op === 'added').map((w) => w.text.replace(/\s/g, ' '))).toEqual(['11 950 000'])
  })

  it('takes an ArrayBuffer as fetch returns it', async () => {
    const buf = docx(['Один.'])
    const ab = new Uint8Array(buf).buffer
    expect(await docxParagraphs(ab)).toEqual(['Один.'])
  })
})

describe('refusals', () => {
  it('a PDF is not a docx', async () => {
    expect(await refusal(() => docxParagraphs(new TextEncoder().encode('%PDF-1.7 …')))).toBe('notDocx')
  })

  it('a zip without word/document.xml is not a docx', async () => {
    const archive = zip([{ name: 'readme.txt', data: Buffer.from('hi') }])
    expect(zipEntryNames(archive)).toEqual(['readme.txt'])
    expect(await refusal(() => docxParagraphs(archive))).toBe('notDocx')
  })

  it('a password-protected Word file (OLE container) is encrypted', async () => {
    const ole = new Uint8Array(600)
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
    expect(await refusal(() => docxParagraphs(ole))).toBe('encrypted')
  })

  it('a zip entry with the encryption flag is encrypted', async () => {
    const archive = Buffer.from(docx(['x']))
    // Flags of each central directory header (signature PK\1\2, flags at +8).
    for (let i = archive.indexOf(Buffer.from([0x50, 0x4b, 1, 2])); i >= 0; i = archive.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), i + 4)) {
      archive.writeUInt16LE(archive.readUInt16LE(i + 8) | 1, i + 8)
    }
    expect(await refusal(() => docxParagraphs(archive))).toBe('encrypted')
  })

  it('a truncated file is corrupt', async () => {
    const archive = docx(V1)
    expect(await refusal(() => docxParagraphs(archive.subarray(0, archive.length - 30)))).toBe('corrupt')
  })

  it('damaged deflate data is corrupt', async () => {
    const archive = Buffer.from(docx(V1))
    const at = archive.indexOf(Buffer.from('word/document.xml')) + 'word/document.xml'.length
    archive.fill(0xff, at, at + 40)
    expect(await refusal(() => docxParagraphs(archive))).toBe('corrupt')
  })

  it('over 10 MB is too big', async () => {
    expect(await refusal(() => docxParagraphs(new Uint8Array(MAX_DOCUMENT_BYTES + 1)))).toBe('tooBig')
  })

  it('inflating past the limit stops even when the header lies about the size', async () => {
    const archive = Buffer.from(zip([{ name: 'word/document.xml', data: Buffer.alloc(200_000, 0x20) }]))
    expect(await refusal(() => readZipEntry(archive, 'word/document.xml', 1000))).toBe('tooBig')
    const central = archive.indexOf(Buffer.from([0x50, 0x4b, 1, 2]))
    archive.writeUInt32LE(10, central + 24)
    expect(await refusal(() => readZipEntry(archive, 'word/document.xml', 1000))).toBe('tooBig')
  })
})

describe('paragraphsOfWordXml', () => {
  it('joins runs, turns w:tab and w:br into whitespace, ignores tab stops and deleted text', () => {
    const xml = body(
      '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
      + '<w:r><w:t>Цена</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">100 </w:t></w:r>'
      + '<w:del><w:r><w:delText>200</w:delText></w:r></w:del><w:r><w:t>руб.</w:t><w:br/><w:t>НДС</w:t></w:r></w:p>',
    )
    expect(paragraphsOfWordXml(xml)).toEqual(['Цена\t100 руб.\nНДС'])
  })

  it('skips empty and self-closed paragraphs, comments and field codes', () => {
    const xml = body('<w:p/><w:p></w:p><!-- <w:p><w:t>нет</w:t></w:p> --><w:p><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>Да</w:t></w:r></w:p>')
    expect(paragraphsOfWordXml(xml)).toEqual(['Да'])
  })

  it('a text box paragraph inside a paragraph comes out on its own', () => {
    const xml = body('<w:p><w:r><w:t>Внешний</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>Внутренний</w:t></w:r></w:p></w:txbxContent></w:r><w:r><w:t> абзац</w:t></w:r></w:p>')
    expect(paragraphsOfWordXml(xml)).toEqual(['Внутренний', 'Внешний абзац'])
  })

  it('decodes numeric and named entities and leaves unknown ones alone', () => {
    expect(decodeEntities('&lt;b&gt; &#8470; &#x2014; &amp;nbsp; &unknown;')).toEqual('<b> № — &nbsp; &unknown;')
  })

  it('an unterminated document still yields its text', () => {
    expect(paragraphsOfWordXml(`<w:document ${W}><w:body><w:p><w:r><w:t>Обрыв`)).toEqual(['Обрыв'])
  })
})
