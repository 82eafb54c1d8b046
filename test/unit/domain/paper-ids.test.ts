import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isArxivId, normaliseId } from '../../../services/domain/papers/ids.js'

describe('normaliseId', () => {
  it.each([
    ['2509.16616', '2509.16616', null],
    ['2509.16616v2', '2509.16616', 2],
    ['arXiv:2509.16616', '2509.16616', null],
    ['ARXIV:2509.16616V3', '2509.16616', 3],
    ['https://arxiv.org/abs/2509.16616v3', '2509.16616', 3],
    ['https://arxiv.org/pdf/2509.16616v1.pdf', '2509.16616', 1],
    ['https://www.arxiv.org/abs/2509.16616/', '2509.16616', null],
    ['oai:arXiv.org:2604.21935v1', '2604.21935', 1],
    ['https://huggingface.co/papers/2606.13392', '2606.13392', null],
    ['10.48550/arXiv.2509.16616', '2509.16616', null],
    ['https://doi.org/10.48550/arXiv.2509.16616', '2509.16616', null],
    ['  2509.16616v2\n', '2509.16616', 2],
    ['0704.0001', '0704.0001', null],
    ['http://arxiv.org/abs/cond-mat/0412498v1', 'cond-mat/0412498', 1],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['HEP-TH/9901001v2', 'hep-th/9901001', 2],
    ['math.GT/0309136', 'math/0309136', null],
    ['arXiv:math.GT/0309136v1', 'math/0309136', 1],
  ])('%s -> %s', (raw, id, version) => {
    expect(normaliseId(raw)).toEqual({ ok: true, id, version, arxiv: true })
  })

  it('keeps safe non-arXiv ids as given', () => {
    expect(normaliseId('doi:10.1000/xyz123')).toEqual({
      ok: true,
      id: 'doi:10.1000/xyz123',
      version: null,
      arxiv: false,
    })
    expect(normaliseId('openreview:AbC_123')).toMatchObject({ ok: true, id: 'openreview:AbC_123' })
    // Looks like arXiv but is not one (month 13, wrong digit count): kept verbatim, not mangled.
    expect(normaliseId('2513.12345')).toMatchObject({ ok: true, id: '2513.12345', arxiv: false })
    expect(normaliseId('2509.1661v2')).toMatchObject({ ok: true, id: '2509.1661v2', arxiv: false })
  })

  it.each([
    ['', 'id is empty'],
    ['   ', 'id is empty'],
    ['has space', 'whitespace'],
    ['tab\there', 'whitespace'],
    ['nul\u0000id', 'control'],
    ['zero\u200bwidth', 'non-printable'],
    ['x'.repeat(201), 'limit is 200'],
  ])('rejects %j', (raw, reason) => {
    const result = normaliseId(raw)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })

  it('rejects version 0 of an arXiv id', () => {
    expect(normaliseId('2509.16616v0')).toMatchObject({ ok: false })
  })

  it('recognises canonical arXiv ids', () => {
    expect(isArxivId('2509.16616')).toBe(true)
    expect(isArxivId('cond-mat/0412498')).toBe(true)
    expect(isArxivId('doi:10.1000/x')).toBe(false)
  })
})

const pad = (n: number, width: number) => String(n).padStart(width, '0')
// Four-digit numbers until 2014 (YY ≤ 14), five-digit ones since.
const newStyle = fc
  .tuple(fc.integer({ min: 7, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.nat())
  .map(([yy, mm, n]) => {
    const width = yy <= 14 ? 4 : 5
    return `${pad(yy, 2)}${pad(mm, 2)}.${pad(n % 10 ** width, width)}`
  })
const oldStyle = fc
  .tuple(
    fc.constantFrom('hep-th', 'cond-mat', 'math', 'astro-ph', 'quant-ph', 'q-bio'),
    fc.integer({ min: 91, max: 107 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 999 }),
  )
  .map(([a, y, m, n]) => `${a}/${pad(y % 100, 2)}${pad(m, 2)}${pad(n, 3)}`)
const arxivId = fc.oneof(newStyle, oldStyle)
const wrap = fc.constantFrom(
  (id: string) => id,
  (id: string) => `arXiv:${id}`,
  (id: string) => `https://arxiv.org/abs/${id}`,
  (id: string) => `http://export.arxiv.org/pdf/${id}.pdf`,
  (id: string) => `oai:arXiv.org:${id}`,
)

describe('normaliseId properties', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        normaliseId(raw)
      }),
    )
  })

  it('is idempotent', () => {
    const anyId = fc.oneof(arxivId, fc.string({ unit: 'grapheme', maxLength: 250 }))
    fc.assert(
      fc.property(anyId, (raw) => {
        const once = normaliseId(raw)
        if (!once.ok) return
        expect(normaliseId(once.id)).toEqual({
          ok: true,
          id: once.id,
          version: null,
          arxiv: once.arxiv,
        })
      }),
    )
  })

  it('strips any version suffix to the same id and reports the version', () => {
    fc.assert(
      fc.property(arxivId, fc.integer({ min: 1, max: 9999 }), wrap, (id, version, w) => {
        const bare = normaliseId(w(id))
        const versioned = normaliseId(w(`${id}v${version}`))
        expect(bare.ok && versioned.ok).toBe(true)
        if (bare.ok && versioned.ok) {
          expect(versioned.id).toBe(bare.id)
          expect(versioned.version).toBe(version)
          expect(bare.arxiv).toBe(true)
        }
      }),
    )
  })
})
