// Links that open the app itself (REST_APP_URI, api-reference/widgets/universal/app-url.md):
// `/marketplace/view/{code}/?params[contract]={id}` when the install recorded the app's code
// (app.info CODE), the card as before when it did not.
import { describe, expect, it } from 'vitest'
import { APP_OPTION_KEYS, appLinkPath, cardPath, contractLinkPath, installedEntityTypeId } from '../../src/domain/schema.ts'
import { parseContractSpace } from '../../src/services/approval/context.ts'
import { parseInstallRecord } from '../../src/services/install/routes.ts'
import { notifyMessage } from '../../src/services/approval/messages.ts'
import type { NotifyEffect } from '../../src/domain/effects.ts'

const CODE = 'local.ca0000000000001.00000001'
const record = { version: 1, typeId: 7, entityTypeId: 1032, categoryId: 3, installedAt: '2026-01-01T00:00:00.000Z' }

describe('the link to a contract', () => {
  it('opens the app on the contract when the app code is known, the card otherwise', () => {
    expect(appLinkPath(CODE, 8061)).toBe(`/marketplace/view/${CODE}/?params%5Bcontract%5D=8061`)
    expect(contractLinkPath(1032, 8061, CODE)).toBe(appLinkPath(CODE, 8061))
    expect(contractLinkPath(1032, 8061, undefined)).toBe(cardPath(1032, 8061))
    expect(contractLinkPath(1032, 8061, '')).toBe('/crm/type/1032/details/8061/')
  })

  it('reaches the portal as params[contract] (the brackets are only encoded)', () => {
    const url = new URL(appLinkPath(CODE, 8061), 'https://portal.example')
    expect(url.pathname).toBe(`/marketplace/view/${CODE}/`)
    expect(Object.fromEntries(url.searchParams)).toEqual({ 'params[contract]': '8061' })
  })

  it('survives the notification\'s BB-code: the [URL=…] target is the whole link', () => {
    const notice: NotifyEffect = {
      kind: 'notify', key: 'e1:notify:6', eventId: 'e1', userId: 6, reason: 'yourTurn', actor: { id: 2, name: 'Мария Козлова' },
      round: 1, stepTitle: null, deadline: null, comment: null,
    }
    const url = `https://portal.example${appLinkPath(CODE, 8061)}`
    const { message } = notifyMessage(notice, 'ru', 'Поставка', url)
    // The bell's parser (emulator/shell/public/bbcode.js) and Bitrix24's end the target at the first `]`.
    const m = /\[URL(?:=([^\]]*))?\]([\s\S]*?)\[\/URL\]/i.exec(message)
    expect(m?.[1]).toBe(url)
    expect(m?.[2]).toBe('Поставка')
  })

  it('the install record keeps the code; older records without it stay valid', () => {
    expect(parseInstallRecord({ ...record, appCode: CODE })?.appCode).toBe(CODE)
    expect(parseInstallRecord(JSON.stringify(record))).toMatchObject({ entityTypeId: 1032 })
    expect(parseInstallRecord(record)?.appCode).toBeUndefined()
    expect(parseContractSpace({ ...record, appCode: CODE })?.appCode).toBe(CODE)
    const old = parseContractSpace(record)
    expect(old).not.toBeNull()
    expect(old?.appCode).toBeUndefined()
    expect(contractLinkPath(1032, 8061, old?.appCode)).toBe(cardPath(1032, 8061))
  })

  it('the app link view finds the smart process in the install record (object or JSON)', () => {
    expect(installedEntityTypeId(record)).toBe(1032)
    expect(installedEntityTypeId(JSON.stringify(record))).toBe(1032)
    expect(installedEntityTypeId({ [APP_OPTION_KEYS.install]: record })).toBeNull()
    expect(installedEntityTypeId('{')).toBeNull()
    expect(installedEntityTypeId(null)).toBeNull()
  })
})
