/**
 * The installer through the real SDK against an empty emulated portal: what a fresh install
 * creates, that a second run creates nothing, that only an administrator may install, and the
 * adopt-an-existing-"Договоры" path.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInstall } from '../../../src/services/install/installer.ts'
import type { InstallOptions, InstallResult } from '../../../src/services/install/installer.ts'
import { parseRouteSet, validateRouteSet, hasErrors } from '../../../src/domain/route.ts'
import { APP_OPTION_KEYS, CONTRACT_TYPE, CONTRACT_TYPE_CODE, FIELDS, PLACEMENTS, STAGES, userFieldName } from '../../../src/domain/schema.ts'
import type { FieldKey } from '../../../src/domain/schema.ts'
import ruStages from '../../../src/locales/ru/stages.json'
import enStages from '../../../src/locales/en/stages.json'
import { ADMIN_ID, EMPLOYEE_ID, HANDLER, emptyPortal, ourType, portAs, portalState } from './portal.ts'
import type { Emulator } from './portal.ts'

let emu: Emulator

beforeEach(async () => {
  emu = await emptyPortal()
})

afterEach(async () => {
  await emu.close()
})

const opts = (extra: Partial<InstallOptions> = {}): InstallOptions => ({ handlerUrl: HANDLER, lang: 'ru', ...extra })

function expectDone(result: InstallResult): Extract<InstallResult, { status: 'done' }> {
  if (result.status !== 'done') throw new Error(`install ended "${result.status}": ${result.status === 'failed' ? `${result.step}: ${result.error.message}` : ''}`)
  return result
}

const allFieldNames = (typeId: number) => (Object.keys(FIELDS) as FieldKey[]).map((k) => userFieldName(typeId, k)).sort()

describe('fresh install', () => {
  it('creates the smart process, stages, fields, placements, routes and the record', async () => {
    const progress: string[] = []
    const result = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts({ onProgress: (step, s) => progress.push(`${step}:${s.status}`) })))

    const state = await portalState(emu)
    expect(state.types).toHaveLength(1)
    const type = ourType(state)
    expect(type?.title).toBe(CONTRACT_TYPE.title)
    expect(type?.code).toBe(CONTRACT_TYPE_CODE)
    if (!type) return

    // Exactly our stages, in order, Russian names, with success / failure semantics.
    expect(state.stages[type.id]).toEqual(
      STAGES.map((s) => ({ code: s.code, name: ruStages.stages[s.code], semantics: s.semantics === 'success' ? 'S' : s.semantics === 'failure' ? 'F' : null })),
    )
    expect(state.fields[type.id]).toEqual(allFieldNames(type.id))
    expect(state.placements).toEqual(
      expect.arrayContaining([
        // The tab's handler names its view, so the app loads it during the handshake.
        { placement: PLACEMENTS.detailTab(type.entityTypeId), handler: `${HANDLER}?view=tab` },
        { placement: PLACEMENTS.leftMenu, handler: HANDLER },
        // The mobile app's chat menu (api-reference/widgets/mobile-app.md).
        { placement: PLACEMENTS.mobileChat, handler: HANDLER },
        // The app's own link (api-reference/widgets/universal/app-url.md).
        { placement: PLACEMENTS.appLink, handler: HANDLER },
      ]),
    )
    expect(state.placements).toHaveLength(4)

    const routes = parseRouteSet(state.options[APP_OPTION_KEYS.routes])
    expect(routes.ok && routes.set.routes.length).toBe(1)
    if (routes.ok) expect(hasErrors(validateRouteSet(routes.set))).toBe(false)

    expect(state.options[APP_OPTION_KEYS.install]).toMatchObject({
      version: 1,
      typeId: type.id,
      entityTypeId: type.entityTypeId,
      categoryId: result.record.categoryId,
      fields: { number: result.record.fields.number },
      // app.info CODE (api-reference/common/system/app-info.md): a local app's client_id.
      appCode: emu.ctx.db.app.clientId,
    })
    expect(result.steps.type.created).toEqual([CONTRACT_TYPE.title])
    expect(result.steps.fields.created).toHaveLength(Object.keys(FIELDS).length)
    // Each step is announced running before it is done; finish is skipped outside install mode.
    expect(progress.indexOf('type:running')).toBeLessThan(progress.indexOf('type:done'))
    expect(progress.at(-1)).toBe('finish:skipped')
  })

  it('a second run creates nothing and changes nothing', async () => {
    const first = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts()))
    const before = await portalState(emu)
    const second = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts()))
    expect(await portalState(emu)).toEqual(before)
    for (const [step, s] of Object.entries(second.steps)) {
      expect({ step, created: s.created, updated: s.updated, removed: s.removed }).toEqual({ step, created: [], updated: [], removed: [] })
    }
    expect(second.record).toEqual(first.record)
    expect(second.steps.fields.found).toHaveLength(Object.keys(FIELDS).length)
  })

  it('a record written before the app\'s code was kept gains it on the next run; nothing else changes', async () => {
    const first = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts()))
    const { appCode: _code, ...old } = first.record
    emu.ctx.db.app.options[APP_OPTION_KEYS.install] = old
    const second = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts()))
    expect(second.steps.record.created).toEqual([APP_OPTION_KEYS.install])
    expect(second.steps.placements.created).toEqual([])
    expect(second.record).toEqual({ ...old, appCode: emu.ctx.db.app.clientId })
  })

  it('REST_APP_URI bound to another address is replaced: one handler per app (widgets/universal/app-url.md)', async () => {
    await portAs(emu, ADMIN_ID).call('placement.bind', { PLACEMENT: PLACEMENTS.appLink, HANDLER: 'https://old.example.com/app/' })
    const result = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts()))
    expect(result.steps.placements.created).toContain(PLACEMENTS.appLink)
    const state = await portalState(emu)
    expect(state.placements.filter((p) => p.placement === PLACEMENTS.appLink)).toEqual([{ placement: PLACEMENTS.appLink, handler: HANDLER }])
  })

  it('names everything in English on an English portal', async () => {
    expectDone(await runInstall(portAs(emu, ADMIN_ID), opts({ lang: 'en' })))
    const state = await portalState(emu)
    const type = ourType(state)
    expect(type?.title).toBe(CONTRACT_TYPE.titleEn)
    if (type) expect(state.stages[type.id]?.map((s) => s.name)).toEqual(STAGES.map((s) => enStages.stages[s.code]))
  })
})

describe('only an administrator installs', () => {
  it('refuses a non-admin with an access error before touching the portal', async () => {
    const port = portAs(emu, EMPLOYEE_ID)
    const result = await runInstall(port, opts())
    expect(result.status).toBe('failed')
    if (result.status !== 'failed') return
    expect(result.step).toBe('admin')
    expect(result.error.kind).toBe('access')
    expect(result.steps.type.status).toBe('pending')
    expect(port.requestCount()).toBe(0)
    expect((await portalState(emu)).types).toHaveLength(0)
  })

  it('the portal itself refuses a non-admin whose frame claims admin rights', async () => {
    // IS_ADMIN comes from the frame; the REST side is what really decides.
    const result = await runInstall(portAs(emu, EMPLOYEE_ID, { isAdmin: true }), opts())
    expect(result.status).toBe('failed')
    if (result.status === 'failed') expect(result.error.kind).toBe('access')
    expect((await portalState(emu)).types).toHaveLength(0)
  })
})

describe('a smart process named like contracts already exists', () => {
  async function preExisting(): Promise<{ id: number; entityTypeId: number }> {
    const { result } = await emu.ctx.callAs(ADMIN_ID, 'crm.type.add', { fields: { title: 'Договоры', isStagesEnabled: 'Y' } })
    const type = (result as { type: { id: number; entityTypeId: number } }).type
    for (const key of ['number', 'amount'] as const) {
      await emu.ctx.callAs(ADMIN_ID, 'userfieldconfig.add', {
        moduleId: 'crm',
        field: { entityId: `CRM_${type.id}`, fieldName: userFieldName(type.id, key), userTypeId: FIELDS[key].type, editFormLabel: { ru: 'Своё название' } },
      })
    }
    return type
  }

  it('asks first, then adopts it: missing fields added, nothing duplicated, its own stages kept', async () => {
    const existing = await preExisting()
    const asked = await runInstall(portAs(emu, ADMIN_ID), opts())
    expect(asked.status).toBe('needsChoice')
    if (asked.status === 'needsChoice') expect(asked.candidates).toEqual([{ id: existing.id, entityTypeId: existing.entityTypeId, title: 'Договоры' }])
    expect((await portalState(emu)).fields[existing.id]).toHaveLength(2)

    const done = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts({ adopt: { typeId: existing.id } })))
    expect(done.record.typeId).toBe(existing.id)
    expect(done.steps.fields.found.sort()).toEqual([userFieldName(existing.id, 'amount'), userFieldName(existing.id, 'number')])
    expect(done.steps.fields.created).toHaveLength(Object.keys(FIELDS).length - 2)

    const state = await portalState(emu)
    expect(state.types).toHaveLength(1)
    expect(state.fields[existing.id]).toEqual(allFieldNames(existing.id))
    // The customer's funnel keeps the default stages it may already use.
    const codes = state.stages[existing.id]?.map((s) => s.code) ?? []
    expect(codes).toEqual(expect.arrayContaining([...STAGES.map((s) => s.code), 'PREPARATION', 'CLIENT']))

    const again = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts()))
    expect(again.record.typeId).toBe(existing.id)
    // Nothing new, and the customer's stages survive the rerun too.
    expect(Object.values(again.steps).flatMap((s) => [...s.created, ...s.updated, ...s.removed])).toEqual([])
  })

  it('creates a separate one when the admin says so, and keeps using it', async () => {
    const existing = await preExisting()
    const done = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts({ adopt: 'create' })))
    expect(done.record.typeId).not.toBe(existing.id)
    const again = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts()))
    expect(again.record.typeId).toBe(done.record.typeId)
    const state = await portalState(emu)
    expect(state.types).toHaveLength(2)
    expect(state.fields[existing.id]).toHaveLength(2)
  })
})

describe('install mode', () => {
  it('tells Bitrix24 the installation is over only after the record is stored', async () => {
    const port = portAs(emu, ADMIN_ID)
    const seen: unknown[] = []
    // The parent window is Bitrix24's, not REST: the frame's installFinish is observed here.
    const framed = {
      ...port,
      install: { installMode: true, firstRun: true },
      async installFinish() {
        seen.push((await emu.ctx.callAs(ADMIN_ID, 'app.option.get', { option: APP_OPTION_KEYS.install })).result)
      },
    }
    const result = expectDone(await runInstall(framed, opts()))
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ typeId: result.record.typeId })
    expect(result.steps.finish.status).toBe('done')
  })
})

describe('an adopted type with many user fields', () => {
  it('reads every page of existing fields and adds only the missing ones', async () => {
    const { result } = await emu.ctx.callAs(ADMIN_ID, 'crm.type.add', { fields: { title: 'Contracts' } })
    const type = (result as { type: { id: number } }).type
    // More than one page (50) of someone else's fields, then one of ours at the very end.
    for (let i = 0; i < 55; i++) {
      await emu.ctx.callAs(ADMIN_ID, 'userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${type.id}`, fieldName: `UF_CRM_${type.id}_OTHER_${i}`, userTypeId: 'string' } })
    }
    await emu.ctx.callAs(ADMIN_ID, 'userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${type.id}`, fieldName: userFieldName(type.id, 'approvalLog'), userTypeId: 'string' } })
    const done = expectDone(await runInstall(portAs(emu, ADMIN_ID), opts({ adopt: { typeId: type.id } })))
    expect(done.steps.fields.found).toEqual([userFieldName(type.id, 'approvalLog')])
    expect((await portalState(emu)).fields[type.id]).toHaveLength(55 + Object.keys(FIELDS).length)
  })
})
