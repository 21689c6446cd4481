// Who may do what on the card, without a portal: the buttons a person sees follow the projection
// and the CRM item, and a log nobody could read leaves everyone a viewer.
import { describe, expect, it } from 'vitest'
import { abilitiesOf, authorIdOf, NOTHING, roleOf, type CardFacts } from '../../src/domain/abilities.ts'
import { EMPTY_LOG, project } from '../../src/domain/index.ts'
import { act, AUTHOR, STRANGER, submittedLog } from './fixtures.ts'

const item = (extra: Partial<CardFacts> = {}): CardFacts => ({ assignedById: AUTHOR.id, createdBy: AUTHOR.id, stageCode: 'NEW', logError: null, ...extra })

describe('abilities', () => {
  it('a draft: its author may submit, nobody else may do anything', () => {
    const p = project(EMPTY_LOG)
    const author = abilitiesOf(p, item(), AUTHOR.id)
    expect(author).toEqual({ ...NOTHING, submit: true })
    expect(roleOf(author)).toBe('author')
    expect(abilitiesOf(p, item(), STRANGER.id)).toEqual(NOTHING)
    expect(roleOf(NOTHING)).toBe('viewer')
    // Moved past "draft" outside the app: not offered for submission.
    expect(abilitiesOf(p, item({ stageCode: 'APPROVAL' }), AUTHOR.id).submit).toBe(false)
  })

  it('on approval: the current approvers decide or delegate, the author may withdraw', () => {
    const p = project(submittedLog())
    const approver = p.currentApprovers[0]!
    const a = abilitiesOf(p, item(), approver)
    expect(a).toEqual({ ...NOTHING, approve: true, return: true, delegate: true })
    expect(roleOf(a)).toBe('approver')
    expect(abilitiesOf(p, item(), AUTHOR.id)).toEqual({ ...NOTHING, withdraw: true })
  })

  it('returned: the author resubmits or withdraws', () => {
    const log = submittedLog()
    const p0 = project(log)
    const approver = { id: p0.currentApprovers[0]!, name: 'Юрист' }
    const p = project(act(log, approver, { type: 'return', comment: 'Поправьте сумму' }, 5))
    expect(abilitiesOf(p, item(), AUTHOR.id)).toEqual({ ...NOTHING, resubmit: true, withdraw: true })
  })

  it('nobody acts on a log that could not be read, nor without a user', () => {
    const p = project(submittedLog())
    expect(abilitiesOf(p, item({ logError: 'invalidJson' }), p.currentApprovers[0]!)).toEqual(NOTHING)
    expect(abilitiesOf(p, item(), null)).toEqual(NOTHING)
    expect(abilitiesOf(p, null, AUTHOR.id)).toEqual(NOTHING)
  })

  it('the author is whoever submitted, else the person responsible, else the creator', () => {
    expect(authorIdOf(project(submittedLog()), item({ assignedById: 77 }))).toBe(AUTHOR.id)
    expect(authorIdOf(project(EMPTY_LOG), item({ assignedById: 77 }))).toBe(77)
    expect(authorIdOf(project(EMPTY_LOG), item({ assignedById: null, createdBy: 78 }))).toBe(78)
    expect(authorIdOf(project(EMPTY_LOG), null)).toBeNull()
  })
})
