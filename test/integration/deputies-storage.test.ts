/**
 * Absences people set themselves, through the real SDK against the emulator: the installer's
 * storage step is idempotent; a person on a portal installed before the storage existed creates
 * it on first save (entity.add is open to any user of the app: b24restdocs
 * api-reference/entity/entities/entity-add.md); who is away is read in one request; and an entry
 * written or changed by anyone but the absent person is ignored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PortalUser } from '../../emulator/core/types.ts'
import { DEPUTIES_ENTITY, DEPUTIES_OPTION, entryName, serializeAbsences, type Absence } from '../../src/domain/deputies.ts'
import { readAbsences, saveOwnAbsence } from '../../src/services/deputies/absences.ts'
import { ensureStorage } from '../../src/services/install/storage.ts'
import { emptyStep } from '../../src/services/install/types.ts'
import { ADMIN_ID, EMPLOYEE_ID, emptyPortal, portAs, type Emulator } from './install/portal.ts'

const THIRD_ID = 3
let emu: Emulator

beforeEach(async () => {
  emu = await emptyPortal()
  const third: PortalUser = {
    ID: THIRD_ID, ACTIVE: true, NAME: 'Дмитрий', LAST_NAME: 'Волков', SECOND_NAME: '', EMAIL: 'd@example.test', WORK_POSITION: 'Менеджер',
    PERSONAL_PHOTO: null, UF_DEPARTMENT: [1], IS_ADMIN: false, crmRead: 'all', crmWrite: 'all', webhookSecret: 'third-secret', LANG: 'ru',
  }
  emu.ctx.db.users.push(third)
})
afterEach(async () => {
  await emu.close()
})

const me = { id: EMPLOYEE_ID, name: 'Ирина Сотрудникова' }
const admin = { id: ADMIN_ID, name: 'Алексей Смирнов' }
const third = { id: THIRD_ID, name: 'Дмитрий Волков' }
const away = (person = me, deputy = admin): Absence => ({ person, deputy, from: '2026-11-01', to: '2026-11-10' })

describe('the deputies storage', () => {
  it('is created once by the installer step, with write rights for every user', async () => {
    const first = emptyStep()
    await ensureStorage(portAs(emu, ADMIN_ID), 'ru', first)
    expect(first.created).toEqual([DEPUTIES_ENTITY])
    const second = emptyStep()
    await ensureStorage(portAs(emu, ADMIN_ID), 'ru', second)
    expect(second).toMatchObject({ created: [], found: [DEPUTIES_ENTITY], updated: [] })
    expect(emu.ctx.db.entities?.[DEPUTIES_ENTITY]?.access).toEqual({ AU: 'W', U1: 'X' })
  })

  it('a person on a portal without it creates it on the first save, and sees their deputy', async () => {
    expect(emu.ctx.db.entities?.[DEPUTIES_ENTITY]).toBeUndefined()
    const port = portAs(emu, EMPLOYEE_ID)
    expect(await readAbsences(port)).toEqual([])
    const list = await saveOwnAbsence(port, EMPLOYEE_ID, away(), 'ru')
    expect(list.map((a) => [a.person.id, a.deputy.id, a.source])).toEqual([[EMPLOYEE_ID, ADMIN_ID, 'self']])
    // Changed in place, not duplicated; removed on request.
    await saveOwnAbsence(port, EMPLOYEE_ID, { ...away(), deputy: third }, 'ru')
    expect(emu.ctx.db.entities?.[DEPUTIES_ENTITY]?.items).toHaveLength(1)
    expect((await readAbsences(port)).map((a) => a.deputy.id)).toEqual([THIRD_ID])
    expect(await saveOwnAbsence(port, EMPLOYEE_ID, null, 'ru')).toEqual([])
    expect(emu.ctx.db.entities?.[DEPUTIES_ENTITY]?.items).toHaveLength(0)
  })

  it('reads both sources in one request and ignores what a third user forged or changed', async () => {
    await ensureStorage(portAs(emu, ADMIN_ID), 'ru')
    await portAs(emu, ADMIN_ID).setAppOption(DEPUTIES_OPTION, serializeAbsences([away(admin, me)]))
    const mine = portAs(emu, EMPLOYEE_ID)
    await saveOwnAbsence(mine, EMPLOYEE_ID, away(), 'ru')
    // The third user names themselves the employee's deputy, and edits the employee's entry.
    const forger = portAs(emu, THIRD_ID)
    await forger.call('entity.item.add', { ENTITY: DEPUTIES_ENTITY, NAME: entryName(away(me, third)), DATE_ACTIVE_TO: '2026-11-10T23:59:59' })
    const calls = { ...emu.ctx.stats.calls }
    const seen = await readAbsences(forger)
    const spent = Object.entries(emu.ctx.stats.calls).filter(([m, n]) => n !== (calls[m] ?? 0)).map(([m]) => m)
    expect(spent).toEqual(expect.arrayContaining(['batch']))
    expect(emu.ctx.stats.calls.batch).toBe((calls.batch ?? 0) + 1)
    expect(seen.map((a) => [a.person.id, a.deputy.id, a.source])).toEqual([[EMPLOYEE_ID, ADMIN_ID, 'self'], [ADMIN_ID, EMPLOYEE_ID, 'admin']])

    // Given today, the storage is asked only for absences not over by yesterday.
    expect((await readAbsences(mine, '2026-11-11')).filter((a) => a.source === 'self')).toHaveLength(1)
    expect((await readAbsences(mine, '2026-11-12')).filter((a) => a.source === 'self')).toHaveLength(0)

    const id = emu.ctx.db.entities?.[DEPUTIES_ENTITY]?.items.find((i) => i.createdBy === EMPLOYEE_ID)?.id
    await forger.call('entity.item.update', { ENTITY: DEPUTIES_ENTITY, ID: id, NAME: entryName(away(me, third)) })
    expect((await readAbsences(mine)).map((a) => [a.person.id, a.source])).toEqual([[ADMIN_ID, 'admin']])
  })
})
