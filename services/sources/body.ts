import { UnreadableInputError } from './types.js'

/** Largest body any parser accepts; checked before parsing so a huge upload costs nothing. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024

function tooBig(bytes: number | string): UnreadableInputError {
  return new UnreadableInputError(
    `body is ${bytes} bytes, limit is ${MAX_BODY_BYTES} bytes (50 MB)`,
  )
}

/** The body as text: size checked, UTF-16 recognised by its BOM, any BOM removed. */
export function bodyText(body: string | Uint8Array): string {
  if (typeof body === 'string') {
    // Each UTF-16 unit is at least one UTF-8 byte, so a long string is too big without counting.
    if (body.length > MAX_BODY_BYTES) throw tooBig(`more than ${MAX_BODY_BYTES}`)
    const bytes = Buffer.byteLength(body, 'utf8')
    if (bytes > MAX_BODY_BYTES) throw tooBig(bytes)
    return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
  }
  if (body.byteLength > MAX_BODY_BYTES) throw tooBig(body.byteLength)
  let encoding = 'utf-8'
  if (body[0] === 0xff && body[1] === 0xfe) encoding = 'utf-16le'
  else if (body[0] === 0xfe && body[1] === 0xff) encoding = 'utf-16be'
  // TextDecoder drops the BOM; invalid bytes become U+FFFD, which cleaning then catches.
  return new TextDecoder(encoding).decode(body)
}
