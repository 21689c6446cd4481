import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

/**
 * Serves the built app (dist/) the way its production host must: Bitrix24 opens placement
 * handlers with POST, so POST to any path answers index.html; GET serves files, and unknown
 * paths fall back to index.html (the SPA dispatches on the placement, not on the URL).
 */

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

export interface StaticServer {
  origin: string
  port: number
  close(): Promise<void>
}

export interface StaticServerOptions {
  root: string
  port?: number
  host?: string
}

/** The file under root for a URL path, or null when the path would leave root. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const base = resolve(root)
  const file = resolve(base, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded))
  return file === base || file.startsWith(base + sep) ? file : null
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cache: string): Promise<void> {
  const body = await readFile(file)
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': cache,
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET'
  // Drain the POSTed auth form: the app reads its auth from the SDK, never from the request.
  req.resume()
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
    res.writeHead(405, { Allow: 'GET, HEAD, POST', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed')
    return
  }
  const index = resolve(root, 'index.html')
  const path = new URL(req.url ?? '/', 'http://static.invalid').pathname
  const file = resolveInside(root, path)
  if (file === null) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad path')
    return
  }
  if (method !== 'POST' && (await isFile(file))) {
    // Hashed assets may be cached for good; index.html must always be fresh.
    const immutable = file !== index && /[-.][A-Za-z0-9_-]{8,}\.\w+$/.test(file)
    await sendFile(req, res, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    return
  }
  // A missing asset is a real 404; anything else is a route or a placement POST → the SPA.
  if (method !== 'POST' && extname(path) !== '' && extname(path) !== '.html') {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found')
    return
  }
  if (!(await isFile(index))) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The app is not built: run `npx vite build`.')
    return
  }
  await sendFile(req, res, index, 'no-cache')
}

export async function startStaticServer(opts: StaticServerOptions): Promise<StaticServer> {
  const host = opts.host ?? '127.0.0.1'
  const server: Server = createServer((req, res) => {
    handle(opts.root, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(String(err))
    })
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, host, () => ok())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : Number(opts.port)
  return {
    origin: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections()
      server.close(() => ok())
    }),
  }
}
