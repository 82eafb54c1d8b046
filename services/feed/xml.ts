import { XMLBuilder } from 'fast-xml-parser'

// XML 1.0 has no way to write these, escaped or not: a feed holding one is refused whole by a
// strict parser. Text is cleaned at ingest, but interest lines and topic names are not papers.
// With the `u` flag a surrogate pair is one code point, so the range catches lone halves only.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu

/** The text with every character XML cannot carry removed. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '')
}

/**
 * Builds XML from plain objects (`@_name` for attributes, `#text` for text beside them), every
 * value escaped by the builder and stripped of what XML cannot carry. Keys whose value is
 * undefined are left out.
 */
export function createXmlBuilder(options: { format?: boolean } = {}): XMLBuilder {
  return new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: options.format ?? false,
    // `<link href="…"/>`, as feeds are usually written.
    suppressEmptyNode: true,
    tagValueProcessor: (_name, value) => xmlSafe(String(value)),
    attributeValueProcessor: (_name, value) => xmlSafe(String(value)),
  })
}

export const XML_DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' } }
