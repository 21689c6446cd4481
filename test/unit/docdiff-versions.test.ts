/**
 * Which two document versions a resubmission compares: the submissions' own document ids when
 * the log has them, the two newest files otherwise, nothing when the same file was resubmitted.
 */
import { describe, expect, it } from 'vitest'
import { fileRefs, pickVersions } from '../../src/domain/documents/versions.ts'
import type { Submission } from '../../src/domain/projection.ts'

const file = (id: number) => ({ id, url: `/show/${id}`, urlMachine: `https://portal.test/rest/crm.controller.item.getFile.json?fileId=${id}` })
const submitted = (round: number, documentId: number | null) => ({ round, documentId }) as unknown as Submission

describe('fileRefs', () => {
  it('keeps well-formed file values, single or multiple, and drops the rest', () => {
    expect(fileRefs([file(3), { id: 'x' }, null, { id: 4 }, file(5)]).map((f) => f.id)).toEqual([3, 5])
    expect(fileRefs(file(7)).map((f) => f.id)).toEqual([7])
    expect(fileRefs(undefined)).toEqual([])
  })
})

describe('pickVersions', () => {
  const files = [file(10), file(11), file(12)]

  it('the previous and current round\'s documents, even when a newer file was uploaded since', () => {
    const pair = pickVersions({ submissions: [submitted(1, 10), submitted(2, 11)] }, files)
    expect(pair).toMatchObject({ before: { id: 10 }, after: { id: 11 }, fromLog: true })
  })

  it('the same document resubmitted: nothing to compare', () => {
    expect(pickVersions({ submissions: [submitted(1, 11), submitted(2, 11)] }, files)).toBeNull()
  })

  it('without document ids in the log, or with files gone, the two newest files', () => {
    expect(pickVersions({ submissions: [] }, files)).toMatchObject({ before: { id: 11 }, after: { id: 12 }, fromLog: false })
    expect(pickVersions({ submissions: [submitted(1, 1), submitted(2, 2)] }, files)).toMatchObject({ before: { id: 11 }, after: { id: 12 }, fromLog: false })
  })

  it('a single version: nothing to compare', () => {
    expect(pickVersions({ submissions: [] }, [file(10)])).toBeNull()
  })
})
