import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext } from '../core/types.ts'

/**
 * Serves the portal shell (every path that is not /rest/ or /_emulator/). Answers true when it
 * handled the request. Placeholder until the shell lands.
 */
export async function handleShell(_req: IncomingMessage, res: ServerResponse, _ctx: EmulatorContext): Promise<boolean> {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end('Bitrix24 portal emulator: shell not built yet')
  return true
}
