import { describe, expect, it } from 'vitest'
import { INSTALL_STEPS } from '../../../src/services/install/installer.ts'
import { installMessages } from '../../../src/components/install/locales.ts'

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix]
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)).sort()
}

// A key missing in one language shows the raw key to that language's admins.
describe('install wizard texts', () => {
  it('has the same keys in Russian and English', () => {
    expect(keys(installMessages.en)).toEqual(keys(installMessages.ru))
  })

  it('names every installer step', () => {
    for (const lang of [installMessages.ru, installMessages.en]) {
      expect(Object.keys(lang.steps).sort()).toEqual([...INSTALL_STEPS].sort())
    }
  })
})
