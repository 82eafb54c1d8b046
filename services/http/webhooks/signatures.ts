import {
  createHash,
  createHmac,
  createPublicKey,
  type KeyObject,
  timingSafeEqual,
  verify,
} from 'node:crypto'
import { snsDigestOf, snsStringToSign } from '../../domain/feedback/sns-signature.js'

/** How far a signed timestamp may be from our clock, either way. */
export const SIGNATURE_MAX_AGE_SECONDS = 300

const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest()

/** Constant-time, whatever the lengths: both sides are hashed first. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected))
}

/** The password of `Authorization: Basic …` (any user name), or undefined. */
export function basicPassword(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : decoded.slice(colon + 1)
}

/** Why a signed timestamp (seconds since 1970) is refused, or undefined when it is fresh. */
export function staleTimestamp(timestamp: string, now: Date): string | undefined {
  if (!/^\d{1,12}$/.test(timestamp))
    return `timestamp ${JSON.stringify(timestamp.slice(0, 20))} is not a number of seconds`
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp))
  return skew > SIGNATURE_MAX_AGE_SECONDS
    ? `stale timestamp: ${Math.round(skew)} s from the server's clock (at most ${SIGNATURE_MAX_AGE_SECONDS} s)`
    : undefined
}

/** Mailgun: hex HMAC-SHA256 of timestamp followed by token, keyed with the webhook signing key. */
export function mailgunSignatureValid(
  signingKey: string,
  signed: { timestamp: string; token: string; signature: string },
): boolean {
  const expected = createHmac('sha256', signingKey)
    .update(signed.timestamp + signed.token)
    .digest()
  const given = Buffer.from(signed.signature, 'hex')
  // A hex string of the wrong length decodes to a buffer of the wrong length: refused, no compare.
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * SendGrid shows its verification key as base64 DER (SubjectPublicKeyInfo); a PEM block is
 * taken too. Throws unless it is an EC key on P-256.
 */
export function readSendgridPublicKey(value: string): KeyObject {
  const trimmed = value.trim()
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' })
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new Error('not an ECDSA P-256 public key')
  return key
}

/** SendGrid: an ECDSA P-256 / SHA-256 signature (base64 DER) over the timestamp then the raw body. */
export function sendgridSignatureValid(
  publicKey: KeyObject,
  timestamp: string,
  body: Buffer,
  signature: string,
): boolean {
  try {
    return verify(
      'sha256',
      Buffer.concat([Buffer.from(timestamp, 'utf8'), body]),
      publicKey,
      Buffer.from(signature, 'base64'),
    )
  } catch {
    // A signature that is not DER at all.
    return false
  }
}

/** The SNS signing certificate (or its public key), PEM; `\n` may stand for line breaks. */
export function readSnsCertificate(value: string): KeyObject {
  const key = createPublicKey(value.replace(/\\n/g, '\n'))
  if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA certificate or key')
  return key
}

/** Whether an SNS message's `Signature` verifies with the configured certificate. */
export function snsSignatureValid(key: KeyObject, envelope: Record<string, unknown>): boolean {
  const digest = snsDigestOf(envelope)
  if (!digest || typeof envelope.Signature !== 'string') return false
  try {
    return verify(
      digest,
      Buffer.from(snsStringToSign(envelope), 'utf8'),
      key,
      Buffer.from(envelope.Signature, 'base64'),
    )
  } catch {
    return false
  }
}
