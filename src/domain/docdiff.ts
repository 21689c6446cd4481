/**
 * "What changed in the document" between two rounds: a paragraph-level diff (Myers, see
 * docdiff/sequence.ts) whose neighbouring removals and additions are paired into `changed`
 * blocks when they read alike, each with a word-level diff. Long unchanged runs are collapsed
 * around a little context, keeping their text so a view can expand them.
 *
 * Bounded work: paragraphs are compared by exact text after trimming the common head and tail;
 * the search stops at DEFAULT_MAX_EDITS paragraph edits (the rest reads as replaced), and a
 * paragraph pair over MAX_WORD_TOKENS is shown replaced whole rather than word by word.
 */
import { diffSequences } from './docdiff/sequence.ts'
import { diffWords, similarity, type WordPart } from './docdiff/words.ts'

export type { WordPart } from './docdiff/words.ts'
export { tokenize, diffWords, similarity } from './docdiff/words.ts'

export type DocBlock =
  | { readonly kind: 'same'; readonly paragraphs: readonly string[] }
  /** An unchanged run hidden from view: `paragraphs.length` of them. */
  | { readonly kind: 'collapsed'; readonly paragraphs: readonly string[] }
  | { readonly kind: 'removed'; readonly before: string }
  | { readonly kind: 'added'; readonly after: string }
  | { readonly kind: 'changed'; readonly before: string; readonly after: string; readonly words: readonly WordPart[] }

export interface DocDiffOptions {
  /** Unchanged paragraphs kept visible on each side of a change. Default 1. */
  context?: number
  /** A removed and an added paragraph this alike (0…1, Dice over words) are one `changed`. Default 0.5. */
  pairThreshold?: number
}

export interface DocDiff {
  readonly blocks: readonly DocBlock[]
  readonly stats: { readonly changed: number; readonly added: number; readonly removed: number; readonly same: number }
  /** Nothing differs (ignoring whitespace at paragraph ends and empty paragraphs). */
  readonly identical: boolean
}

function normalize(paragraphs: readonly string[]): string[] {
  return paragraphs.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '')
}

type Raw = DocBlock

/** Pairs a hunk's removals with the additions that read alike, keeping document order. */
function pairHunk(removed: string[], added: string[], threshold: number, out: Raw[]): void {
  let j = 0
  for (const before of removed) {
    let match = -1
    for (let k = j; k < added.length; k++) {
      if (similarity(before, added[k] as string) >= threshold) {
        match = k
        break
      }
    }
    if (match < 0) {
      out.push({ kind: 'removed', before })
      continue
    }
    for (; j < match; j++) out.push({ kind: 'added', after: added[j] as string })
    const after = added[match] as string
    out.push({ kind: 'changed', before, after, words: diffWords(before, after) })
    j = match + 1
  }
  for (; j < added.length; j++) out.push({ kind: 'added', after: added[j] as string })
}

function collapse(blocks: Raw[], context: number): DocBlock[] {
  const out: DocBlock[] = []
  blocks.forEach((b, i) => {
    if (b.kind !== 'same') {
      out.push(b)
      return
    }
    const first = i === 0
    const last = i === blocks.length - 1
    const head = first ? 0 : context
    const tail = last ? 0 : context
    const ps = b.paragraphs
    // Hiding fewer than two paragraphs saves nothing over showing them.
    if (ps.length - head - tail < 2) {
      out.push(b)
      return
    }
    if (head > 0) out.push({ kind: 'same', paragraphs: ps.slice(0, head) })
    out.push({ kind: 'collapsed', paragraphs: ps.slice(head, ps.length - tail) })
    if (tail > 0) out.push({ kind: 'same', paragraphs: ps.slice(ps.length - tail) })
  })
  return out
}

/**
 * @example diffDocuments(['1. Цена 100.', '2. Срок.'], ['1. Цена 90.', '2. Срок.']).blocks
 * // [{kind:'changed', before:'1. Цена 100.', after:'1. Цена 90.', words:[…]}, {kind:'same', paragraphs:['2. Срок.']}]
 */
export function diffDocuments(before: readonly string[], after: readonly string[], opts: DocDiffOptions = {}): DocDiff {
  const a = normalize(before)
  const b = normalize(after)
  const threshold = opts.pairThreshold ?? 0.5
  const edits = diffSequences(a, b, (x, y) => x === y)
  const raw: Raw[] = []
  let same: string[] = []
  let removed: string[] = []
  let added: string[] = []
  const flushHunk = (): void => {
    if (removed.length || added.length) pairHunk(removed, added, threshold, raw)
    removed = []
    added = []
  }
  for (const e of edits) {
    if (e.op === 'same') {
      flushHunk()
      same.push(a[e.a] as string)
      continue
    }
    if (same.length) raw.push({ kind: 'same', paragraphs: same })
    same = []
    if (e.op === 'removed') removed.push(a[e.a] as string)
    else added.push(b[e.b] as string)
  }
  flushHunk()
  if (same.length) raw.push({ kind: 'same', paragraphs: same })

  const stats = { changed: 0, added: 0, removed: 0, same: 0 }
  for (const r of raw) {
    if (r.kind === 'same' || r.kind === 'collapsed') stats.same += r.paragraphs.length
    else stats[r.kind]++
  }
  const identical = stats.changed + stats.added + stats.removed === 0
  return { blocks: collapse(raw, Math.max(0, opts.context ?? 1)), stats, identical }
}
