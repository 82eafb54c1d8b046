import { type DestinationStream, type Logger, pino } from 'pino'
import { redactSecrets, redactSecretsDeep } from './logging/redact-secrets.js'

export type { Logger }

export interface LoggerOptions {
  readonly name?: string
  /** Where JSON lines go instead of stdout (tests read them back). */
  readonly destination?: DestinationStream
}

/** JSON lines for machines; pretty lines only when a person is watching a terminal. */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const pretty =
    !options.destination && process.stdout.isTTY && process.env.NODE_ENV !== 'production'
  return pino(
    {
      level,
      name: options.name ?? 'paperboy',
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      // Serializers run before a line leaves this process, so the pretty transport gets
      // redacted lines too. They override Fastify's, which log `req.url` as it came.
      serializers: {
        req: serializeRequest,
        err: (error: unknown) => redactSecretsDeep(pino.stdSerializers.err(error as Error)),
        msg: (message: unknown) => (typeof message === 'string' ? redactSecrets(message) : message),
      },
      formatters: { log: redactTopLevelStrings },
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
        : {}),
    },
    options.destination,
  )
}

interface LoggedRequest {
  method?: string
  url?: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

/** Fastify's request fields, with secrets in the query string blanked. */
function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactSecrets(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

// `log.info({ url }, ...)`: plain strings next to the message get the same treatment.
function redactTopLevelStrings(object: Record<string, unknown>): Record<string, unknown> {
  let changed: Record<string, unknown> | undefined
  for (const [key, value] of Object.entries(object)) {
    if (typeof value !== 'string') continue
    const redacted = redactSecrets(value)
    if (redacted !== value) {
      changed ??= { ...object }
      changed[key] = redacted
    }
  }
  return changed ?? object
}
