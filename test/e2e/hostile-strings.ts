/**
 * Hostile text (issue 8): what a colleague with edit rights can type into a title, a comment, a
 * file name or a counterparty's name. Markup and script in every form the app could mistake for
 * its own (HTML, SVG/MathML, attributes, URLs, entities, BB codes, Vue templates, the batch's
 * `$result`), 10 000-character strings without a space, floods of combining marks, direction
 * overrides and invisible characters. Every payload that could run sets `window.__xss`.
 */
const LONG_CYRILLIC = 'Д'.repeat(5_000) + 'x'.repeat(5_000)

export const HOSTILE: readonly string[] = [
  // Script and HTML injection
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  'javascript:window.__xss=1',
  '{{constructor.constructor(\'window.__xss=1\')()}}',
  '<iframe srcdoc="<script>parent.__xss=1</script>">',
  '[URL=javascript:window.__xss=1]x[/URL]',
  '<a href="javascript:window.__xss=1">x</a>',
  '$result[me][ID]',
  '<details open ontoggle="window.__xss=1">',
  '<body onload=window.__xss=1>',
  '<svg><script>window.__xss=1</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<input autofocus onfocus=window.__xss=1>',
  '<video><source onerror="window.__xss=1">',
  '<object data="javascript:window.__xss=1">',
  '<embed src="javascript:window.__xss=1">',
  '<marquee onstart=window.__xss=1>x</marquee>',
  '\'\';!--"<XSS>=&{()}',
  '<img src="x" onerror="&#119;indow.__xss=1">',
  '<a href="&#106;avascript:window.__xss=1">x</a>',
  String.raw`\u003cimg src=x onerror=window.__xss=1\u003e`,
  '<form><button formaction="javascript:window.__xss=1">x</button></form>',
  '<base href="javascript:window.__xss=1//">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
  '${window.__xss=1}',
  '{{ $el.ownerDocument.defaultView.__xss=1 }}',
  '<div v-html="\'<img src=x onerror=window.__xss=1>\'"></div>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
  '<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>',
  '[IMG]javascript:window.__xss=1[/IMG]',
  '%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E',
  '</textarea><script>window.__xss=1</script>',
  '</title><script>window.__xss=1</script>',
  '<!--<img src="--><img src=x onerror=window.__xss=1//">',
  'data:text/html,<script>parent.__xss=1</script>',
  '<style>*{display:none!important}</style><img src=x onerror=window.__xss=1>',
  '"onmouseover="window.__xss=1" x="',
  // 10 000 characters without a space
  LONG_CYRILLIC,
  'W'.repeat(10_000),
  '1234567890'.repeat(1_000),
  'https://example.com/' + 'путь/'.repeat(1_996),
  '😀'.repeat(5_000),
  '_'.repeat(10_000),
  'слово\u00a0'.repeat(1_666),
  'العقد'.repeat(2_000),
  '\ufdfd'.repeat(600),
  // Combining-mark floods (zalgo)
  'З' + '\u0301\u0308\u0336\u034f\u0489'.repeat(400) + 'алго' + '\u0300\u0317\u035c'.repeat(300),
  'a' + '\u0300'.repeat(3_000),
  'Зальго'.split('').map((c) => c + '\u0346\u0347\u0348\u0349\u034a'.repeat(60)).join(''),
  'ก' + '\u0e49\u0e34'.repeat(600),
  'Z' + '\u20d0\u20e3'.repeat(800),
  // Direction overrides and invisible characters
  '\u202eдоговор.exe\u202c',
  'счёт\u202excod.exe',
  '\u2067' + 'שלום'.repeat(50) + '\u2069',
  'x' + '\u200b'.repeat(5_000) + 'y',
  '\u200f\u200e'.repeat(2_000) + 'конец',
  '\ufeffНачало с BOM',
  'строка\n'.repeat(200) + 'конец',
  '👨\u200d👩\u200d👧\u200d👦'.repeat(500),
]

/** A short piece of the string that a page showing it must contain (textContent, untrimmed). */
export function probe(s: string): string {
  return s.trim().slice(0, 16)
}
