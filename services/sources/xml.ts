import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { UnreadableInputError } from './types.js'

/** An element as fast-xml-parser returns it: attributes as `@_name`, text as `#text`. */
export type XmlElement = Record<string, unknown>

const REPEATED = new Set(['entry', 'item', 'author', 'category', 'link'])
const TEXT_ELEMENTS = ['title', 'summary', 'description', 'content']

const parser = new XMLParser({
  // Entities are decoded once, later, by clean-text; the parser must not expand DOCTYPE
  // entities (billion laughs) or decode twice.
  processEntities: false,
  htmlEntities: false,
  // Ids such as 2604.21950 must stay strings, not become the number 2604.2195.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Kept raw, so markup inside them (XHTML, CDATA) reaches clean-text instead of being lost.
  stopNodes: TEXT_ELEMENTS.map((name) => `*.${name}`),
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(localName(name)),
})

function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses `text` and returns its root element, which must be `<expected>`. */
export function parseXmlRoot(text: string, expected: string, what: string): XmlElement {
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    const { line, col, msg } = valid.err
    throw new UnreadableInputError(`malformed XML at line ${line}, column ${col}: ${msg}`)
  }
  let doc: unknown
  try {
    doc = parser.parse(text)
  } catch (error) {
    throw new UnreadableInputError(`unreadable XML: ${(error as Error).message}`)
  }
  const roots = isElement(doc)
    ? Object.keys(doc).filter((k) => !k.startsWith('?') && k !== '#text')
    : []
  const root = roots[0]
  if (root === undefined || !isElement(doc))
    throw new UnreadableInputError('XML has no root element')
  if (localName(root) !== expected) {
    throw new UnreadableInputError(`expected <${expected}> (${what}), found <${root}>`)
  }
  const element = doc[root]
  // `<feed></feed>` parses to an empty string.
  return isElement(element) ? element : {}
}

/** The child elements named `name`, with or without a namespace prefix. */
export function childrenOf(node: XmlElement, name: string): unknown[] {
  const out: unknown[] = []
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || localName(key) !== name) continue
    if (Array.isArray(value)) out.push(...value)
    else out.push(value)
  }
  return out
}

export function elementsOf(node: XmlElement, name: string): XmlElement[] {
  return childrenOf(node, name).map((c) => (isElement(c) ? c : { '#text': c }))
}

/** Raw (still entity-encoded) text of a node; CDATA sections are re-encoded to match. */
export function rawText(node: unknown): string | null {
  const value = Array.isArray(node) ? node[0] : node
  let text: string | null = null
  if (typeof value === 'string') text = value
  else if (isElement(value)) text = typeof value['#text'] === 'string' ? value['#text'] : ''
  if (text === null) return null
  return text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, cdata: string) =>
    cdata.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  )
}

/** Raw text of the first child named `name`, or null when there is none. */
export function childText(node: XmlElement, name: string): string | null {
  const first = childrenOf(node, name)[0]
  return first === undefined ? null : rawText(first)
}

export function attr(node: unknown, name: string): string | null {
  if (!isElement(node)) return null
  const value = node[`@_${name}`]
  return typeof value === 'string' ? value : null
}
