/**
 * Word-level diff inside one changed paragraph. Tokens are words, whitespace runs, single
 * punctuation marks, and whole numbers with their digit-group separators, so «12 400 000» →
 * «11 950 000» reads as one changed amount rather than three changed fragments.
 */
import { diffSequences, type EditOp } from './sequence.ts'

export interface WordPart {
  readonly op: EditOp
  readonly text: string
}

/** Longest paragraph (in tokens) diffed word by word; longer ones are shown as replaced whole. */
export const MAX_WORD_TOKENS = 4000

// Digit groups joined by a space, NBSP or narrow NBSP (ru-RU formatting), with decimals.
const TOKEN = /\d{1,3}(?:[ \u00A0\u202F]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|[\p{L}\p{M}\p{N}_]+|\s+|[^\s\p{L}\p{M}\p{N}_]/gu

/**
 * @example tokenize('пени 0,1 %') // ['пени', ' ', '0,1', ' ', '%']
 */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? []
}

function merged(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = []
  for (const p of parts) {
    const last = out[out.length - 1]
    if (last && last.op === p.op) out[out.length - 1] = { op: p.op, text: last.text + p.text }
    else out.push(p)
  }
  return out
}

/**
 * @example diffWords('Цена 100 руб.', 'Цена 90 руб.')
 * // [{op:'same',text:'Цена '},{op:'removed',text:'100'},{op:'added',text:'90'},{op:'same',text:' руб.'}]
 */
export function diffWords(before: string, after: string): WordPart[] {
  const a = tokenize(before)
  const b = tokenize(after)
  if (a.length + b.length > MAX_WORD_TOKENS) {
    return merged(([{ op: 'removed', text: before }, { op: 'added', text: after }] as WordPart[]).filter((p) => p.text !== ''))
  }
  const edits = diffSequences(a, b, (x, y) => x === y, 200)
  // Removals of a run come before its additions, so "old → new" reads left to right.
  const parts: WordPart[] = []
  let removed = ''
  let added = ''
  const flush = (): void => {
    if (removed) parts.push({ op: 'removed', text: removed })
    if (added) parts.push({ op: 'added', text: added })
    removed = ''
    added = ''
  }
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i] as (typeof edits)[number]
    if (e.op === 'removed') removed += a[e.a] as string
    else if (e.op === 'added') added += b[e.b] as string
    else {
      const token = a[e.a] as string
      // A lone space between two edits would chop one change into many: fold it into both sides.
      if ((removed || added) && /^\s+$/.test(token) && edits[i + 1] !== undefined && edits[i + 1]?.op !== 'same') {
        removed += token
        added += token
        continue
      }
      flush()
      parts.push({ op: 'same', text: token })
    }
  }
  flush()
  return merged(parts)
}

/** Dice coefficient over word tokens (whitespace ignored): how alike two paragraphs read. */
export function similarity(before: string, after: string): number {
  const words = (s: string) => tokenize(s).filter((t) => !/^\s+$/.test(t))
  const a = words(before)
  const b = words(after)
  if (a.length === 0 && b.length === 0) return 1
  const counts = new Map<string, number>()
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1)
  let common = 0
  for (const t of b) {
    const c = counts.get(t) ?? 0
    if (c > 0) {
      common++
      counts.set(t, c - 1)
    }
  }
  return (2 * common) / (a.length + b.length)
}
