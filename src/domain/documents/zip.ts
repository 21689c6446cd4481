/**
 * Reads one entry of a zip (a .docx is one) with the platform's DecompressionStream — present
 * in Chromium and Node 20 — so no unzip library ships in the bundle. Only what a .docx needs:
 * stored and deflated entries, no ZIP64, no encryption.
 */
import { DocumentError, MAX_XML_BYTES } from './errors.ts'

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
/** Word's password protection wraps the file in an OLE compound document: D0 CF 11 E0. */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]

interface Entry {
  name: string
  flags: number
  method: number
  compressedSize: number
  size: number
  localOffset: number
}

function findEnd(view: DataView): number {
  // The end record is 22 bytes plus a comment of at most 65535.
  const stop = Math.max(0, view.byteLength - 22 - 0xffff)
  for (let i = view.byteLength - 22; i >= stop; i--) {
    if (view.getUint32(i, true) === EOCD) return i
  }
  return -1
}

function entries(bytes: Uint8Array): Entry[] {
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) throw new DocumentError('encrypted', 'The file is an OLE container (password-protected Office document)')
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new DocumentError('notDocx', 'Not a zip archive')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const end = findEnd(view)
  if (end < 0) throw new DocumentError('corrupt', 'No end of central directory')
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  if (count === 0xffff || at === 0xffffffff) throw new DocumentError('corrupt', 'ZIP64 archives are not supported')
  const names = new TextDecoder('utf-8')
  const out: Entry[] = []
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw new DocumentError('corrupt', 'Damaged central directory')
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    out.push({
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return out
}

/** Inflates raw deflate data, refusing to produce more than `limit` bytes. */
async function inflate(data: Uint8Array, limit: number): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(data)
      controller.close()
    },
  })
  const reader = source.pipeThrough(new DecompressionStream('deflate-raw') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
      if (total > limit) {
        await reader.cancel()
        throw new DocumentError('tooBig', `Inflated entry exceeds ${limit} bytes`)
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof DocumentError) throw error
    throw new DocumentError('corrupt', `Cannot inflate: ${error instanceof Error ? error.message : String(error)}`)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.length
  }
  return out
}

/** The names of the archive's entries (the central directory's order). */
export function zipEntryNames(bytes: Uint8Array): string[] {
  return entries(bytes).map((e) => e.name)
}

/** One entry's bytes, or null when the archive has no such entry. */
export async function readZipEntry(bytes: Uint8Array, name: string, limit = MAX_XML_BYTES): Promise<Uint8Array | null> {
  const entry = entries(bytes).find((e) => e.name === name)
  if (!entry) return null
  if (entry.flags & 1) throw new DocumentError('encrypted', `${name} is encrypted`)
  if (entry.size > limit) throw new DocumentError('tooBig', `${name} is ${entry.size} bytes`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = entry.localOffset
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw new DocumentError('corrupt', `Damaged local header of ${name}`)
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true)
  const end = start + entry.compressedSize
  if (end > bytes.length) throw new DocumentError('corrupt', `${name} is truncated`)
  const data = bytes.subarray(start, end)
  if (entry.method === 0) return data
  if (entry.method === 8) return inflate(data, limit)
  throw new DocumentError('corrupt', `${name}: compression method ${entry.method} is not supported`)
}
