import { domainToASCII } from 'node:url'

export type AddressCheck = { ok: true; address: string } | { ok: false; reason: string }

// RFC 5322 dot-atom: the local parts real mailbox providers hand out. Quoted local parts are refused.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const DOT_ATOM = new RegExp(`^${ATOM}(\\.${ATOM})*$`)
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this rejects
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * Validates and normalises an address for storage: trimmed, domain lower-cased and in
 * ASCII (IDNA), local part kept as typed. Header injection (CR/LF) is refused outright.
 */
export function normalizeEmailAddress(input: string): AddressCheck {
  const trimmed = input.trim()
  if (trimmed === '') return { ok: false, reason: 'is required' }
  if (CONTROL.test(trimmed))
    return { ok: false, reason: 'must not contain line breaks or control characters' }
  const at = trimmed.lastIndexOf('@')
  if (at <= 0 || at === trimmed.length - 1)
    return { ok: false, reason: 'must look like name@example.org' }
  const local = trimmed.slice(0, at)
  const domain = trimmed.slice(at + 1)
  if (local.length > 64)
    return { ok: false, reason: 'the part before @ must be at most 64 characters' }
  if (!/^[\x21-\x7e]+$/.test(local)) {
    return {
      ok: false,
      reason: 'the part before @ must use ASCII letters, digits and punctuation only',
    }
  }
  if (!DOT_ATOM.test(local)) return { ok: false, reason: 'the part before @ is not valid' }
  const asciiDomain = domainToASCII(domain.toLowerCase())
  if (!asciiDomain) return { ok: false, reason: 'the domain is not valid' }
  const labels = asciiDomain.split('.')
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return { ok: false, reason: 'the domain is not valid' }
  }
  if (!/^([a-z]{2,63}|xn--[a-z0-9-]+)$/.test(labels[labels.length - 1] ?? '')) {
    return { ok: false, reason: 'the domain must end in a real top-level domain' }
  }
  const address = `${local}@${asciiDomain}`
  if (address.length > 254) return { ok: false, reason: 'must be at most 254 characters' }
  return { ok: true, address }
}
