import { describe, expect, it } from 'vitest'
import { itemStateFields, parseLog, project } from '../../src/domain/index.ts'
import { act, CEO, LAWYER, SECURITY, STRANGER, submittedLog } from './fixtures.ts'

const ids = { typeId: 7, entityTypeId: 1038, categoryId: 4 }

describe('itemStateFields', () => {
  it('writes the log with its projection under the schema names', () => {
    const log = submittedLog()
    const p = project(log)
    const fields = itemStateFields(log, p, ids)
    expect(fields).toEqual({
      stageId: 'DT1038_4:APPROVAL',
      ufCrm7CaLog: JSON.stringify(log),
      ufCrm7CaApprovers: p.currentApprovers,
      ufCrm7CaRound: 1,
      ufCrm7CaDeadline: p.deadline,
    })
    expect(parseLog(fields.ufCrm7CaLog)).toEqual({ ok: true, log })
  })

  it('clears approvers and deadline once approved, and fills the originals fields on receipt', () => {
    let log = act(submittedLog(), LAWYER, { type: 'approve' }, 1)
    log = act(log, SECURITY, { type: 'approve' }, 2)
    log = act(log, CEO, { type: 'approve' }, 3)
    log = act(log, STRANGER, { type: 'receiveOriginal', receivedAt: '2026-11-05', storageLocation: 'Архив, шкаф 3' }, 4)
    expect(itemStateFields(log, project(log), ids)).toMatchObject({
      stageId: 'DT1038_4:ORIGINALS',
      ufCrm7CaApprovers: [],
      ufCrm7CaDeadline: '',
      ufCrm7CaOrig: 'Y',
      ufCrm7CaOrigAt: '2026-11-05',
      ufCrm7CaStorage: 'Архив, шкаф 3',
      ufCrm7CaArchivist: STRANGER.id,
    })
  })
})
