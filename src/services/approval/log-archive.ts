/**
 * Older rounds out of the log field. A string user field is a TEXT column on a real portal
 * (65,535 bytes, cut silently past that), so the stored text is kept under STORED_FIELD_BUDGET:
 * when a long history would not fit, whole earlier rounds move into a JSON file in the
 * contract's `logArchive` file field, written in the SAME crm.item.update as the log. The log
 * keeps a reference (`archive`: rounds, event count, head hash, SHA-256 of the file), so the
 * file is hash-linked both ways: its last event's hash is the inline chain's start, and its
 * digest is in the log. Loaded again, the two make the whole history; a file that does not
 * match is reported, never trusted.
 */
import { AppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import { headHash, type ApprovalEvent } from '../../domain/log.ts'
import { sha256Hex, utf8Bytes } from '../../domain/sha256.ts'
import { decodeStoredJson } from '../../domain/json.ts'

/** What a contract's log says of its archive file. */
export interface LogArchiveRef {
  /** Rounds 1…rounds live in the file. */
  readonly rounds: number
  readonly count: number
  /** Hash of the file's last event: the inline chain starts from it. */
  readonly head: string
  /** SHA-256 (hex) of the file's text. */
  readonly sha: string
}

export const ARCHIVE_FILE_KIND = 'approval-log-archive'

export function parseArchiveRef(raw: unknown): LogArchiveRef | null {
  const r = raw as LogArchiveRef
  if (!r || typeof r !== 'object') return null
  if (!Number.isInteger(r.rounds) || !Number.isInteger(r.count) || typeof r.head !== 'string' || typeof r.sha !== 'string') return null
  return { rounds: r.rounds, count: r.count, head: r.head, sha: r.sha }
}

/** The file's text for the events of rounds ≤ `rounds`, and the reference the log keeps. */
export function archiveFile(events: readonly ApprovalEvent[], rounds: number): { ref: LogArchiveRef; text: string } {
  const archived = events.filter((e) => e.round <= rounds)
  const text = JSON.stringify({ kind: ARCHIVE_FILE_KIND, v: 1, rounds, events: archived })
  return { ref: { rounds, count: archived.length, head: headHash(archived), sha: sha256Hex(text) }, text }
}

/** `[name, base64]`, as crm.item.update takes a new file. */
export function fileData(name: string, text: string): [string, string] {
  const bytes = utf8Bytes(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return [name, btoa(binary)]
}

export type ArchiveProblem = 'archiveMissing' | 'archiveMismatch'

/** The archived events, checked against the reference; a problem instead when they do not match. */
export function readArchiveText(text: string, ref: LogArchiveRef): { ok: true; events: ApprovalEvent[] } | { ok: false; problem: ArchiveProblem } {
  if (sha256Hex(text) !== ref.sha) return { ok: false, problem: 'archiveMismatch' }
  const decoded = decodeStoredJson(text)
  const data = decoded.ok ? (decoded.value as { kind?: unknown; events?: unknown }) : null
  if (!data || data.kind !== ARCHIVE_FILE_KIND || !Array.isArray(data.events)) return { ok: false, problem: 'archiveMismatch' }
  const events = data.events as ApprovalEvent[]
  if (events.length !== ref.count || headHash(events) !== ref.head) return { ok: false, problem: 'archiveMismatch' }
  return { ok: true, events }
}

// Archive files are content-addressed by their digest: one download per file per page life.
const cache = new Map<string, ApprovalEvent[]>()

/** The archived events of a contract, from its file field's `urlMachine`. */
export async function loadArchivedEvents(port: BitrixPort, urlMachine: string | null, ref: LogArchiveRef): Promise<{ ok: true; events: ApprovalEvent[] } | { ok: false; problem: ArchiveProblem }> {
  const hit = cache.get(ref.sha)
  if (hit) return { ok: true, events: hit }
  if (!urlMachine) return { ok: false, problem: 'archiveMissing' }
  let text: string
  try {
    text = new TextDecoder().decode(await port.downloadFile(urlMachine, { maxBytes: 8 * 1024 * 1024 }))
  } catch (error) {
    if (error instanceof AppError && error.kind === 'notFound') return { ok: false, problem: 'archiveMissing' }
    throw error
  }
  const read = readArchiveText(text, ref)
  if (read.ok) cache.set(ref.sha, read.events)
  return read
}
