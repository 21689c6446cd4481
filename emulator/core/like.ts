/**
 * SQL LIKE for the `=%` / `%=` filter prefixes (`%` any run, `_` one character, `\` escapes the
 * next one; case-insensitive as MySQL's default collation is), without regular expressions and
 * without backtracking: the pattern is cut at its `%`s and each piece is found leftmost-first,
 * which is exact for LIKE and costs at most O(text × pattern) whatever the number of `%`s.
 */

type Piece = (string | null)[] // null = `_`

function compile(pattern: string): { pieces: Piece[]; anchoredStart: boolean; anchoredEnd: boolean } {
  const chars = Array.from(pattern.toLowerCase())
  const pieces: Piece[] = [[]]
  let endsWithPercent = false
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string
    endsWithPercent = false
    if (c === '\\' && i + 1 < chars.length) {
      ;(pieces[pieces.length - 1] as Piece).push(chars[++i] as string)
    } else if (c === '%') {
      pieces.push([])
      endsWithPercent = true
    } else {
      ;(pieces[pieces.length - 1] as Piece).push(c === '_' ? null : c)
    }
  }
  return { pieces, anchoredStart: true, anchoredEnd: !endsWithPercent }
}

function matchesAt(text: string[], at: number, piece: Piece): boolean {
  if (at + piece.length > text.length) return false
  for (let j = 0; j < piece.length; j++) {
    const p = piece[j]
    if (p !== null && p !== text[at + j]) return false
  }
  return true
}

function findFrom(text: string[], from: number, piece: Piece): number {
  for (let i = from; i + piece.length <= text.length; i++) if (matchesAt(text, i, piece)) return i
  return -1
}

export function likeMatch(value: string, pattern: string): boolean {
  const text = Array.from(value.toLowerCase())
  const { pieces } = compile(pattern)
  const first = pieces[0] as Piece
  if (pieces.length === 1) return text.length === first.length && matchesAt(text, 0, first)
  const last = pieces[pieces.length - 1] as Piece
  if (!matchesAt(text, 0, first)) return false
  let pos = first.length
  const endLimit = text.length - last.length
  if (endLimit < pos) return false
  for (let k = 1; k < pieces.length - 1; k++) {
    const piece = pieces[k] as Piece
    if (piece.length === 0) continue
    const at = findFrom(text, pos, piece)
    if (at === -1 || at + piece.length > endLimit) return false
    pos = at + piece.length
  }
  return matchesAt(text, endLimit, last)
}
