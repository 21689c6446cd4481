/**
 * Bench section `docdiff.*`: the document comparison between rounds («Показать изменения в
 * документе»), the same pure code the browser runs (domain/documents: unzip with
 * DecompressionStream, WordML tokenizer; domain/docdiff: paragraphs, then words), on generated
 * contracts of three sizes with a lawyer's typical edits between the rounds. Keys:
 *   - docdiff.parse{N}pMs      unzip + read both versions of an N-page contract;
 *   - docdiff.compare{N}pMs    the whole comparison: both versions read + diffed;
 *   - docdiff.changes{N}p      changed/added/removed paragraphs found (a check that it worked:
 *                              the generator makes EDITS_PER_10_PAGES per 10 pages; two edits
 *                              that fall on neighbouring paragraphs may read as one);
 *   - docdiff.docxKb{N}p       the size of one version's .docx.
 * Pages are ~10 paragraphs of ~45 words (a dense A4 contract page).
 *
 * Run alone: `npx tsx bench/docdiff.ts`.
 */
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { docx } from '../emulator/seed/docx.ts'
import { diffDocuments } from '../src/domain/docdiff.ts'
import { docxParagraphs } from '../src/domain/documents/docx.ts'
import { summary, type Metrics } from './stats.ts'

const WORDS = (
  'договор поставка покупатель поставщик товар оплата срок условия сторона обязуется ответственность ' +
  'неустойка размер рублей течение рабочих дней момента получения счёта акт приёмки передачи качество ' +
  'гарантия претензия порядок расторжение уведомление письменной форме адрес реквизиты подписания ' +
  'действует настоящий пункт приложение спецификация количество цена включая НДС доставка склад'
).split(' ')

const PARAGRAPHS_PER_PAGE = 10
const WORDS_PER_PARAGRAPH = 45
const EDITS_PER_10_PAGES = 3

/** A deterministic generator (mulberry32), so every run compares the same documents. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Round 1 and round 2 of a contract: round 2 rewords, inserts and deletes a few paragraphs. */
export function contractVersions(pages: number): { before: string[]; after: string[]; edits: number } {
  const rnd = random(pages)
  const word = () => WORDS[Math.floor(rnd() * WORDS.length)] as string
  const before: string[] = [`Договор поставки № ${pages}/2026`]
  for (let i = 1; i < pages * PARAGRAPHS_PER_PAGE; i++) {
    before.push(`${i}. ${Array.from({ length: WORDS_PER_PARAGRAPH }, word).join(' ')}.`)
  }
  const after = [...before]
  const edits = Math.max(1, Math.round((pages / 10) * EDITS_PER_10_PAGES))
  for (let e = 0; e < edits; e++) {
    const at = 1 + Math.floor(rnd() * (after.length - 2))
    const kind = e % 3
    if (kind === 0) after[at] = (after[at] as string).replace(/\d+ рублей|рублей/, '1 500 000 рублей')
      .replace(/ течение /, ' течение десяти ')
    else if (kind === 1) after.splice(at, 0, `Дополнительно: ${Array.from({ length: 20 }, word).join(' ')}.`)
    else after.splice(at, 1)
  }
  return { before, after, edits }
}

export async function docdiffAt(pages: number, runs: number): Promise<Metrics> {
  const { before, after } = contractVersions(pages)
  const a = docx(before)
  const b = docx(after)
  const parse: number[] = []
  const whole: number[] = []
  let changes = 0
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const pa = await docxParagraphs(new Uint8Array(a))
    const pb = await docxParagraphs(new Uint8Array(b))
    const t1 = performance.now()
    const diff = diffDocuments(pa, pb)
    const t2 = performance.now()
    parse.push(t1 - t0)
    whole.push(t2 - t0)
    changes = diff.stats.changed + diff.stats.added + diff.stats.removed
  }
  return {
    [`docdiff.parse${pages}pMs`]: summary(parse, 1),
    [`docdiff.compare${pages}pMs`]: summary(whole, 1),
    [`docdiff.changes${pages}p`]: changes,
    [`docdiff.docxKb${pages}p`]: Math.round(b.length / 1024),
  }
}

export const docdiffSection = {
  name: 'docdiff',
  run: async ({ runs }: { runs: number }): Promise<Metrics> => ({
    ...(await docdiffAt(10, runs)),
    ...(await docdiffAt(60, runs)),
    ...(await docdiffAt(300, runs)),
  }),
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  docdiffSection.run({ runs: 7 }).then((m) => console.log(JSON.stringify(m, null, 2)), (e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
