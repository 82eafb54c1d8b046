import { main } from '../../services/cli/main.js'

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
 * Gives the CLI the environment a shell that started the server would have; a variable
 * given as undefined is removed (PGlite runs have no DATABASE_URL).
 */
export function useCliEnvironment(env: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}
