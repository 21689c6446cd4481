/**
 * Which two document versions a resubmission compares: the ones the previous and the current
 * round were submitted with (the log records each submission's document id), else the two
 * newest files of the field (ids grow with uploads).
 */
import type { Projection } from '../projection.ts'

/** A file field's value as crm.item.get returns it. */
export interface FileRef {
  readonly id: number
  readonly url: string
  readonly urlMachine: string
}

export interface VersionPair {
  readonly before: FileRef
  readonly after: FileRef
  /** Chosen from the submissions (true) or by recency (false). */
  readonly fromLog: boolean
}

export function fileRefs(value: unknown): FileRef[] {
  const list = Array.isArray(value) ? value : value ? [value] : []
  const out: FileRef[] = []
  for (const v of list) {
    if (typeof v !== 'object' || v === null) continue
    const r = v as Record<string, unknown>
    const id = Number(r.id)
    if (!Number.isInteger(id) || id <= 0 || typeof r.urlMachine !== 'string') continue
    out.push({ id, url: typeof r.url === 'string' ? r.url : '', urlMachine: r.urlMachine })
  }
  return out
}

/** null when there is nothing to compare (one version, or the same one resubmitted). */
export function pickVersions(p: Pick<Projection, 'submissions'>, files: readonly FileRef[]): VersionPair | null {
  const cur = p.submissions.at(-1)
  const prev = p.submissions.at(-2)
  const byId = (id: number | null | undefined) => (id == null ? undefined : files.find((f) => f.id === id))
  if (cur && prev && cur.documentId != null && prev.documentId != null) {
    if (cur.documentId === prev.documentId) return null
    const before = byId(prev.documentId)
    const after = byId(cur.documentId)
    if (before && after) return { before, after, fromLog: true }
  }
  const newest = [...files].sort((a, b) => b.id - a.id)
  const [after, before] = newest
  return after && before ? { before, after, fromLog: false } : null
}
