/**
 * Starts the app inside Bitrix24. initializeB24Frame() rejects at once when window.name lacks
 * DOMAIN|PROTOCOL|APP_SID, but when the page is framed by something that never answers
 * getInitData it waits forever (the SDK has no timeout): race it, so a stray tab shows
 * "open this from Bitrix24" instead of a spinner.
 */
import { initializeB24Frame } from '@bitrix24/b24jssdk'
import { AppError, FRAME_INIT_FAILED, FRAME_INIT_TIMEOUT, toAppError } from './errors.ts'
import type { BitrixPort } from './port.ts'
import { createSdkPort } from './sdk-port.ts'

export const FRAME_INIT_TIMEOUT_MS = 1500

export async function connectFrame(timeoutMs: number = FRAME_INIT_TIMEOUT_MS): Promise<BitrixPort> {
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
