import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { PortalData } from './db.ts'

/** Loads the data file, or null when absent/unreadable (then the caller seeds). */
export function loadData(file: string): PortalData | null {
  if (!existsSync(file)) return null
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as PortalData
    return data.version === 1 ? data : null
  } catch {
    return null
  }
}

/** Writes atomically (temp file, fsync, rename) so a crash never leaves half a portal. */
export function writeData(file: string, data: PortalData): void {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, JSON.stringify(data))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
}

/**
 * Saver: `save()` marks the portal changed (and schedules a write as a safety net); `flush()`
 * writes now when something changed. The HTTP server flushes before every answer (server.ts), so
 * acknowledged writes are on disk; the seed flushes once at its end.
 */
export function createSaver(file: string | null, get: () => PortalData, delayMs = 1000): { save(): void; flush(): void } {
  let timer: NodeJS.Timeout | null = null
  const flush = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (file) writeData(file, get())
  }
  return {
    save() {
      if (!file || timer) return
      timer = setTimeout(flush, delayMs)
      timer.unref()
    },
    flush() {
      if (timer) flush()
    },
  }
}
