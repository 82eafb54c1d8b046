/**
 * Just enough MIME to find the machine-readable part of a delivery report: the top-level
 * headers, and the parts of a multipart body (nested ones included), each with its headers
 * and its body decoded from base64 or quoted-printable. Reports are small and written by
 * mail servers, so this reads them whole.
 */
export interface MimePart {
  readonly contentType: string
  readonly params: ReadonlyMap<string, string>
  readonly headers: ReadonlyMap<string, string>
  readonly body: string
}

export function readMimePart(raw: string): MimePart {
  const text = raw.replace(/\r\n/g, '\n')
  const split = text.search(/\n\n/)
  const head = split < 0 ? text : text.slice(0, split)
  const body = split < 0 ? '' : text.slice(split + 2)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim())
  }
  const [type = 'text/plain', ...rest] = splitParams(headers.get('content-type') ?? 'text/plain')
  const params = new Map<string, string>()
  for (const param of rest) {
    const eq = param.indexOf('=')
    if (eq <= 0) continue
    params.set(
      param.slice(0, eq).trim().toLowerCase(),
      param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    )
  }
  return {
    contentType: type.trim().toLowerCase(),
    params,
    headers,
    body: decode(body, headers.get('content-transfer-encoding')),
  }
}

/** The parts of a multipart part, or none. */
export function childParts(part: MimePart): MimePart[] {
  const boundary = part.params.get('boundary')
  if (!part.contentType.startsWith('multipart/') || !boundary) return []
  const lines = part.body.split('\n')
  const parts: MimePart[] = []
  let current: string[] | undefined
  for (const line of lines) {
    const trimmed = line.trimEnd()
    if (trimmed === `--${boundary}` || trimmed === `--${boundary}--`) {
      if (current) parts.push(readMimePart(current.join('\n')))
      if (trimmed === `--${boundary}--`) break
      current = []
      continue
    }
    current?.push(line)
  }
  return parts
}

/** Every part of the tree, depth first, the part itself first. */
export function allParts(part: MimePart): MimePart[] {
  return [part, ...childParts(part).flatMap(allParts)]
}

/** `a; b="c;d"; e=f` split at the semicolons outside quotes. */
function splitParams(value: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (const char of value) {
    if (char === '"') quoted = !quoted
    if (char === ';' && !quoted) {
      out.push(current)
      current = ''
    } else current += char
  }
  out.push(current)
  return out
}

function decode(body: string, encoding: string | undefined): string {
  switch (encoding?.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\n/g, '')
          .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
            String.fromCharCode(parseInt(hex, 16)),
          ),
        'latin1',
      ).toString('utf8')
    default:
      return body
  }
}
