/**
 * Absences and standing deputies over the port (domain/deputies.ts). Stored in one app option,
 * readable by every user, so the client that opens someone's turn can see they are away; the
 * portal lets only administrators write app options, so a person who is not one is told so.
 */
import type { BitrixPort } from '../../platform/port.ts'
import { DEPUTIES_OPTION, parseAbsences, serializeAbsences, withAbsence, type Absence } from '../../domain/deputies.ts'

/** The absences as stored right now (not the frame's copy from its start). */
export async function readAbsences(port: BitrixPort): Promise<Absence[]> {
  return parseAbsences(await port.call<unknown>('app.option.get', { option: DEPUTIES_OPTION }))
}

/** Sets (or, with `null`, clears) `personId`'s absence; returns the list as stored. */
export async function saveAbsence(port: BitrixPort, personId: number, next: Absence | null, today: string): Promise<Absence[]> {
  const list = withAbsence(await readAbsences(port), personId, next, today)
  await port.setAppOption(DEPUTIES_OPTION, serializeAbsences(list))
  return list
}
