/**
 * Why this exists: an install is ~30 REST calls and any of them can fail (network, portal
 * hiccup, the admin closing the tab). For every method the installer calls, the first call of it
 * fails once; the run must report the failing step, and a rerun must finish the job with the
 * portal exactly as after an uninterrupted install — in particular no second smart process when
 * crm.type.add succeeded just before the crash.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { runInstall } from '../../../src/services/install/installer.ts'
import type { InstallOptions } from '../../../src/services/install/installer.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { ADMIN_ID, HANDLER, emptyPortal, failNext, portAs, portalState } from './portal.ts'
import type { Emulator, PortalState } from './portal.ts'

const INSTALLER_METHODS = [
  'app.option.get',
  'crm.type.list',
  'crm.type.add',
  'crm.category.list',
  'crm.status.list',
  'crm.status.update',
  'crm.status.add',
  'crm.item.list',
  'crm.status.delete',
  'userfieldconfig.list',
  'userfieldconfig.add',
  'batch',
  'placement.get',
  'placement.bind',
  'user.current',
  'app.option.set',
]

const opts: InstallOptions = { handlerUrl: HANDLER, lang: 'ru', now: () => new Date('2026-01-15T09:00:00Z') }

let emu: Emulator | undefined

afterEach(async () => {
  await emu?.close()
  emu = undefined
})

/** The portal after an uninterrupted install, ids aside (they depend on what a failed run used). */
function shape(state: PortalState) {
  return {
    types: state.types.map((t) => ({ title: t.title, code: t.code })),
    stages: Object.values(state.stages),
    fieldCounts: Object.values(state.fields).map((f) => f.length),
    placements: state.placements.map((p) => p.placement.replace(/\d+/, 'N')).sort(),
    routes: state.options[APP_OPTION_KEYS.routes],
    installed: state.options[APP_OPTION_KEYS.install] !== null,
  }
}

async function reference(): Promise<ReturnType<typeof shape>> {
  const clean = await emptyPortal()
  try {
    const r = await runInstall(portAs(clean, ADMIN_ID), opts)
    expect(r.status).toBe('done')
    return shape(await portalState(clean))
  } finally {
    await clean.close()
  }
}

describe('an install interrupted at any REST call', () => {
  it.each(INSTALLER_METHODS)('%s failing once: the run reports it, a rerun completes without duplicates', async (method) => {
    const expected = await reference()
    emu = await emptyPortal()
    await failNext(emu, method)

    const broken = await runInstall(portAs(emu, ADMIN_ID), opts)
    expect(broken.status).toBe('failed')
    if (broken.status !== 'failed') return
    expect(broken.steps[broken.step].status).toBe('failed')
    expect(broken.steps[broken.step].error).toBe(broken.error)
    // The record is what says "installed": it must not exist after a failed run.
    expect((await portalState(emu)).options[APP_OPTION_KEYS.install]).toBeNull()

    const rerun = await runInstall(portAs(emu, ADMIN_ID), opts)
    expect(rerun.status).toBe('done')
    expect(shape(await portalState(emu))).toEqual(expected)
  })

  it('fails on the record write last and still leaves everything else in place', async () => {
    emu = await emptyPortal()
    // The first app.option.set stores the routes, the second the record.
    await emu.ctx.callAs(ADMIN_ID, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: '{"v":1,"version":3,"updatedAt":null,"updatedBy":null,"routes":[]}' } })
    await failNext(emu, 'app.option.set')
    const broken = await runInstall(portAs(emu, ADMIN_ID), opts)
    expect(broken.status === 'failed' && broken.step).toBe('routes')
    // Routes that exist are the admin's: an install never overwrites them.
    const stored = '{"v":1,"version":1,"updatedAt":null,"updatedBy":null,"routes":[{"id":"mine","name":"Мой","isDefault":true,"conditions":{"amountFrom":null,"amountTo":null,"contractTypes":[]},"steps":[{"title":"Я","approvers":[{"kind":"user","userId":1}],"mode":"all","slaHours":8}]}]}'
    await emu.ctx.callAs(ADMIN_ID, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: stored } })
    await failNext(emu, 'app.option.set')
    const again = await runInstall(portAs(emu, ADMIN_ID), opts)
    expect(again.status === 'failed' && again.step).toBe('record')
    const final = await runInstall(portAs(emu, ADMIN_ID), opts)
    expect(final.status).toBe('done')
    const state = await portalState(emu)
    expect(state.options[APP_OPTION_KEYS.routes]).toBe(stored)
    expect(state.types).toHaveLength(1)
  })
})

describe('an adoption interrupted before the record is stored', () => {
  it('resumes with the adopted type on a fresh page, without asking again', async () => {
    emu = await emptyPortal()
    const { result } = await emu.ctx.callAs(ADMIN_ID, 'crm.type.add', { fields: { title: 'Договор' } })
    const typeId = (result as { type: { id: number } }).type.id
    await failNext(emu, 'placement.bind')
    const broken = await runInstall(portAs(emu, ADMIN_ID), { ...opts, adopt: { typeId } })
    expect(broken.status === 'failed' && broken.step).toBe('placements')
    // A reopened wizard no longer knows the admin's answer: the type must be recognised as ours.
    const resumed = await runInstall(portAs(emu, ADMIN_ID), opts)
    expect(resumed.status).toBe('done')
    if (resumed.status === 'done') expect(resumed.record.typeId).toBe(typeId)
    const state = await portalState(emu)
    expect(state.types).toHaveLength(1)
    // Still the customer's type: its default stages are kept.
    expect(state.stages[typeId]?.map((s) => s.code)).toContain('PREPARATION')
  })
})
