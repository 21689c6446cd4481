// Every Settings text exists in both languages, and every issue code the domain can raise has one.
import { describe, expect, it } from 'vitest'
import { settingsMessages } from '../../../src/components/settings/locales.ts'
import type { RouteIssueCode } from '../../../src/domain/route.ts'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`])).sort()
}

const CODES: Record<RouteIssueCode, true> = {
  noRoutes: true, noDefault: true, multipleDefaults: true, duplicateRouteId: true, emptyName: true, noSteps: true,
  emptyStepTitle: true, stepWithoutApprovers: true, duplicateApprover: true, invalidUserId: true, invalidSla: true,
  invalidAmountRange: true, overlappingConditions: true,
}

describe('settings texts', () => {
  it('has the same keys in Russian and English, none empty', () => {
    expect(keys(settingsMessages.en)).toEqual(keys(settingsMessages.ru))
    for (const lang of [settingsMessages.ru, settingsMessages.en]) {
      const flat = JSON.stringify(lang)
      expect(flat).not.toMatch(/:""/)
    }
  })

  it('says every route issue code in both languages', () => {
    for (const code of Object.keys(CODES)) {
      expect(settingsMessages.ru.issues).toHaveProperty(code)
      expect(settingsMessages.en.issues).toHaveProperty(code)
    }
  })
})
