import { type ParseArgsConfig, parseArgs } from 'node:util'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/** A wrong command line or an input that cannot be used: printed as one line. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message)
  }
}

/** Where a command writes: results to `out`, progress and diagnostics to `err`. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
}

export const consoleIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
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
