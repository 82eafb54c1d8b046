import { UsageError } from './args.js'

/** How long a command waits for others (the server, the workers) before it gives up. */
export const DEFAULT_TIMEOUT_SECONDS = 300

export class Deadline {
  private readonly endsAt: number

  constructor(readonly seconds: number) {
    this.endsAt = Date.now() + seconds * 1000
  }

  /**
   * Resolves as `work` does, or, once the deadline passes first, rejects with the line
   * `describe` gives (it says what was still pending).
   */
  async race<T>(work: Promise<T>, describe: () => Promise<string>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(0, this.endsAt - Date.now()))
    })
    try {
      const first = await Promise.race([work.then((value) => ({ value })), expired])
      if (first === 'expired')
        throw new TimedOutError(`timed out after ${this.seconds} s: ${await describe()}`)
      return first.value
    } finally {
      clearTimeout(timer)
    }
  }
}

export class TimedOutError extends Error {
  override name = 'TimedOutError'
}

/** `--timeout SECONDS`: a positive number of seconds. */
export function parseTimeout(value: string | undefined): Deadline {
  if (value === undefined) return new Deadline(DEFAULT_TIMEOUT_SECONDS)
  const seconds = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0)) {
    throw new UsageError(`--timeout must be a number of seconds greater than 0 (got "${value}")`)
  }
  return new Deadline(seconds)
}
