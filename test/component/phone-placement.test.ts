import { describe, expect, it } from 'vitest'
import PhoneView from '../../src/placements/PhoneView.vue'
import { resolvePlacement } from '../../src/placements/registry.ts'
import { PLACEMENTS } from '../../src/domain/schema.ts'

// api-reference/widgets/mobile-app.md: the mobile app's chat menu passes `{"dialogId": "chat1"}`.
describe('the mobile chat menu placement', () => {
  it('opens the phone view with the chat it came from', async () => {
    const entry = resolvePlacement({ code: PLACEMENTS.mobileChat, options: { dialogId: 'chat1' } }, { installMode: false, firstRun: false })
    expect(entry.view).toBe('phone')
    expect(entry.props).toEqual({ dialogId: 'chat1' })
    expect((await entry.load()).default).toBe(PhoneView)
  })

  it('does without a dialogId', () => {
    expect(resolvePlacement({ code: 'IMMOBILE_CONTEXT_MENU', options: {} }, { installMode: false, firstRun: false }).props).toEqual({ dialogId: null })
  })
})
