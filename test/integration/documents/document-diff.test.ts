/**
 * "What changed in the document" on the demo portal, through the real SDK: the two DOCX
 * versions of the resubmitted contract are downloaded from their urlMachine with each user's
 * own token and CRM rights, unzipped and diffed. Expectations come from the seed's own texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PEOPLE } from '../../../emulator/seed/people.ts'
import { RESUBMITTED } from '../../../emulator/seed/stories.ts'
import { readContract } from '../../../src/services/approval/record.ts'
import { compareVersions, versionParagraphs } from '../../../src/services/documents/compare.ts'
import { fileRefs, pickVersions, type VersionPair } from '../../../src/domain/documents/versions.ts'
import { AppError } from '../../../src/platform/errors.ts'
import { project } from '../../../src/domain/projection.ts'
import { startPortal, type Portal } from '../approval/helpers.ts'

let portal: Portal
let itemId: number

async function versionsAs(userId: number): Promise<VersionPair> {
  const item = await portal.port(userId).getItem(portal.space.entityTypeId, itemId)
  const record = readContract(item, portal.space)
  const pair = pickVersions(project(record.stored.log), fileRefs(item[portal.space.fields.documents]))
  if (!pair) throw new Error('no two versions to compare')
  return pair
}

const plain = (s: string) => s.replace(/\s/g, ' ')

beforeAll(async () => {
  portal = await startPortal()
  const rows = await portal.port(PEOPLE.admin).listItems(portal.space.entityTypeId, {
    select: ['id'], filter: { [portal.space.fields.number]: RESUBMITTED.number },
  })
  itemId = Number(rows[0]?.id)
  if (!itemId) throw new Error(`the demo has no ${RESUBMITTED.number}`)
}, 60_000)

afterAll(async () => {
  await portal?.close()
})

describe('document versions of the resubmitted contract', () => {
  it('the versions are the ones rounds 1 and 2 were submitted with', async () => {
    const pair = await versionsAs(PEOPLE.lawyer)
    expect(pair.fromLog).toBe(true)
    expect(pair.after.id).toBeGreaterThan(pair.before.id)
  })

  it('the lawyer sees the payment and liability clauses and the amount changed, nothing else', async () => {
    const port = portal.port(PEOPLE.lawyer)
    const diff = await compareVersions(port, await versionsAs(PEOPLE.lawyer))
    expect(diff.identical).toBe(false)
    expect(diff.stats.added + diff.stats.removed).toBe(0)
    const changed = diff.blocks.flatMap((b) => (b.kind === 'changed' ? [b] : []))
    expect(changed.map((b) => b.after.slice(0, 2))).toEqual(['3.', '4.', 'Це'])
    const amount = changed[2]
    expect(amount?.words.filter((w) => w.op === 'removed').map((w) => plain(w.text))).toEqual(['12 400 000'])
    expect(amount?.words.filter((w) => w.op === 'added').map((w) => plain(w.text))).toEqual(['11 950 000'])
    // Unchanged clauses are context or hidden, never marked.
    const marked = changed.map((b) => b.before).join('\n')
    for (const clause of ['1. Предмет договора', '2. Срок действия', '5. Споры']) expect(marked).not.toContain(clause)
    const visibleOrHidden = diff.blocks.flatMap((b) => (b.kind === 'same' || b.kind === 'collapsed' ? b.paragraphs : []))
    expect(visibleOrHidden.some((p) => p.startsWith('5. Споры'))).toBe(true)
    expect(visibleOrHidden.some((p) => p.includes(RESUBMITTED.number))).toBe(true)
  })

  it('an expired token is refreshed and the download goes through', async () => {
    const pair = await versionsAs(PEOPLE.cfo)
    portal.emu.ctx.auth.expireAll(PEOPLE.cfo)
    const paragraphs = await versionParagraphs(portal.port(PEOPLE.cfo), pair.after)
    expect(paragraphs.some((p) => plain(p).includes('11 950 000'))).toBe(true)
  })

  it('someone without rights to the contract is refused by the portal, even with the link', async () => {
    const pair = await versionsAs(PEOPLE.lawyer)
    const error = await portal.port(PEOPLE.noAccess).downloadFile(pair.after.urlMachine).then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).kind).toBe('access')
  })

  it('the token is never sent off the portal', async () => {
    const pair = await versionsAs(PEOPLE.lawyer)
    const foreign = pair.after.urlMachine.replace(portal.emu.origin, 'http://127.0.0.1:9')
    const error = await portal.port(PEOPLE.lawyer).downloadFile(foreign).then(() => null, (e: unknown) => e)
    expect((error as AppError).code).toBe('FOREIGN_FILE_URL')
  })

  it('a file over the cap is refused as too big before it is read whole', async () => {
    const pair = await versionsAs(PEOPLE.lawyer)
    const error = await portal.port(PEOPLE.lawyer).downloadFile(pair.after.urlMachine, { maxBytes: 100 }).then(() => null, (e: unknown) => e)
    expect((error as AppError).code).toBe('FILE_TOO_BIG')
  })
})
