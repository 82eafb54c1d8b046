import { readFileSync } from 'node:fs'
import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'
import { parseHolidays } from './domain/announcements.js'
import type { ComplaintPolicy } from './domain/feedback/complaint-rate.js'
import { readSendgridPublicKey, readSnsCertificate } from './http/webhooks/signatures.js'

/** Raised when an environment variable is unusable; its message is the one line shown at start-up. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const INGEST_SOURCE = /^(hf-daily|arxiv-rss:[A-Za-z-]+(\.[A-Za-z-]+)?|arxiv:.+)$/

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535')

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol)
      } catch {
        return false
      }
    },
    { error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  )

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

const schema = z.object({
  NODE_ENV: optional(z.string()),
  PORT: optional(port),
  HOST: optional(z.string().min(1)),
  PUBLIC_URL: optional(url(['http:', 'https:'])),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  REDIS_URL: optional(url(['redis:', 'rediss:'])),
  QUEUE_PREFIX: optional(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_" (no ":")'),
  ),
  SMTP_URL: optional(url(['smtp:', 'smtps:'])),
  MAIL_FROM: optional(
    z.string().refine((value) => !/[\r\n]/.test(value), 'must be one line (no CR or LF)'),
  ),
  MAIL_RATE_PER_SECOND: optional(
    z.coerce.number({ error: 'must be a number' }).positive('must be greater than 0'),
  ),
  DKIM_DOMAIN: optional(z.string()),
  DKIM_SELECTOR: optional(z.string()),
  DKIM_PRIVATE_KEY: optional(z.string()),
  APP_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  ADMIN_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  METRICS_PORT: optional(port),
  METRICS_HOST: optional(z.string().min(1)),
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  DATA_DIR: optional(z.string().min(1)),
  INGEST_CRON: optional(
    z.string().refine((value) => {
      if (value === 'off') return true
      try {
        CronExpressionParser.parse(value)
        return true
      } catch {
        return false
      }
    }, 'must be a cron expression such as "0 6 * * *", or "off"'),
  ),
  INGEST_SOURCES: optional(
    z.string().refine(
      (value) =>
        value
          .split(',')
          .map((s) => s.trim())
          .every((s) => INGEST_SOURCE.test(s)),
      'must be a comma-separated list of hf-daily, arxiv-rss:<category>, arxiv:<query>',
    ),
  ),
  SUBSCRIBE_RATE_LIMIT: optional(
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .positive('must be greater than 0'),
  ),
  TRUST_PROXY: optional(z.string()),
  DIGEST_THUMBNAILS: optional(z.enum(['on', 'off'], { error: 'must be "on" or "off"' })),
  ARXIV_HOLIDAYS: optional(z.string()),
  ARXIV_HOLIDAYS_FILE: optional(z.string()),
  SES_WEBHOOK_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  SES_SNS_CERTIFICATE: optional(
    z.string().refine((value) => {
      try {
        readSnsCertificate(value)
        return true
      } catch {
        return false
      }
    }, "must be the PEM of Amazon SNS's signing certificate (or its RSA public key)"),
  ),
  POSTMARK_WEBHOOK_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  MAILGUN_WEBHOOK_SIGNING_KEY: optional(z.string().min(16, 'must be at least 16 characters')),
  SENDGRID_WEBHOOK_PUBLIC_KEY: optional(
    z.string().refine((value) => {
      try {
        readSendgridPublicKey(value)
        return true
      } catch {
        return false
      }
    }, 'must be the ECDSA P-256 public key SendGrid shows for the Event Webhook (base64, or PEM)'),
  ),
  COMPLAINT_RATE_THRESHOLD: optional(
    z.coerce
      .number({ error: 'must be a number' })
      .gt(0, 'must be a percentage greater than 0')
      .max(100, 'must be a percentage, at most 100'),
  ),
  COMPLAINT_MIN_SENT: optional(
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1'),
  ),
  COMPLAINT_WINDOW_DAYS: optional(
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be from 1 to 30')
      .max(30, 'must be from 1 to 30'),
  ),
  LOG_LEVEL: optional(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` })),
})

export interface Config {
  readonly production: boolean
  readonly port: number
  readonly host: string
  readonly publicUrl: string
  /** Unset means the embedded PGlite database under dataDir. */
  readonly databaseUrl: string | undefined
  readonly redisUrl: string
  readonly queuePrefix: string
  /** Unset means the dev outbox under dataDir. */
  readonly smtpUrl: string | undefined
  readonly mailFrom: string
  readonly mailRatePerSecond: number
  readonly dkim:
    | { readonly domainName: string; readonly keySelector: string; readonly privateKey: string }
    | undefined
  /** Unset outside production: generated once and kept under dataDir (see secrets.ts). */
  readonly appSecret: string | undefined
  readonly adminToken: string | undefined
  /** Set: this process also serves GET /metrics and GET /healthz on a listener of its own. */
  readonly metricsPort: number | undefined
  readonly metricsHost: string
  /** Set: /metrics wants it as a bearer token, on either listener. */
  readonly metricsToken: string | undefined
  readonly dataDir: string
  readonly ingestCron: string | 'off'
  readonly ingestSources: readonly string[]
  readonly subscribeRateLimit: number
  readonly trustProxy: boolean | string | number
  /** Whether digest cards show papers' thumbnails (images loaded from the source's servers). */
  readonly digestThumbnails: boolean
  /** Each set secret enables its provider's endpoint under /webhooks; unset ones answer 404. */
  readonly webhooks: {
    readonly sesSecret: string | undefined
    /** Set: SNS messages must also carry a signature that verifies with it. */
    readonly snsCertificate: string | undefined
    readonly postmarkSecret: string | undefined
    readonly mailgunSigningKey: string | undefined
    readonly sendgridPublicKey: string | undefined
  }
  /** When complaints pause digests (see domain/feedback/complaint-rate.ts). */
  readonly complaints: ComplaintPolicy
  readonly logLevel: (typeof logLevels)[number]
  /**
   * arXiv holidays from the operator (ARXIV_HOLIDAYS, ARXIV_HOLIDAYS_FILE): each year named
   * here replaces that year of the built-in table (domain/announcements.ts).
   */
  readonly arxivHolidays: readonly string[]
}

