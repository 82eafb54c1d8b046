import { readFileSync } from 'node:fs'

// The clock the fault suite's workers and schedulers run on, shared through a file so that
// every process and the test read the same time. Until the test writes the file's start
// instant, the clock stands at `start`; from then on it runs `rate` times real speed, and
// `stepAtMs` (real) after the start it steps by `stepMs` (negative: back).

export interface ClockSettings {
  readonly start: string
  readonly rate: number
  readonly stepAtMs?: number
  readonly stepMs?: number
}

export function clockAt(
  settings: ClockSettings,
  runningSince: number | undefined,
  real: number,
): Date {
  const base = Date.parse(settings.start)
  if (runningSince === undefined || real < runningSince) return new Date(base)
  const elapsed = real - runningSince
  const stepped =
    elapsed >= (settings.stepAtMs ?? Number.POSITIVE_INFINITY) ? (settings.stepMs ?? 0) : 0
  return new Date(base + elapsed * settings.rate + stepped)
}

/** A `now()` reading the file at `path` (a real instant in ms, once the test starts the clock). */
export function fileClock(settings: ClockSettings, path: string): () => Date {
  let since: number | undefined
  let readAt = 0
  return () => {
    const real = Date.now()
    if (since === undefined && real - readAt > 100) {
      readAt = real
      try {
        since = Number(readFileSync(path, 'utf8'))
      } catch {
        since = undefined
      }
    }
    return clockAt(settings, since, real)
  }
}
