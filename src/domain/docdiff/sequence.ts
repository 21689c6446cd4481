/**
 * Myers' O((N+M)·D) shortest edit script over two sequences, with the common prefix and suffix
 * trimmed first and the edit distance capped: two documents that share almost nothing would
 * otherwise cost quadratic time and memory. Past the cap the untrimmed middle is reported as
 * "all removed, then all added" — still a correct script, just not the shortest.
 */

export type EditOp = 'same' | 'removed' | 'added'

/** One step of the script: an index into `a` (same/removed) and/or `b` (same/added). */
export interface Edit {
  readonly op: EditOp
  readonly a: number
  readonly b: number
}

/** Past this many insertions + deletions the middle is not searched for a shorter script. */
export const DEFAULT_MAX_EDITS = 600

export function diffSequences<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean, maxEdits = DEFAULT_MAX_EDITS): Edit[] {
  let start = 0
  while (start < a.length && start < b.length && eq(a[start] as T, b[start] as T)) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && eq(a[endA - 1] as T, b[endB - 1] as T)) {
    endA--
    endB--
  }
  const out: Edit[] = []
  for (let i = 0; i < start; i++) out.push({ op: 'same', a: i, b: i })
  out.push(...middle(a, b, start, endA, start, endB, eq, maxEdits))
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({ op: 'same', a: i, b: j })
  return out
}

function allReplaced(a0: number, a1: number, b0: number, b1: number): Edit[] {
  const out: Edit[] = []
  for (let i = a0; i < a1; i++) out.push({ op: 'removed', a: i, b: b0 })
  for (let j = b0; j < b1; j++) out.push({ op: 'added', a: a1, b: j })
  return out
}

function middle<T>(a: readonly T[], b: readonly T[], a0: number, a1: number, b0: number, b1: number, eq: (x: T, y: T) => boolean, maxEdits: number): Edit[] {
  const n = a1 - a0
  const m = b1 - b0
  if (n === 0 || m === 0) return allReplaced(a0, a1, b0, b1)
  const max = Math.min(n + m, maxEdits)
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  // Each round's frontier is kept (O(D²) numbers) to walk the path back.
  const trace: Int32Array[] = []
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1
      let y = x - k
      while (x < n && y < m && eq(a[a0 + x] as T, b[b0 + y] as T)) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) return backtrack(trace, offset, d, n, m, a0, b0)
    }
  }
  return allReplaced(a0, a1, b0, b1)
}

function backtrack(trace: Int32Array[], offset: number, dEnd: number, n: number, m: number, a0: number, b0: number): Edit[] {
  const rev: Edit[] = []
  let x = n
  let y = m
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] as Int32Array
    const k = x - y
    const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
    const prevK = down ? k + 1 : k - 1
    const prevX = v[offset + prevK] as number
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      x--
      y--
      rev.push({ op: 'same', a: a0 + x, b: b0 + y })
    }
    if (down) {
      y--
      rev.push({ op: 'added', a: a0 + x, b: b0 + y })
    } else {
      x--
      rev.push({ op: 'removed', a: a0 + x, b: b0 + y })
    }
  }
  while (x > 0 && y > 0) {
    x--
    y--
    rev.push({ op: 'same', a: a0 + x, b: b0 + y })
  }
  return rev.reverse()
}
