import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Signed links carry no password, so each token is bound to one purpose: a confirm
 * link cannot unsubscribe, an unsubscribe link cannot open preferences.
 */
export type TokenPurpose = 'confirm' | 'preferences' | 'unsubscribe' | 'digest' | 'feed' | 'triage'

export interface TokenClaims {
  readonly purpose: TokenPurpose
  readonly subscriberId: number
  /** Must equal the subscriber's current token version; bumping it revokes older links. */
  readonly version: number
  /** Epoch seconds; null for links that stay valid until revoked (unsubscribe must keep working). */
  readonly expiresAt: number | null
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired' }

const PURPOSES: readonly TokenPurpose[] = [
  'confirm',
  'preferences',
  'unsubscribe',
  'digest',
  'feed',
  'triage',
]

/** How long each kind of link lives; a confirmation is a one-off, the rest are revoked by version. */
export const TOKEN_LIFETIME_SECONDS: Readonly<Record<TokenPurpose, number | null>> = {
  confirm: 7 * 24 * 3600,
  preferences: null,
  unsubscribe: null,
  digest: null,
  // Feed readers poll the same address for years: it lasts until revoked, like the others.
  feed: null,
  // "More like this" and the mutes under every paper of a digest: as long-lived as the digest.
  triage: null,
}

export function signToken(
  secret: string,
  claims: Omit<TokenClaims, 'expiresAt'>,
  now: Date,
): string {
  const lifetime = TOKEN_LIFETIME_SECONDS[claims.purpose]
  const expiresAt = lifetime === null ? 0 : Math.floor(now.getTime() / 1000) + lifetime
  const payload = [
    claims.purpose,
    claims.subscriberId.toString(36),
    claims.version.toString(36),
    expiresAt.toString(36),
  ].join('.')
  return `${Buffer.from(payload).toString('base64url')}.${mac(secret, payload)}`
}

export function verifyToken(
  secret: string,
  token: unknown,
  expected: TokenPurpose,
  now: Date,
): TokenCheck {
  if (typeof token !== 'string' || token.length > 256) return { ok: false, reason: 'malformed' }
  const [encoded, signature, extra] = token.split('.')
  if (!encoded || !signature || extra !== undefined) return { ok: false, reason: 'malformed' }
  const payload = decodeCanonical(encoded)
  if (payload === undefined) return { ok: false, reason: 'malformed' }
  const expectedMac = Buffer.from(mac(secret, payload))
  const givenMac = Buffer.from(signature)
  if (givenMac.length !== expectedMac.length || !timingSafeEqual(givenMac, expectedMac)) {
    return { ok: false, reason: 'bad-signature' }
  }
  const [purpose, id, version, expiry] = payload.split('.')
  const claims = {
    purpose: PURPOSES.find((p) => p === purpose),
    subscriberId: Number.parseInt(id ?? '', 36),
    version: Number.parseInt(version ?? '', 36),
    expiresAt: Number.parseInt(expiry ?? '', 36),
  }
  if (
    !claims.purpose ||
    !Number.isSafeInteger(claims.subscriberId) ||
    !Number.isSafeInteger(claims.version) ||
    !Number.isSafeInteger(claims.expiresAt)
  ) {
    return { ok: false, reason: 'malformed' }
  }
  if (claims.purpose !== expected) return { ok: false, reason: 'wrong-purpose' }
  if (claims.expiresAt !== 0 && claims.expiresAt * 1000 <= now.getTime()) {
    return { ok: false, reason: 'expired' }
  }
  return {
    ok: true,
    claims: { ...claims, purpose: claims.purpose, expiresAt: claims.expiresAt || null },
  }
}

/**
 * Node's decoder skips characters outside the alphabet, accepts padding and ignores spare
 * trailing bits, so many strings decode to one payload. Only the string signToken would have
 * produced is accepted: a token has exactly one spelling.
 */
function decodeCanonical(encoded: string): string | undefined {
  const bytes = Buffer.from(encoded, 'base64url')
  return bytes.toString('base64url') === encoded ? bytes.toString('utf8') : undefined
}

function mac(secret: string, payload: string): string {
  // Truncated to 128 bits: ample against forgery, and it keeps links short enough for mail clients.
  return createHmac('sha256', secret).update(payload).digest().subarray(0, 16).toString('base64url')
}
