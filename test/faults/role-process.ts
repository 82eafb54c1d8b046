// `paperboy serve --role worker|scheduler` as the fault suite runs it: the product's own
// runtime, with the knobs a test needs that are not configuration (a short job lock so a killed
// worker's jobs move on in seconds, a short retry back-off and tick, a clock that runs fast or
// jumps, and an optional crash right after the SMTP server accepted the Nth message).
import { pino } from 'pino'
import { loadConfig } from '../../services/config.js'
import type { Role } from '../../services/roles.js'
import { startRuntime } from '../../services/runtime.js'
import { type ClockSettings, fileClock } from './fake-clock.js'

const role = (process.env.FAULT_ROLE ?? 'worker') as Role
const number = (name: string, fallback: number) => {
  const value = process.env[name]
  return value === undefined || value === '' ? fallback : Number(value)
}

// FAULT_CLOCK (JSON ClockSettings) and FAULT_CLOCK_FILE: the shared fake clock (fake-clock.ts).
const clock = process.env.FAULT_CLOCK
const now =
  clock && process.env.FAULT_CLOCK_FILE
    ? fileClock(JSON.parse(clock) as ClockSettings, process.env.FAULT_CLOCK_FILE)
    : undefined

let sends = 0
const crashAfter = number('FAULT_CRASH_AFTER_SENDS', 0)

const runtime = await startRuntime({
  config: loadConfig(),
  role,
  logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  listen: false,
  lockDurationMs: number('FAULT_LOCK_MS', 2_000),
  tickEveryMs: number('FAULT_TICK_MS', 1_000),
  recoverAfterMs: number('FAULT_RECOVER_AFTER_MS', 5_000),
  mailRetry: {
    attempts: number('FAULT_RETRY_ATTEMPTS', 9),
    backoffMs: number('FAULT_RETRY_BACKOFF_MS', 500),
  },
  ...(now ? { now } : {}),
  ...(crashAfter > 0
    ? {
        decorateMailer: (mailer) => ({
          ...mailer,
          async send(message) {
            const info = await mailer.send(message)
            sends += 1
            // Accepted by SMTP, not yet recorded: the window exactly-once must survive.
            if (sends >= crashAfter) process.kill(process.pid, 'SIGKILL')
            return info
          },
        }),
      }
    : {}),
})
process.stdout.write(`ready ${role} ${runtime.config.queuePrefix}\n`)
const stop = () => {
  runtime.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
