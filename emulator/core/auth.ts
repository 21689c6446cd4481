import { randomBytes } from 'node:crypto'
import type { AuthService, IssuedAuth } from './types.ts'

interface TokenRecord {
  userId: number
  expiresAt: number
}

/**
 * Frame/OAuth tokens. Kept in memory only: after a restart the shell issues fresh ones, the
 * same way a real portal hands a reopened app new tokens.
 */
export function createAuthService(ttlSec: () => number): AuthService & { clear(): void } {
  const access = new Map<string, TokenRecord>()
  const refresh = new Map<string, number>()

  function issue(userId: number): IssuedAuth {
    const accessToken = randomBytes(16).toString('hex')
    const refreshToken = randomBytes(16).toString('hex')
    const expiresIn = ttlSec()
    access.set(accessToken, { userId, expiresAt: Date.now() + expiresIn * 1000 })
    refresh.set(refreshToken, userId)
    return { accessToken, refreshToken, expiresIn, userId }
  }

  return {
    issue,
    refresh(refreshToken) {
      const userId = refresh.get(refreshToken)
      if (userId === undefined) return null
      // One-shot, like Bitrix24's OAuth server: the old refresh token dies with the exchange.
      refresh.delete(refreshToken)
      return issue(userId)
    },
    resolve(accessToken) {
      const rec = access.get(accessToken)
      if (!rec) return null
      if (Date.now() >= rec.expiresAt) return 'expired'
      return { userId: rec.userId }
    },
    expireAll(userId) {
      for (const rec of access.values()) if (userId === undefined || rec.userId === userId) rec.expiresAt = 0
    },
    clear() {
      access.clear()
      refresh.clear()
    },
  }
}
