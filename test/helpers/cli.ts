import { main } from '../../services/cli/main.js'
import type { TestDatabase } from './database.js'
import { TEST_REDIS, TEST_SECRET } from './runtime.js'

/** What `paperboy …` printed: results, errors, and stderr as a terminal shows it (errors and progress in order). */
export interface CliRun {
  readonly code: number
  readonly out: string
  readonly err: string
  readonly stderr: readonly string[]
}

/** Runs `paperboy …` in this process, capturing what it prints. */
export async function runCli(...args: string[]): Promise<CliRun> {
  const out: string[] = []
  const err: string[] = []
  const stderr: string[] = []
  const code = await main(args, {
    out: (line) => out.push(line),
    err: (line) => {
      err.push(line)
      stderr.push(line)
    },
    progress: (line) => stderr.push(line),
  })
  return { code, out: out.join('\n'), err: err.join('\n'), stderr }
}

/**
 * Gives the CLI the environment a shell that started the server would have: the test Redis
 * and secret, this queue prefix and DATA_DIR, and the test database (PGlite runs have no
 * DATABASE_URL, so it is removed). Returns it, for a runtime started with the same.
 */
export function useCliEnvironment(options: {
  readonly database: TestDatabase
  readonly queuePrefix: string
  readonly dataDir: string
  readonly extra?: Record<string, string>
}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    REDIS_URL: TEST_REDIS,
    QUEUE_PREFIX: options.queuePrefix,
    DATA_DIR: options.dataDir,
    APP_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    ...options.extra,
    ...options.database.env,
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  return env
}
