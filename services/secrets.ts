import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from './config.js'

/** An HMAC key any shorter is guessable in principle, and an empty one signs for anybody. */
export const MIN_SECRET_LENGTH = 32

/**
 * The key for signed links. Outside production it is generated on first start and kept in
 * DATA_DIR, so links in emails sent yesterday still work after a restart.
 */
export function resolveAppSecret(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return checked(configured, 'APP_SECRET')
  const file = join(dataDir, 'app-secret')
  const existing = readIfPresent(file)
  if (existing !== undefined) return checked(existing, file)
  mkdirSync(dataDir, { recursive: true })
  publishOnce(file, `${randomBytes(32).toString('base64url')}\n`)
  // Whoever published first, this is the one every process uses.
  return checked(readFileSync(file, 'utf8'), file)
}

/**
 * Makes `file` appear with `content`, whole, unless it already exists. The content is written
 * and flushed to a temporary file first, then hard-linked into place: link() is atomic and,
 * unlike rename(), refuses to replace a file that another process published meanwhile (and
 * may already have handed to its callers).
 */
function publishOnce(file: string, content: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const fd = openSync(temp, 'wx', 0o600)
  try {
    // The umask could have narrowed the mode further, never widened it; make it exact.
    fchmodSync(fd, 0o600)
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(temp, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    unlinkSync(temp)
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function checked(secret: string, source: string): string {
  const trimmed = secret.trim()
  if (trimmed.length < MIN_SECRET_LENGTH) {
    const remedy =
      source === 'APP_SECRET'
        ? 'set a longer one'
        : 'delete the file to have a new one generated, or set APP_SECRET'
    throw new ConfigError(
      `${source}: the app secret is ${trimmed.length} characters long, it must be at least ${MIN_SECRET_LENGTH}; ${remedy}`,
    )
  }
  return trimmed
}
