/**
 * `/sub/` — the queue server's long-polling endpoint, as the SDK's PullClient uses it
 * (LongPollingConnector): `GET /sub/?CHANNEL_ID=a/b&mid=…&tag=…&time=…&revision=…`.
 *
 * - 200 with the messages framed `#!NGINXNMS!#{json}#!NGINXNME!#`, each
 *   `{id, mid, channel, tag, time, text: {module_id, command, params, extra}}`; the client then
 *   polls again with the last `mid` and gets anything published meanwhile.
 * - Nothing within the hold time: 304 with `Expires: Thu, 01 Jan 1973 11:11:01 GMT` and
 *   `Last-Message-Id` (the SDK reads both: `Access-Control-Expose-Headers`).
 * - An unknown or expired channel id: 400; the server switched off: 503 (faults).
 * Not a REST call: no auth token, no rate limit, not counted in the REST stats.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext } from '../core/types.ts'
import { pullHub, type PullMessage } from './hub.ts'

const HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Last-Message-Id, Expires',
  'Cache-Control': 'no-cache, no-store',
}

function frame(m: PullMessage, channel: string): string {
  const json = JSON.stringify({ id: m.seq, mid: String(m.seq), channel, tag: String(m.seq), time: new Date(m.at).toUTCString(), text: m.body })
  return `#!NGINXNMS!#${json}#!NGINXNME!#`
}

export function handlePullSub(req: IncomingMessage, res: ServerResponse, ctx: Pick<EmulatorContext, 'origin'>): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...HEADERS, 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type' })
    res.end()
    return Promise.resolve()
  }
  const url = new URL(req.url ?? '/', 'http://localhost')
  const ids = (url.searchParams.get('CHANNEL_ID') ?? '').split('/').filter(Boolean)
  const midText = url.searchParams.get('mid')
  const mid = midText !== null && /^\d+$/.test(midText) ? Number(midText) : null
  const hub = pullHub(ctx)
  return new Promise<void>((resolve) => {
    let finished = false
    const cancel = hub.wait(ids, mid, (o) => {
      if (finished) return
      finished = true
      if (res.destroyed || res.writableEnded) return resolve()
      if (o.kind === 'messages') {
        const channels = new Set(ids)
        const text = o.messages.map((m) => frame(m, [...m.channels].find((c) => channels.has(c)) ?? '')).join('')
        res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
        res.end(text)
      } else if (o.kind === 'timeout') {
        res.writeHead(304, { ...HEADERS, Expires: 'Thu, 01 Jan 1973 11:11:01 GMT', 'Last-Message-Id': String(o.lastSeq) })
        res.end()
      } else {
        const status = o.kind === 'down' ? 503 : 400
        const text = o.kind === 'down' ? 'Service unavailable' : 'Wrong channel'
        res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
        res.end(text)
      }
      resolve()
    })
    res.on('close', () => {
      if (!finished) {
        finished = true
        cancel()
        resolve()
      }
    })
  })
}
