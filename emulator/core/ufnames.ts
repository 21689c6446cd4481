/**
 * Bitrix24's own rule for the crm.item.* (camelCase) name of a CRM user field
 * (b24restdocs `api-reference/crm/universal/index.md`, "Field Naming Conventions"):
 * - `UF_CRM_{typeId}_{SUFFIX}`: `ufCrm{typeId}` + the suffix in camelCase; an underscore between
 *   two digit blocks stays (`UF_CRM_3_1747309727` → `ufCrm3_1747309727`), the others go
 *   (`UF_CRM_3_DIGIT` → `ufCrm3Digit`);
 * - a name that would be ambiguous once converted (letters and digits touching, so the reverse
 *   conversion cannot tell `DIGIT10` from `DIGIT_10`) is not converted: `ufCrm_` + the rest as is
 *   (`UF_CRM_3_DIGIT10` → `ufCrm_3_DIGIT10`, `UF_CRM_1747309879` → `ufCrm_1747309879`).
 * Nothing here comes from the app: the emulator must not share the app's assumptions.
 */

/** Joins `_`-separated tokens in camelCase, keeping `_` between two digit blocks. */
function camelTokens(tokens: string[]): string {
  let out = ''
  for (const token of tokens) {
    const t = token.toLowerCase()
    if (out !== '' && /\d$/.test(out) && /^\d/.test(t)) out += `_${t}`
    else out += t.charAt(0).toUpperCase() + t.slice(1)
  }
  return out
}

/** true when a letter and a digit touch without an underscore: the reverse is ambiguous. */
function ambiguous(camel: string): boolean {
  return /[A-Za-z]\d|\d[A-Za-z]/.test(camel)
}

export function ufCamelName(fieldName: string): string {
  const upper = fieldName.toUpperCase()
  const m = /^UF_CRM_(.+)$/.exec(upper)
  if (!m) {
    const tokens = upper.split('_').filter((t) => t !== '')
    const camel = camelTokens(tokens)
    return camel.charAt(0).toLowerCase() + camel.slice(1)
  }
  const rest = m[1] as string
  const typed = /^(\d+)_(.+)$/.exec(rest)
  if (typed) {
    const suffix = camelTokens((typed[2] as string).split('_').filter((t) => t !== ''))
    // The suffix starts with a digit block: the underscore after the type id stays.
    const joint = /^\d/.test(suffix) ? `_${suffix}` : suffix
    return ambiguous(suffix.replace(/_/g, '')) && !/^[\d_]+$/.test(suffix) ? `ufCrm_${rest}` : `ufCrm${typed[1]}${joint}`
  }
  const suffix = camelTokens(rest.split('_').filter((t) => t !== ''))
  return ambiguous(`m${suffix}`) ? `ufCrm_${rest}` : `ufCrm${suffix}`
}

/**
 * The reverse: a camelCase spelling back to UPPER_CASE (`ufCrm7CaNumber` → `UF_CRM_7_CA_NUMBER`,
 * `ufCrm_7_1739432938` → `UF_CRM_7_1739432938`). "Any field names in all methods can be passed in
 * either UPPER_CASE or camelCase" (api-reference/crm/universal/index.md).
 */
export function ufUpperName(camel: string): string {
  return camel
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Za-z])(\d)/g, '$1_$2')
    .replace(/(\d)([A-Za-z])/g, '$1_$2')
    .replace(/_+/g, '_')
    .toUpperCase()
}