/** Parses the environment once; throws ConfigError with one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue?.path[0] ?? 'environment')
    throw new ConfigError(
      `${name}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(env[name])})`,
    )
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  if (production && !e.APP_SECRET) {
    throw new ConfigError('APP_SECRET: required when NODE_ENV=production (at least 32 characters)')
  }
  const dkimParts = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY]
  const dkimSet = dkimParts.filter(Boolean).length
  if (dkimSet > 0 && dkimSet < 3) {
    throw new ConfigError(
      'DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three to sign mail, or none',
    )
  }
  const arxivHolidays = [
    ...holidaysFrom('ARXIV_HOLIDAYS', e.ARXIV_HOLIDAYS ?? ''),
    ...(e.ARXIV_HOLIDAYS_FILE
      ? holidaysFrom('ARXIV_HOLIDAYS_FILE', readHolidayFile(e.ARXIV_HOLIDAYS_FILE))
      : []),
  ]
  const portNumber = e.PORT ?? 3000
  const host = e.HOST ?? '127.0.0.1'
  return Object.freeze({
    production,
    port: portNumber,
    host,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${portNumber}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
    queuePrefix: e.QUEUE_PREFIX ?? 'paperboy',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'Paperboy <digest@localhost>',
    mailRatePerSecond: e.MAIL_RATE_PER_SECOND ?? 20,
    dkim:
      e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
        ? {
            domainName: e.DKIM_DOMAIN,
            keySelector: e.DKIM_SELECTOR,
            privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
          }
        : undefined,
    appSecret: e.APP_SECRET,
    adminToken: e.ADMIN_TOKEN,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST ?? host,
    metricsToken: e.METRICS_TOKEN,
    dataDir: e.DATA_DIR ?? './.data',
    ingestCron: e.INGEST_CRON ?? '0 6 * * *',
    ingestSources: (e.INGEST_SOURCES ?? 'hf-daily').split(',').map((s) => s.trim()),
    subscribeRateLimit: e.SUBSCRIBE_RATE_LIMIT ?? 10,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    digestThumbnails: (e.DIGEST_THUMBNAILS ?? 'on') === 'on',
    webhooks: {
      sesSecret: e.SES_WEBHOOK_SECRET,
      snsCertificate: e.SES_SNS_CERTIFICATE,
      postmarkSecret: e.POSTMARK_WEBHOOK_SECRET,
      mailgunSigningKey: e.MAILGUN_WEBHOOK_SIGNING_KEY,
      sendgridPublicKey: e.SENDGRID_WEBHOOK_PUBLIC_KEY,
    },
    complaints: {
      threshold: (e.COMPLAINT_RATE_THRESHOLD ?? 0.3) / 100,
      minSent: e.COMPLAINT_MIN_SENT ?? 1000,
      windowDays: e.COMPLAINT_WINDOW_DAYS ?? 7,
    },
    logLevel: e.LOG_LEVEL ?? 'info',
    arxivHolidays,
  })
}

/** Mirrors what Fastify's `trustProxy` accepts: true/false, a hop count, or a list of addresses. */
function parseTrustProxy(value: string | undefined): boolean | string | number {
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  return value
}

function holidaysFrom(name: string, text: string): string[] {
  const parsed = parseHolidays(text)
  if (!parsed.ok) throw new ConfigError(`${name}: ${parsed.error}`)
  return parsed.dates
}

function readHolidayFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(
      `ARXIV_HOLIDAYS_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    )
  }
}
