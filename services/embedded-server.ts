import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * The embedded database (PGlite) lives inside one process. While `paperboy serve` holds it,
 * CLI commands must not open it too; they hand their work to the server through Redis. This
 * file under DATA_DIR says which process holds it.
 */
export interface EmbeddedServerInfo {
  readonly pid: number
  readonly queuePrefix: string
}

const fileOf = (dataDir: string) => join(resolve(dataDir), 'server.json')

export function announceEmbeddedServer(dataDir: string, info: EmbeddedServerInfo): () => void {
  const file = fileOf(dataDir)
  writeFileSync(file, JSON.stringify(info))
  return () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedServerInfo
      if (current.pid === info.pid) rmSync(file)
    } catch {
      // Already gone: nothing to clean up.
    }
  }
}

/** The live server holding the embedded database, if there is one. */
export function findEmbeddedServer(dataDir: string): EmbeddedServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(fileOf(dataDir), 'utf8')) as EmbeddedServerInfo
    process.kill(info.pid, 0)
    return info
  } catch {
    return undefined
  }
}
