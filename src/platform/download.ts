/**
 * Downloading a file field's bytes with the user's token. Bitrix24's `urlMachine` carries the
 * token of whoever read the item, which may have expired since; the current one replaces it.
 * The token is only ever sent to the portal's own origin.
 */
import { AppError, errorKind } from './errors.ts'

export interface DownloadDeps {
  /** The portal origin, e.g. `https://example.bitrix24.ru`. */
  origin: string
  /** The current access token, or null when it has expired (then `refresh` is asked). */
  token(): string | null
  refresh(): Promise<string>
  maxBytes: number
  fetch?: typeof fetch
}

export const FILE_TOO_BIG = 'FILE_TOO_BIG'
export const FOREIGN_FILE_URL = 'FOREIGN_FILE_URL'

/** A webhook URL (`/rest/{user}/{secret}/…`) authenticates itself. */
function isWebhook(url: URL): boolean {
  return /^\/rest\/\d+\/[^/]+\/./.test(url.pathname)
}

function withToken(raw: string, origin: string, token: string): URL {
  let url: URL
  try {
    url = new URL(raw, origin)
  } catch (error) {
    throw new AppError('validation', FOREIGN_FILE_URL, 'The file URL is not a URL', error)
  }
  if (url.origin !== new URL(origin).origin) {
    throw new AppError('validation', FOREIGN_FILE_URL, `The file is not on the portal (${url.origin})`)
  }
  if (!isWebhook(url)) url.searchParams.set('auth', token)
  return url
}

async function readCapped(res: Response, maxBytes: number): Promise<ArrayBuffer> {
  const declared = Number(res.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel()
    throw new AppError('validation', FILE_TOO_BIG, `The file is ${declared} bytes`)
  }
  if (!res.body) return res.arrayBuffer()
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > maxBytes) {
      await reader.cancel()
      throw new AppError('validation', FILE_TOO_BIG, `The file exceeds ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.length
  }
  return out.buffer
}

/** Bitrix24 answers a failed download with its JSON error envelope. */
async function failure(res: Response): Promise<AppError> {
  let code = `HTTP_${res.status}`
  let message = res.statusText || code
  try {
    const body = (await res.json()) as { error?: unknown; error_description?: unknown }
    if (typeof body.error === 'string') code = body.error
    if (typeof body.error_description === 'string') message = body.error_description
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new AppError(errorKind(code, res.status), code, message)
}

export async function downloadWithAuth(rawUrl: string, deps: DownloadDeps): Promise<ArrayBuffer> {
  const get = deps.fetch ?? fetch
  let token = deps.token() ?? (await deps.refresh())
  for (let attempt = 0; ; attempt++) {
    const url = withToken(rawUrl, deps.origin, token)
    let res: Response
    try {
      res = await get(url.toString(), { credentials: 'omit' })
    } catch (error) {
      throw new AppError('network', 'DOWNLOAD_FAILED', error instanceof Error ? error.message : String(error), error)
    }
    if (res.ok) return readCapped(res, deps.maxBytes)
    const error = await failure(res)
    // A token that expired between reading the item and downloading: refresh once.
    if (error.kind === 'auth' && attempt === 0 && !isWebhook(url)) {
      token = await deps.refresh()
      continue
    }
    throw error
  }
}
