/**
 * The `Name: value` blocks of a message/delivery-status (RFC 3464) or message/feedback-report
 * (RFC 5965) part: blocks are separated by blank lines, continuation lines are folded, names
 * compare case-insensitively. Each block is a map from the lower-cased name to its values.
 */
export function readFieldBlocks(text: string): Map<string, string[]>[] {
  const blocks: Map<string, string[]>[] = []
  for (const block of text.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string[]>()
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const colon = line.indexOf(':')
      if (colon <= 0) continue
      const name = line.slice(0, colon).trim().toLowerCase()
      const values = fields.get(name) ?? []
      values.push(line.slice(colon + 1).trim())
      fields.set(name, values)
    }
    if (fields.size > 0) blocks.push(fields)
  }
  return blocks
}

/** `rfc822; ada@example.org` (an address-type, then the address) or `<ada@example.org>`. */
export function addressIn(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const typed = value.match(/^\s*([\w-]+)\s*;\s*(.+)$/)
  if (typed && typed[1]?.toLowerCase() !== 'rfc822') return undefined
  const address = (typed?.[2] ?? value)
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim()
  return address.includes('@') ? address : undefined
}
