import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cleanField, cleanText } from '../../../services/sources/clean-text.js'
import { decodeEntities } from '../../../services/sources/entities.js'

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(
      decodeEntities('P&amp;L &lt;1 &#233;t&#xE9; &eacute; &Ccaron; &alpha;&Omega; &mdash;'),
    ).toBe('P&L <1 été é Č αΩ —')
  })

  it('decodes once: an escaped reference stays a reference', () => {
    expect(decodeEntities('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;')
  })

  it('leaves unknown or unterminated references alone', () => {
    expect(decodeEntities('&lol2; & &amp &notanentity;')).toBe('&lol2; & &amp &notanentity;')
  })

  it('maps impossible code points to U+FFFD', () => {
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd')
  })
})

describe('cleanText', () => {
  it.each([
    ['hard-wrapped\n  arXiv lines\nare joined', 'hard-wrapped arXiv lines are joined'],
    ['  padded \t text  ', 'padded text'],
    ['<p>Para one.</p><p>Para two<br/>line</p>', 'Para one. Para two line'],
    ['H<sub>2</sub>O and <i>in vivo</i>', 'H2O and in vivo'],
    ['<a href="https://x.org/?a=1&amp;b=2" target=_blank>link</a>', 'link'],
    ['&lt;p&gt;escaped html&lt;/p&gt;', 'escaped html'],
    ['x<script type="text/javascript">alert(1)</script>y', 'x y'],
    ['a <!-- note --> b', 'a b'],
    ['first line\\\\\nsecond\\newline third \\par fourth', 'first line second third fourth'],
    ['ctrl\u0001chars\u007f and \u0085C1', 'ctrlchars and C1'],
    ['bidi \u202eevil\u202c text', 'bidi evil text'],
    ['zero\u200bwidth\ufeff', 'zerowidth'],
    ['lone \ud800surrogate', 'lone surrogate'],
    ['cafe\u0301', 'café'],
    ['nbsp&nbsp;here', 'nbsp here'],
  ])('%j -> %j', (raw, clean) => {
    expect(cleanText(raw)).toBe(clean)
  })

  it('keeps text that only looks like markup', () => {
    // From the HF fixture (2606.13106): these are model tokens, not HTML.
    expect(cleanText('The model emits <swi> to enter latent mode and </swi> to exit.')).toBe(
      'The model emits <swi> to enter latent mode and </swi> to exit.',
    )
    expect(cleanText('for all a<b and c>d')).toBe('for all a<b and c>d')
    expect(cleanText('requiring (&lt;1 minute per tool)')).toBe('requiring (<1 minute per tool)')
    expect(cleanText('$O(n^2)$ with $\\alpha \\in [0,1]$')).toBe(
      '$O(n^2)$ with $\\alpha \\in [0,1]$',
    )
  })

  it('drops comments and script/style content, leaving an unclosed comment as text', () => {
    expect(cleanText('a<script>x</script>b<!-- c -->d<STYLE>e</Style >f<!-- open')).toBe(
      'a b d f<!-- open',
    )
  })

  it('stays linear on hostile markup', () => {
    const started = performance.now()
    for (const hostile of [
      '<script>'.repeat(20_000),
      '<!--'.repeat(40_000),
      '<a href="'.repeat(20_000),
      `${'<b '.repeat(30_000)}${'x=1 '.repeat(30_000)}`,
    ]) {
      cleanText(hostile)
    }
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('never throws and leaves no controls, double spaces or edge spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const text = cleanText(raw)
        expect(text).not.toMatch(/\p{Cc}|\p{Cs}/u)
        expect(text).not.toMatch(/\s{2}/)
        expect(text).toBe(text.trim())
      }),
    )
  })
})

describe('cleanField', () => {
  it('accepts text up to the limit', () => {
    expect(cleanField('x'.repeat(1000), 'title', 1000)).toEqual({
      ok: true,
      text: 'x'.repeat(1000),
    })
  })

  it('counts characters, not UTF-16 units', () => {
    expect(cleanField('𝔸'.repeat(1000), 'title', 1000).ok).toBe(true)
  })

  it('rejects, never truncates, text over the limit, naming the field', () => {
    expect(cleanField('x'.repeat(1001), 'title', 1000)).toEqual({
      ok: false,
      reason: 'title is 1001 characters, limit is 1000',
    })
  })

  it('measures the cleaned text, so markup does not count', () => {
    expect(cleanField(`<p>${'x'.repeat(1000)}</p>`, 'title', 1000).ok).toBe(true)
  })

  it('rejects a 1 MB abstract without cleaning it', () => {
    const result = cleanField('word '.repeat(210_000), 'abstract', 20_000)
    expect(result).toEqual({ ok: false, reason: 'abstract is 1050000 characters, limit is 20000' })
  })

  it('rejects binary garbage but repairs a stray control character', () => {
    const garbage = Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 65, 66, 0, 7]).toString('utf8')
    const result = cleanField(garbage, 'title', 1000)
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.reason).toMatch(/^title looks like binary data \(\d+ of \d+ characters/)
    expect(cleanField('A fine\u0007 title', 'title', 1000)).toEqual({
      ok: true,
      text: 'A fine title',
    })
  })
})
