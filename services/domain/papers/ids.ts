/**
 * Stable paper ids. The same arXiv paper arrives as `2509.16616v2`, `arXiv:2509.16616`,
 * `oai:arXiv.org:2509.16616v1` or an abs/pdf URL depending on the source; all must map to one
 * key, or a paper would be stored (and delivered) twice.
 */

export type IdResult =
  | { ok: true; id: string; version: number | null; arxiv: boolean }
  | { ok: false; reason: string }

export const MAX_ID_LENGTH = 200
const MAX_VERSION = 9999

// YYMM.NNNN (2007–2014) or YYMM.NNNNN (2015 on), optional vN.
const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/i
// archive(.SC)/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136 (1991–2007).
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*)(?:\.[a-z]{2})?\/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$/i

const PREFIXES: RegExp[] = [
  /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/([^?#]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i,
  /^https?:\/\/(?:www\.)?huggingface\.co\/papers\/([^?#/]+)\/?(?:[?#].*)?$/i,
  /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)?10\.48550\/arxiv\.(.+)$/i,
  /^oai:arxiv\.org:(.+)$/i,
  /^arxiv:(.+)$/i,
]

// Letters, marks, digits, punctuation, symbols: no spaces, controls, format chars or lone surrogates.
const SAFE_ID = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]+$/u

function parseVersion(digits: string | undefined): number | null | 'bad' {
  if (digits === undefined) return null
  const v = Number(digits)
  return v >= 1 && v <= MAX_VERSION ? v : 'bad'
}

function matchArxiv(candidate: string): IdResult | null {
  const n = NEW_STYLE.exec(candidate)
  if (n) {
    const [, yy = '', mm = '', num = '', ver] = n
    const month = Number(mm)
    // Four-digit numbers were used until 2014, five-digit ones since 2015.
    const digitsOk = Number(yy) <= 14 ? num.length === 4 : num.length === 5
    if (month < 1 || month > 12 || !digitsOk) return null
    const version = parseVersion(ver)
    if (version === 'bad') return { ok: false, reason: `bad arXiv version in "${candidate}"` }
    return { ok: true, id: `${yy}${mm}.${num}`, version, arxiv: true }
  }
  const o = OLD_STYLE.exec(candidate)
  if (o) {
    const [, archive = '', yy = '', mm = '', num = '', ver] = o
    const month = Number(mm)
    if (month < 1 || month > 12) return null
    const version = parseVersion(ver)
    if (version === 'bad') return { ok: false, reason: `bad arXiv version in "${candidate}"` }
    // The subject class (`.GT`) is not part of the identifier: arXiv serves math.GT/0309136
    // as math/0309136, so dropping it keeps one key per paper.
    return { ok: true, id: `${archive.toLowerCase()}/${yy}${mm}${num}`, version, arxiv: true }
  }
  return null
}

/** Normalises any id a source gives; never throws. */
export function normaliseId(raw: string): IdResult {
  const trimmed = raw.trim()
  if (trimmed === '') return { ok: false, reason: 'id is empty' }
  if (trimmed.length <= 2 * MAX_ID_LENGTH) {
    const direct = matchArxiv(trimmed)
    if (direct) return direct
    for (const prefix of PREFIXES) {
      const inner = prefix.exec(trimmed)?.[1]
      if (inner === undefined) continue
      const found = matchArxiv(inner)
      if (found) return found
    }
  }
  if (trimmed.length > MAX_ID_LENGTH) {
    return { ok: false, reason: `id is ${trimmed.length} characters, limit is ${MAX_ID_LENGTH}` }
  }
  if (!SAFE_ID.test(trimmed)) {
    return { ok: false, reason: 'id contains whitespace, control or non-printable characters' }
  }
  return { ok: true, id: trimmed, version: null, arxiv: false }
}

/** True when `id` (already normalised) is an arXiv identifier. */
export function isArxivId(id: string): boolean {
  return matchArxiv(id)?.ok === true
}

/** The canonical abs page of an arXiv paper (always the latest version). */
export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`
}
