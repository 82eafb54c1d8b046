/**
 * HTML/XML character references, decoded exactly once at ingest. The XML parser is told not to
 * expand entities (so DOCTYPE tricks cannot blow up), which leaves that job to this file.
 * The table holds the references that occur in paper metadata, not the full HTML5 list;
 * an unknown reference is left as it is.
 */

const SYMBOLS: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  bull: '•',
  middot: '·',
  prime: '′',
  Prime: '″',
  dagger: '†',
  Dagger: '‡',
  permil: '‰',
  thinsp: '\u2009',
  ensp: '\u2002',
  emsp: '\u2003',
  shy: '\u00ad',
  zwj: '\u200d',
  zwnj: '\u200c',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  micro: 'µ',
  para: '¶',
  sect: '§',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  curren: '¤',
  iexcl: '¡',
  iquest: '¿',
  ordf: 'ª',
  ordm: 'º',
  sup1: '¹',
  sup2: '²',
  sup3: '³',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  not: '¬',
  macr: '¯',
  acute: '´',
  cedil: '¸',
  uml: '¨',
  le: '≤',
  ge: '≥',
  ne: '≠',
  asymp: '≈',
  equiv: '≡',
  sim: '∼',
  cong: '≅',
  prop: '∝',
  infin: '∞',
  sum: '∑',
  prod: '∏',
  radic: '√',
  minus: '−',
  lowast: '∗',
  part: '∂',
  nabla: '∇',
  int: '∫',
  forall: '∀',
  exist: '∃',
  empty: '∅',
  isin: '∈',
  notin: '∉',
  ni: '∋',
  sub: '⊂',
  sup: '⊃',
  sube: '⊆',
  supe: '⊇',
  cap: '∩',
  cup: '∪',
  and: '∧',
  or: '∨',
  oplus: '⊕',
  otimes: '⊗',
  perp: '⊥',
  sdot: '⋅',
  ang: '∠',
  there4: '∴',
  lceil: '⌈',
  rceil: '⌉',
  lfloor: '⌊',
  rfloor: '⌋',
  lang: '⟨',
  rang: '⟩',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  lArr: '⇐',
  rArr: '⇒',
  uArr: '⇑',
  dArr: '⇓',
  hArr: '⇔',
  szlig: 'ß',
  aelig: 'æ',
  AElig: 'Æ',
  oslash: 'ø',
  Oslash: 'Ø',
  eth: 'ð',
  ETH: 'Ð',
  thorn: 'þ',
  THORN: 'Þ',
  oelig: 'œ',
  OElig: 'Œ',
  fnof: 'ƒ',
  thetasym: 'ϑ',
  piv: 'ϖ',
  upsih: 'ϒ',
  weierp: '℘',
  image: 'ℑ',
  real: 'ℜ',
  alefsym: 'ℵ',
}

const GREEK = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'epsilon',
  'zeta',
  'eta',
  'theta',
  'iota',
  'kappa',
  'lambda',
  'mu',
  'nu',
  'xi',
  'omicron',
  'pi',
  'rho',
  'sigmaf',
  'sigma',
  'tau',
  'upsilon',
  'phi',
  'chi',
  'psi',
  'omega',
]

// Accented letters (&eacute; &Ccaron; ...) are generated, not listed: name = letter + accent,
// and only combinations that Unicode composes into one character are kept.
const ACCENTS: Record<string, string> = {
  acute: '\u0301',
  grave: '\u0300',
  circ: '\u0302',
  uml: '\u0308',
  tilde: '\u0303',
  ring: '\u030a',
  cedil: '\u0327',
  caron: '\u030c',
}

function buildTable(): Map<string, string> {
  const table = new Map(Object.entries(SYMBOLS))
  GREEK.forEach((name, i) => {
    table.set(name, String.fromCodePoint(0x3b1 + i))
    // There is no capital final sigma; U+03A2 is unassigned.
    if (name !== 'sigmaf') {
      table.set(name.charAt(0).toUpperCase() + name.slice(1), String.fromCodePoint(0x391 + i))
    }
  })
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
  for (const letter of letters) {
    for (const [accent, mark] of Object.entries(ACCENTS)) {
      const composed = (letter + mark).normalize('NFC')
      if ([...composed].length === 1) table.set(letter + accent, composed)
    }
  }
  return table
}

const NAMED = buildTable()
const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g

function fromCodePoint(code: number): string {
  // NUL, surrogates and out-of-range values are not characters; HTML maps them to U+FFFD.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd'
  return String.fromCodePoint(code)
}

/** Decodes numeric and known named references once: `&amp;lt;` becomes `&lt;`, not `<`. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(REFERENCE, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10))
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16))
    return (name !== undefined && NAMED.get(name)) || whole
  })
}
