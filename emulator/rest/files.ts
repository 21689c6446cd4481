/**
 * Files of file-type user fields: stored base64 in the data set, returned as
 * `{id, url, urlMachine}`, downloaded through `crm.controller.item.getFile` with auth checked.
 */
import type { ServerResponse } from 'node:http'
import type { Emu, Call } from '../core/context.ts'
import { RestError, invalidArg } from '../core/errors.ts'
import { nextId } from '../core/db.ts'
import type { Params } from '../core/params.ts'
import { authenticate, CORS_HEADERS, sendError, type RestTarget } from './http.ts'
import { canRead } from './rights.ts'

export interface FileOwner {
  entityTypeId: number
  itemId: number
  field: string
}

export function storeFile(ctx: Emu, name: string, base64: string, owner: FileOwner | null): number {
  if (typeof name !== 'string' || typeof base64 !== 'string') throw invalidArg('A file is passed as [name, base64 content]')
  // The portal decodes with PHP's non-strict base64_decode (CRestUtil::saveFile): characters
  // outside the alphabet are skipped; only content that decodes to nothing is refused.
  const clean = base64.replace(/[^A-Za-z0-9+/=]/g, '').replace(/=+$/, '')
  if (clean !== '' && Buffer.from(clean, 'base64').length === 0) throw invalidArg(`File ${name}: content is not base64`)
  const id = nextId(ctx.db, 'file', 30000)
  const size = Buffer.from(clean, 'base64').length
  ctx.db.files[String(id)] = { id, name, content: clean, size, ...(owner ? { owner } : {}) }
  return id
}

export function deleteFile(ctx: Emu, id: number): void {
  delete ctx.db.files[String(id)]
}

export function fileOwner(ctx: Emu, id: number): FileOwner | undefined {
  return ctx.db.files[String(id)]?.owner
}

/** The object Bitrix24 returns for a file value; urlMachine carries the caller's auth. */
export function fileRef(call: Call, id: number, owner: FileOwner): { id: number; url: string; urlMachine: string } {
  const q = `entityTypeId=${owner.entityTypeId}&id=${owner.itemId}&fieldName=${encodeURIComponent(owner.field)}&fileId=${id}`
  const url = `${call.ctx.origin}/bitrix/services/main/ajax.php?action=crm.controller.item.getFile&SITE_ID=s1&${q}`
  let urlMachine: string
  if (call.auth === 'webhook') urlMachine = `${call.ctx.origin}/rest/${call.user.ID}/${call.user.webhookSecret}/crm.controller.item.getFile.json?${q}`
  else urlMachine = `${call.ctx.origin}/rest/crm.controller.item.getFile.json?${q}&auth=${call.token ?? ''}`
  return { id, url, urlMachine }
}

export async function serveFile(ctx: Emu, res: ServerResponse, target: RestTarget, params: Params): Promise<void> {
  try {
    const who = authenticate(ctx, target, params)
    const id = Number(params.fileId)
    const file = ctx.db.files[String(id)]
    if (!file) throw new RestError('NOT_FOUND', 'File not found', 404)
    const owner = fileOwner(ctx, id)
    if (owner) {
      const item = ctx.db.crm.items[String(owner.entityTypeId)]?.[String(owner.itemId)]
      if (!item || !canRead(who.user, item, ctx.db)) throw new RestError('ACCESS_DENIED', 'Access denied', 403)
    }
    const buf = Buffer.from(file.content, 'base64')
    res.writeHead(200, {
      ...CORS_HEADERS,
      'Content-Type': 'application/octet-stream',
      'Content-Length': buf.length,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    })
    res.end(buf)
  } catch (e) {
    if (e instanceof RestError) sendError(res, e)
    else throw e
  }
}
