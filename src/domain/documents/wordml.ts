/**
 * Paragraph text out of WordprocessingML (word/document.xml) with a small tolerant tokenizer:
 * no DOMParser, so it runs the same in the browser, Node and happy-dom, and never builds
 * markup from the document — the result is plain strings.
 *
 * A paragraph is `w:p`; its text is the `w:t` runs, `w:tab` as a tab, `w:br`/`w:cr` as a line
 * break. Deleted text of tracked changes (`w:delText`) and field codes (`w:instrText`) are not
 * `w:t`, so they are left out, as Word shows them. Nested paragraphs (text boxes) come out as
 * paragraphs of their own, before the one that holds them ends.
 */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** @example decodeEntities('A &amp; B &#8470;') // 'A & B №' */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[body] ?? whole
  })
}

/** The local part of a qualified tag name: `w:t` → `t`. */
function localName(tag: string): string {
  const colon = tag.indexOf(':')
  return colon < 0 ? tag : tag.slice(colon + 1)
}

export function paragraphsOfWordXml(xml: string): string[] {
  const out: string[] = []
  const open: string[] = []
  let inText = 0
  // `w:tabs` in paragraph properties lists tab stops, not tabs in the text.
  let inTabStops = 0
  let i = 0
  const n = xml.length
  while (i < n) {
    const lt = xml.indexOf('<', i)
    const textEnd = lt < 0 ? n : lt
    if (inText > 0 && open.length > 0 && textEnd > i) open[open.length - 1] += decodeEntities(xml.slice(i, textEnd))
    if (lt < 0) break
    // Comments, processing instructions, CDATA and doctype: skipped as wholes.
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4)
      i = end < 0 ? n : end + 3
      continue
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9)
      if (inText > 0 && open.length > 0) open[open.length - 1] += xml.slice(lt + 9, end < 0 ? n : end)
      i = end < 0 ? n : end + 3
      continue
    }
    const gt = xml.indexOf('>', lt + 1)
    if (gt < 0) break
    i = gt + 1
    const c = xml[lt + 1]
    if (c === '?' || c === '!') continue
    const closing = c === '/'
    const selfClosing = xml[gt - 1] === '/'
    const raw = xml.slice(closing ? lt + 2 : lt + 1, selfClosing ? gt - 1 : gt)
    const space = raw.search(/[\s/]/)
    const name = localName(space < 0 ? raw : raw.slice(0, space))
    if (name === 'p') {
      if (closing) {
        const text = open.pop()
        if (text !== undefined) out.push(text)
      } else if (selfClosing) {
        out.push('')
      } else {
        open.push('')
      }
    } else if (name === 't') {
      if (closing) inText = Math.max(0, inText - 1)
      else if (!selfClosing) inText++
    } else if (name === 'tabs') {
      if (closing) inTabStops = Math.max(0, inTabStops - 1)
      else if (!selfClosing) inTabStops++
    } else if (!closing && open.length > 0 && inTabStops === 0 && (name === 'tab' || name === 'br' || name === 'cr')) {
      open[open.length - 1] += name === 'tab' ? '\t' : '\n'
    }
  }
  // An unterminated document still yields what it had.
  while (open.length) out.push(open.shift() as string)
  return out.map((p) => p.replace(/[ \t\u00A0]+\n/g, '\n').trim()).filter((p) => p !== '')
}
