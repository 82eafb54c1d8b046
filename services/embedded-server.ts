import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { liveHolderOf } from './data-dir-lock.js'

/**
 * The embedded database (PGlite) lives inside one process. While `paperboy serve` holds it,
 * CLI commands cannot open it too; they hand their work to the server through its Redis and
 * queues. This file under DATA_DIR says how to reach that server.
 */
export interface EmbeddedServerInfo {
  readonly pid: number
  readonly queuePrefix: string
  /** The Redis the server really uses (a private redis-server it started, if it did). */
  readonly redisUrl: string
}

export const SERVER_FILE = 'server.json'

const fileOf = (dataDir: string) => join(resolve(dataDir), SERVER_FILE)

/**
 * Written once the server is ready to take work; the returned function removes it, but only
 * while it is still this process's own (never another server's).
 */
export function announceEmbeddedServer(dataDir: string, info: EmbeddedServerInfo): () => void {
  const file = fileOf(dataDir)
  // Written whole then renamed into place: a reader never sees half of it. Private to the
  // owner, since a Redis URL can carry a password.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(draft, JSON.stringify(info), { mode: 0o600 })
  renameSync(draft, file)
  return () => {
    if (readServerFile(file)?.pid === info.pid) rmSync(file, { force: true })
  }
}

/**
 * The live server holding the embedded database, if there is one: server.json is believed
 * only while the process it names holds DATA_DIR's lock.
 */
export function findEmbeddedServer(dataDir: string): EmbeddedServerInfo | undefined {
  const info = readServerFile(fileOf(dataDir))
  if (!info) return undefined
  return liveHolderOf(dataDir)?.pid === info.pid ? info : undefined
}

function readServerFile(file: string): EmbeddedServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmbeddedServerInfo>
    if (typeof info.pid !== 'number' || typeof info.queuePrefix !== 'string') return undefined
    return {
      pid: info.pid,
      queuePrefix: info.queuePrefix,
      // A file without one names a server on the default Redis.
      redisUrl: typeof info.redisUrl === 'string' ? info.redisUrl : 'redis://127.0.0.1:6379',
    }
  } catch {
    return undefined
  }
}
