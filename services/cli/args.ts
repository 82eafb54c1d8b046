import { type ParseArgsConfig, parseArgs } from 'node:util'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/** A wrong command line or an input that cannot be used: printed as one line. */
export class UsageError extends Error {
  override name = 'UsageError'
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message)
  }
}

/** Where a command writes: results to `out`, diagnostics to `err`, passing status to `progress`. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
  progress(line: string): void
}

/**
 * The terminal: on a TTY, progress is one line rewritten in place and cleared before the
 * results; piped or in CI, every progress message is a plain line on stderr.
 */
export function terminalIo(stdout = process.stdout, stderr = process.stderr): CliIo {
  let showing = false
  const clear = () => {
    if (showing) stderr.write('\r\x1b[2K')
    showing = false
  }
  return {
    out(line) {
      clear()
      stdout.write(`${line}\n`)
    },
    err(line) {
      clear()
      stderr.write(`${line}\n`)
    },
    progress(line) {
      if (!stderr.isTTY) {
        stderr.write(`${line}\n`)
        return
      }
      clear()
      stderr.write(line.slice(0, Math.max(20, (stderr.columns ?? 80) - 1)))
      showing = true
    },
  }
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const

export function parse<O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...HELP, ...options },
      strict: true,
      allowPositionals: false,
    })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments')
  }
}
