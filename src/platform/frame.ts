/**
 * Starts the app inside Bitrix24. A page that is not framed at all, or whose window.name lacks
 * DOMAIN|PROTOCOL|APP_SID, is outside Bitrix24 at once. A framed page waits for the portal's
 * answer to getInitData — the SDK waits forever, so the app races it: long enough for a slow
 * phone on a mobile network (5 s), never a spinner for good.
 */
import { initializeB24Frame } from '@bitrix24/b24jssdk'
import { AppError, FRAME_INIT_FAILED, FRAME_INIT_TIMEOUT, toAppError } from './errors.ts'
import type { BitrixPort } from './port.ts'
import { createSdkPort } from './sdk-port.ts'

export const FRAME_INIT_TIMEOUT_MS = 5000

export async function connectFrame(timeoutMs: number = FRAME_INIT_TIMEOUT_MS): Promise<BitrixPort> {
  // (An empty window.name is left to the SDK, which rejects it at once with its own code.)
  if (typeof window !== 'undefined' && window.name && (!window.parent || window.parent === window)) {
    throw new AppError('outsideBitrix', FRAME_INIT_FAILED, 'The page is not inside a Bitrix24 frame')
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('outsideBitrix', FRAME_INIT_TIMEOUT, `Bitrix24 did not answer getInitData within ${timeoutMs} ms`))
    }, timeoutMs)
  })
  try {
    const frame = await Promise.race([initializeB24Frame(), timeout])
    return createSdkPort({ client: frame, frame })
  } catch (error) {
    const appError = toAppError(error)
    // init() only talks to the parent window: whatever breaks it means no working Bitrix24 frame.
    if (appError.kind !== 'unknown') throw appError
    throw new AppError('outsideBitrix', FRAME_INIT_FAILED, appError.message, error)
  } finally {
    clearTimeout(timer)
  }
}
