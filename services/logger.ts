import { type Logger, pino } from 'pino'

export type { Logger }

/** JSON lines for machines; pretty lines only when a person is watching a terminal. */
export function createLogger(level: string, options: { name?: string } = {}): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production'
  return pino({
    level,
    name: options.name ?? 'paperboy',
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  })
}
