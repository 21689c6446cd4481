// Renders Bitrix24 notification BB-code into DOM nodes. Text only ever goes through text nodes:
// [URL=…]…[/URL] becomes a link when its target is http(s), [BR] a line break, other tags vanish.

const URL_TAG = /\[URL(?:=([^\]]*))?\]([\s\S]*?)\[\/URL\]/gi
const ANY_TAG = /\[\/?[A-Z*]+(?:=[^\]]*)?\]/gi

function appendText(el, text) {
  const parts = text.replace(/\[BR\]/gi, '\n').split('\n')
  parts.forEach((part, i) => {
    if (i > 0) el.append(document.createElement('br'))
    const clean = part.replace(ANY_TAG, '')
    if (clean) el.append(document.createTextNode(clean))
  })
}

/** An absolute http(s) URL for the link target, or null when it is anything else (javascript: …). */
export function safeHref(raw, base) {
  const trimmed = String(raw ?? '').trim().replace(/^["']|["']$/g, '')
  try {
    const url = new URL(trimmed, base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

export function renderBbcode(el, text) {
  const source = String(text ?? '')
  let last = 0
  for (const m of source.matchAll(URL_TAG)) {
    appendText(el, source.slice(last, m.index))
    const label = m[2].replace(ANY_TAG, '')
    const href = safeHref(m[1] ?? m[2], location.origin)
    if (href) {
      const a = document.createElement('a')
      a.href = href
      a.textContent = label || href
      a.dataset.testid = 'notification-link'
      el.append(a)
    } else {
      appendText(el, label)
    }
    last = m.index + m[0].length
  }
  appendText(el, source.slice(last))
}
