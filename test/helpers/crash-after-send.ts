// A worker process that dies (SIGKILL, no cleanup) the moment the SMTP server has accepted a
// message, before anything can be recorded: the window that exactly-once delivery must survive.
import { pino } from 'pino'
import { loadConfig } from '../../services/config.js'
import { startRuntime } from '../../services/runtime.js'

const runtime = await startRuntime({
  config: loadConfig(),
  role: 'worker',
  logger: pino({ level: 'silent' }),
  listen: false,
  lockDurationMs: 1_000,
  decorateMailer: (mailer) => ({
    ...mailer,
    async send(message) {
      const info = await mailer.send(message)
      process.kill(process.pid, 'SIGKILL')
      return info
    },
  }),
})
process.stdout.write(`ready ${runtime.config.queuePrefix}\n`)
