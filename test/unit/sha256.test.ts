// The hash chain's tamper detection is only as good as this hash: check it against the FIPS 180-4
// / NIST vectors and against Node's OpenSSL on inputs that cross the padding boundaries.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/domain/sha256.ts'

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('matches the NIST vector for %j', (input, expected) => {
    expect(sha256Hex(input)).toBe(expected)
  })

  it('hashes one million "a" (multi-block)', () => {
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0')
  })

  it('agrees with OpenSSL around every padding boundary and on non-ASCII text', () => {
    for (let len = 0; len < 200; len++) {
      const s = 'Договор №' + 'я'.repeat(len) + 'x'.repeat(len % 7)
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'))
    }
  })

  it('accepts raw bytes', () => {
    const bytes = new Uint8Array([0, 1, 2, 255])
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'))
  })
})
