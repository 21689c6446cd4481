/**
 * The locale files (src/locales/{ru,en}/<feature>.json) as the build sees them, before the Vite
 * plugin compiles them. Russian is the source of truth: English must have exactly its keys, with
 * the same placeholders (a renamed `{n}` would print the raw placeholder), and no text may be
 * empty. The source's `t('…')` keys must exist, and every key must be used somewhere, so a text
 * cannot silently go dead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import ru from '../../src/locales/ru/index.ts'
import en from '../../src/locales/en/index.ts'

const LOCALES_DIR = fileURLToPath(new URL('../../src/locales', import.meta.url))
const SRC_DIR = fileURLToPath(new URL('../../src', import.meta.url))

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v)
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv)
  }
  return out
}

// Distinct names: a plural message repeats `{n}` once per form, and Russian has three forms to English's two.
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1]))].sort()

const featureFiles = (lang: string) => readdirSync(join(LOCALES_DIR, lang)).filter((f) => f.endsWith('.json')).sort()
const readJson = (lang: string, file: string) => JSON.parse(readFileSync(join(LOCALES_DIR, lang, file), 'utf8')) as Tree

describe('locale files', () => {
  it('has the same feature files in every language', () => {
    expect(featureFiles('en')).toEqual(featureFiles('ru'))
  })

  it.each(featureFiles('ru'))('%s: English has exactly the Russian keys and placeholders, none empty', (file) => {
    const ruTexts = flatten(readJson('ru', file))
    const enTexts = flatten(readJson('en', file))
    const missing = [...ruTexts.keys()].filter((k) => !enTexts.has(k))
    const extra = [...enTexts.keys()].filter((k) => !ruTexts.has(k))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
    const mismatched = [...ruTexts].filter(([k, v]) => placeholders(v).join() !== placeholders(enTexts.get(k) ?? '').join()).map(([k]) => k)
    expect(mismatched).toEqual([])
    const empty = [...ruTexts, ...enTexts].filter(([, v]) => v.trim() === '').map(([k]) => k)
    expect(empty).toEqual([])
  })

  it('gives each top-level key to one feature file only', () => {
    const owner = new Map<string, string>()
    const clashes: string[] = []
    for (const file of featureFiles('ru')) {
      for (const key of Object.keys(readJson('ru', file))) {
        if (owner.has(key)) clashes.push(`${key}: ${owner.get(key)} and ${file}`)
        owner.set(key, file)
      }
    }
    expect(clashes).toEqual([])
  })

  it('loads the same messages the files hold (index.ts leaves none out)', () => {
    const fromFiles = (lang: string) => featureFiles(lang).reduce((all, f) => ({ ...all, ...readJson(lang, f) }), {} as Tree)
    expect(ru).toEqual(fromFiles('ru'))
    expect(en).toEqual(fromFiles('en'))
  })
})

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return path === LOCALES_DIR ? [] : sources(path)
    return /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

describe('keys in the source', () => {
  const keys = [...flatten(ru as Tree).keys()]
  const namespaces = Object.keys(ru).join('|')
  const code = sources(SRC_DIR).map((path) => ({ path, text: readFileSync(path, 'utf8') }))
  // A literal key (`'a.b'`) or the static head of a template key (`` `a.${x}` `` → `a.`).
  const literal = new RegExp(`['"\`]((?:${namespaces})\\.[\\w.]*?)(\\$\\{|['"\`])`, 'g')

  it('every t() key exists in Russian', () => {
    const unknown: string[] = []
    for (const { path, text } of code) {
      // The first argument of t(…) / $t(…): literals, also those of a ternary.
      for (const call of text.matchAll(/\$?\bt\(([^,)]*)/g)) {
        for (const m of (call[1] ?? '').matchAll(literal)) {
          const key = m[1] ?? ''
          const known = m[2] === '${' ? keys.some((k) => k.startsWith(key)) : keys.includes(key)
          if (!known) unknown.push(`${path.slice(SRC_DIR.length + 1)}: ${key}`)
        }
      }
    }
    expect(unknown).toEqual([])
  })

  it('every key is used', () => {
    const exact = new Set<string>()
    const heads: string[] = []
    for (const { text } of code) {
      for (const m of text.matchAll(literal)) {
        if (m[2] === '${') heads.push(m[1] ?? '')
        else exact.add(m[1] ?? '')
      }
    }
    expect(keys.filter((k) => !exact.has(k) && !heads.some((h) => k.startsWith(h)))).toEqual([])
  })
})
