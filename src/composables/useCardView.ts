/**
 * What the card tab and the phone's decision view both derive from the contract card's store:
 * the author's name, the stage to show, what this person has not seen yet (and its title), the
 * return notes, and whom the current step's delegates replace. One place, so both say the same.
 */
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useContractCardStore } from '../stores/contractCard.ts'
import { changesSinceReviewed } from '../domain/projection.ts'
import { seatKey } from '../domain/delegation.ts'

export function useCardView() {
  const card = useContractCardStore()
  const { t } = useI18n()
  const record = computed(() => card.record)
  const p = computed(() => card.projection)
  const authorName = computed(() => {
    const id = card.authorId
    return p.value.author?.name ?? (id ? card.users.get(id)?.fullName ?? null : null)
  })
  /** Before the first submission the portal's stage (a draft may be moved in the card); then the log's. */
  const stageCode = computed(() => (p.value.round === 0 && record.value?.stageCode ? record.value.stageCode : p.value.stageCode))
  /** What this person has not seen yet: the changes since the version they last decided on. */
  const since = computed(() => (p.value.stageCode === 'APPROVAL' ? changesSinceReviewed(p.value, card.me?.id ?? null) : { changes: [], round: null }))
  const changesTitle = computed(() => (since.value.round !== null && since.value.round < p.value.round
    ? t('approval.changes.sinceRound', { round: since.value.round })
    : since.value.round === p.value.round ? t('approval.changes.sinceSeen') : undefined))
  /** The author sees this round's returns; on a resubmission everyone sees what was asked last round. */
  const notes = computed(() => {
    const comments = p.value.returnComments
    if (comments.length === 0) return null
    if (p.value.stageCode === 'RETURNED') return { comments, forAuthor: card.me?.id === card.authorId }
    if (p.value.stageCode === 'APPROVAL' && (comments[0]?.round ?? 0) < p.value.round) return { comments, forAuthor: false }
    return null
  })
  /** The current step's delegates → whom they replace, for "instead of …". */
  const insteadOf = computed(() => {
    const step = p.value.currentStep
    const out = new Map<number, string>()
    if (step === null) return out
    for (const id of p.value.currentApprovers) {
      const from = card.delegations.get(seatKey(step, id))
      if (from) out.set(id, from.name)
    }
    return out
  })
  return { record, p, authorName, stageCode, since, changesTitle, notes, insteadOf }
}
