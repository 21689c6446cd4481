/** What a failed receipt tells the user: the domain's refusal, missing CRM rights, or the error kind. */
import type { ReceiveOutcome } from '../../stores/archive.ts'

type Translate = (key: string, named?: Record<string, unknown>) => string

const KNOWN = ['wrongStage', 'alreadyReceived', 'originalsRequired', 'notArchivist', 'dateBeforeApproval', 'dateFuture'] as const

export function outcomeText(res: Extract<ReceiveOutcome, { ok: false }>, t: Translate): string | null {
  if (res.refusal) {
    const known = (KNOWN as readonly string[]).includes(res.refusal)
    return `${t('archive.result.refused')}. ${known ? t(`archive.refusal.${res.refusal}`) : t('archive.refusal.other', { code: res.refusal })}`
  }
  if (res.error) {
    const why = res.error.kind === 'access' || res.error.kind === 'notFound' ? t('archive.result.noRights') : t('archive.result.retry')
    return `${t('archive.result.failed')}. ${why}`
  }
  return null
}
