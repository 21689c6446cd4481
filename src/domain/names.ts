/**
 * People's names in Russian texts: declined («вместо Андрея Лебедева») and verbs agreed with the
 * actor's gender («Согласовала», not «Согласовал(а)»). The gender is the portal user's
 * `PERSONAL_GENDER` (`M` / `F`) when known, else what the name says (lvovich, a pure inflection
 * library; no I/O); when neither is sure, the neutral «(а)» form stays.
 */
import { getGender, incline } from 'lvovich'

export type Gender = 'male' | 'female'

/** `PERSONAL_GENDER` as user.get returns it: `M`, `F`, or empty. */
export function genderOfField(value: unknown): Gender | null {
  return value === 'M' ? 'male' : value === 'F' ? 'female' : null
}

/** "Имя Фамилия" as the app names people (mappers.ts fullNameOf). */
function split(fullName: string): { first: string; last: string } | null {
  const parts = fullName.trim().split(/\s+/)
  if (parts.length !== 2 || !parts.every((p) => /^[А-ЯЁа-яё-]+$/.test(p))) return null
  return { first: parts[0] as string, last: parts[1] as string }
}

/** The gender of a person: the portal's field first, then the name; null when unsure. */
export function genderOf(fullName: string, known: Gender | null = null): Gender | null {
  if (known) return known
  const p = split(fullName)
  if (!p) return null
  const g = getGender({ first: p.first, last: p.last })
  return g === 'male' || g === 'female' ? g : null
}

export type NameCase = 'genitive' | 'dative' | 'accusative' | 'instrumental' | 'prepositional'

/**
 * A full name in a Russian case; anything that is not a plain "Имя Фамилия" in Cyrillic (an
 * e-mail, `#12`, a Latin name) is left as it is.
 *
 * @example declineName('Андрей Лебедев', 'genitive') // 'Андрея Лебедева'
 */
export function declineName(fullName: string, nameCase: NameCase, known: Gender | null = null): string {
  const p = split(fullName)
  if (!p) return fullName
  const gender = genderOf(fullName, known)
  const out = incline({ first: p.first, last: p.last, ...(gender ? { gender } : {}) }, nameCase)
  return `${out.first ?? p.first} ${out.last ?? p.last}`
}

/**
 * A Russian text's neutral «(а)» endings agreed with a gender: «Согласовал(а)» → «Согласовала»
 * or «Согласовал»; unknown gender keeps them.
 */
export function agree(text: string, gender: Gender | null): string {
  if (!gender) return text
  return text.replace(/\((а|ла|ась)\)/g, (_m, ending: string) => (gender === 'female' ? ending : ''))
}
