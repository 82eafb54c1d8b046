import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { signToken, verifyToken } from '../../../services/domain/tokens.js'

const secret = 'unit-test-secret-unit-test-secret-123'
const now = new Date('2026-11-28T12:00:00Z')
const days = (n: number) => new Date(now.getTime() + n * 24 * 3600 * 1000)

describe('signed tokens', () => {
  it('round-trips its claims for the purpose it was made for', () => {
    const token = signToken(secret, { purpose: 'preferences', subscriberId: 42, version: 3 }, now)
    expect(verifyToken(secret, token, 'preferences', days(400))).toEqual({
      ok: true,
      claims: { purpose: 'preferences', subscriberId: 42, version: 3, expiresAt: null },
    })
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  })

  it('is bound to one purpose', () => {
    const token = signToken(secret, { purpose: 'confirm', subscriberId: 1, version: 1 }, now)
    for (const other of ['preferences', 'unsubscribe', 'digest'] as const) {
      expect(verifyToken(secret, token, other, now)).toEqual({ ok: false, reason: 'wrong-purpose' })
    }
  })

  it('expires confirmation links after 7 days, and only those', () => {
    const confirm = signToken(secret, { purpose: 'confirm', subscriberId: 1, version: 1 }, now)
    expect(verifyToken(secret, confirm, 'confirm', days(6.9)).ok).toBe(true)
    expect(verifyToken(secret, confirm, 'confirm', days(7))).toEqual({
      ok: false,
      reason: 'expired',
    })
    const unsubscribe = signToken(
      secret,
      { purpose: 'unsubscribe', subscriberId: 1, version: 1 },
      now,
    )
    expect(verifyToken(secret, unsubscribe, 'unsubscribe', days(3650)).ok).toBe(true)
  })

  it('refuses tokens signed with another key or changed in any way', () => {
    const token = signToken(secret, { purpose: 'unsubscribe', subscriberId: 7, version: 1 }, now)
    expect(verifyToken('some-other-secret-some-other-secret', token, 'unsubscribe', now)).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
    const [payload, mac] = token.split('.') as [string, string]
    const otherId = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('.7.', '.8.'),
    ).toString('base64url')
    expect(verifyToken(secret, `${otherId}.${mac}`, 'unsubscribe', now).ok).toBe(false)
  })

  it('accepts only the one canonical spelling of a token', () => {
    // 'preferences.1.1.0' is 17 bytes: its encoding ends in a character with 4 spare bits.
    const token = signToken(secret, { purpose: 'preferences', subscriberId: 1, version: 1 }, now)
    const [payload, signature] = token.split('.') as [string, string]
    expect(payload.length % 4).not.toBe(0)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(payload.at(-1) ?? '')
    // Same decoded bytes, different spare bits.
    const otherTrailingBits = `${payload.slice(0, -1)}${alphabet[last ^ 1]}`
    const spellings = [
      `${payload}=`,
      `${payload}==`,
      `${payload.slice(0, 4)}!${payload.slice(4)}`,
      `${payload.slice(0, 4)} ${payload.slice(4)}`,
      `${payload.slice(0, 4)}\n${payload.slice(4)}`,
      otherTrailingBits,
    ]
    for (const spelling of spellings) {
      expect(Buffer.from(spelling, 'base64url').toString()).toBe('preferences.1.1.0')
      expect(verifyToken(secret, `${spelling}.${signature}`, 'preferences', now)).toEqual({
        ok: false,
        reason: 'malformed',
      })
    }
    expect(verifyToken(secret, token, 'preferences', now).ok).toBe(true)
  })

  it('never throws and never accepts arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(verifyToken(secret, input, 'preferences', now).ok).toBe(false)
      }),
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (input) => {
        expect(verifyToken(secret, input, 'preferences', now).ok).toBe(false)
      }),
    )
  })
})
