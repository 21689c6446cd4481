/**
 * The document diff an approver reads on a resubmission: paragraphs matched by Myers, changed
 * paragraphs paired and diffed word by word, unchanged runs collapsed with their text kept.
 */
import { describe, expect, it } from 'vitest'
import { diffDocuments, diffWords, similarity, tokenize, type DocBlock } from '../../src/domain/docdiff.ts'
import { diffSequences } from '../../src/domain/docdiff/sequence.ts'

const kinds = (blocks: readonly DocBlock[]) => blocks.map((b) => b.kind)
const clauses = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}. Пункт номер ${i + 1} остаётся без изменений.`)

describe('diffSequences', () => {
  it('finds a shortest script and replays to both sides', () => {
    const a = [...'ABCABBA']
    const b = [...'CBABAC']
    const edits = diffSequences(a, b, (x, y) => x === y)
    expect(edits.filter((e) => e.op !== 'same')).toHaveLength(5)
    expect(edits.filter((e) => e.op !== 'added').map((e) => a[e.a]).join('')).toBe('ABCABBA')
    expect(edits.filter((e) => e.op !== 'removed').map((e) => b[e.b]).join('')).toBe('CBABAC')
  })

  it('past the edit cap reports the middle as replaced, still a valid script', () => {
    const a = Array.from({ length: 300 }, (_, i) => `a${i}`)
    const b = Array.from({ length: 300 }, (_, i) => (i % 2 ? `a${i}` : `b${i}`))
    const capped = diffSequences(a, b, (x, y) => x === y, 10)
    // Only the common tail (a299) survives; the middle is not searched.
    expect(capped.filter((e) => e.op === 'same')).toHaveLength(1)
    expect(capped.filter((e) => e.op === 'removed')).toHaveLength(299)
    expect(capped.filter((e) => e.op !== 'added').map((e) => a[e.a])).toEqual(a)
    expect(capped.filter((e) => e.op !== 'removed').map((e) => b[e.b])).toEqual(b)
    const full = diffSequences(a, b, (x, y) => x === y)
    expect(full.filter((e) => e.op === 'same')).toHaveLength(150)
  })
})

describe('diffWords', () => {
  it('a ru-RU amount changes as one token, NBSP groups included', () => {
    const before = `Цена договора составляет ${(12_400_000).toLocaleString('ru-RU')} руб., включая НДС 20 %.`
    const after = `Цена договора составляет ${(11_950_000).toLocaleString('ru-RU')} руб., включая НДС 20 %.`
    const parts = diffWords(before, after)
    expect(parts.filter((p) => p.op === 'removed').map((p) => p.text.replace(/\s/g, ' '))).toEqual(['12 400 000'])
    expect(parts.filter((p) => p.op === 'added').map((p) => p.text.replace(/\s/g, ' '))).toEqual(['11 950 000'])
    expect(parts.filter((p) => p.op !== 'added').map((p) => p.text).join('')).toBe(before)
    expect(parts.filter((p) => p.op !== 'removed').map((p) => p.text).join('')).toBe(after)
  })

  it('plain-space digit groups and decimals are single tokens', () => {
    expect(tokenize('12 400 000 и 0,05 %')).toEqual(['12 400 000', ' ', 'и', ' ', '0,05', ' ', '%'])
  })

  it('a run of changed words separated by spaces reads as one change', () => {
    const parts = diffWords('пени 0,1 % от суммы задолженности', 'пени 0,05 % от суммы договора')
    expect(parts).toEqual([
      { op: 'same', text: 'пени ' },
      { op: 'removed', text: '0,1' },
      { op: 'added', text: '0,05' },
      { op: 'same', text: ' % от суммы ' },
      { op: 'removed', text: 'задолженности' },
      { op: 'added', text: 'договора' },
    ])
  })

  it('similarity is 1 for equal texts and 0 for disjoint ones', () => {
    expect(similarity('a b c', 'a b c')).toBe(1)
    expect(similarity('a b', 'c d')).toBe(0)
  })
})

describe('diffDocuments', () => {
  it('two empty documents are identical with no blocks', () => {
    const d = diffDocuments([], [])
    expect(d.identical).toBe(true)
    expect(d.blocks).toEqual([])
  })

  it('from empty to something: everything is added', () => {
    const d = diffDocuments([], ['Первый.', 'Второй.'])
    expect(kinds(d.blocks)).toEqual(['added', 'added'])
    expect(d.stats).toEqual({ changed: 0, added: 2, removed: 0, same: 0 })
  })

  it('identical documents collapse to one hidden run; whitespace and empty paragraphs do not count', () => {
    const d = diffDocuments(clauses(12), ['', ...clauses(12).map((c) => ` ${c.replace(' ', '  ')} `), '  '])
    expect(d.identical).toBe(true)
    expect(kinds(d.blocks)).toEqual(['collapsed'])
    expect(d.blocks[0]?.kind === 'collapsed' && d.blocks[0].paragraphs).toHaveLength(12)
  })

  it('a changed clause in the middle keeps one paragraph of context each side and collapses the rest', () => {
    const before = clauses(20)
    const after = [...before]
    after[9] = '10. Пункт номер 10 изменён по замечаниям юриста.'
    const d = diffDocuments(before, after)
    expect(kinds(d.blocks)).toEqual(['collapsed', 'same', 'changed', 'same', 'collapsed'])
    const [head, , changed, , tail] = d.blocks
    expect(head?.kind === 'collapsed' && head.paragraphs).toHaveLength(8)
    expect(tail?.kind === 'collapsed' && tail.paragraphs).toHaveLength(9)
    expect(changed).toMatchObject({ kind: 'changed', before: before[9], after: after[9] })
    expect(d.stats).toEqual({ changed: 1, added: 0, removed: 0, same: 19 })
  })

  it('context 0 hides every unchanged paragraph; a short run between changes stays visible', () => {
    const before = ['A один два три', 'B', 'C один два три']
    const after = ['A один два три четыре', 'B', 'C один два три четыре']
    const d = diffDocuments(before, after, { context: 0 })
    expect(kinds(d.blocks)).toEqual(['changed', 'same', 'changed'])
  })

  it('every paragraph rewritten beyond resemblance: removals then additions, nothing paired', () => {
    const d = diffDocuments(['Альфа бета гамма.', 'Дельта эпсилон.'], ['Совсем другой текст.', 'И ещё другой.'])
    expect(kinds(d.blocks)).toEqual(['removed', 'removed', 'added', 'added'])
    expect(d.identical).toBe(false)
  })

  it('reordered clauses: the moved one is removed in one place and added in the other, never "changed"', () => {
    const before = clauses(5)
    const after = [before[0], before[2], before[1], before[3], before[4]] as string[]
    const d = diffDocuments(before, after, { context: 5 })
    expect(d.stats.changed).toBe(0)
    expect(d.stats.added).toBe(1)
    expect(d.stats.removed).toBe(1)
    const removed = d.blocks.find((b) => b.kind === 'removed')
    const added = d.blocks.find((b) => b.kind === 'added')
    expect(removed && 'before' in removed && removed.before).toBe(added && 'after' in added && added.after)
  })

  it('an inserted clause between paired changes keeps document order', () => {
    const before = ['1. Оплата в течение 30 дней.', '2. Пени 0,1 % в день.']
    const after = ['1. Оплата в течение 10 дней.', '1а. Новый пункт о гарантиях качества товара.', '2. Пени 0,05 % в день.']
    const d = diffDocuments(before, after)
    expect(kinds(d.blocks)).toEqual(['changed', 'added', 'changed'])
  })

  it('big documents stay bounded: 5000 paragraphs with scattered edits', () => {
    const before = Array.from({ length: 5000 }, (_, i) => `Абзац ${i}: текст договора.`)
    const after = before.map((p, i) => (i % 500 === 0 ? `${p} Дополнено.` : p))
    const d = diffDocuments(before, after)
    expect(d.stats.changed).toBe(10)
    expect(d.stats.same).toBe(4990)
  })
})
