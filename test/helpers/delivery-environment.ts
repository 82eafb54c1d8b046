import { afterAll, beforeAll } from 'vitest'
import type { Logger } from '../../services/logger.js'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from './database.js'
import { clearPrefix, startTestRuntime } from './runtime.js'
import { startSmtpServer, type TestSmtpServer } from './smtp.js'

export interface DeliveryEnvironment {
  readonly database: TestDatabase
  readonly smtp: TestSmtpServer
  readonly runtime: Runtime
}

/**
 * For one test file: its own database, SMTP server and full runtime (own queue prefix, no
 * scheduled ingestion, the file's clock), started before its tests and stopped after them.
 * Read the fields inside tests: they are set once the environment has started.
 */
export function deliveryEnvironment(
  name: string,
  options: {
    adminToken: string
    now: () => Date
    /** More of the runtime's environment (MAIL_FROM, DKIM_*, PUBLIC_URL…). */
    env?: Record<string, string>
    /** Where the runtime logs (silent by default). */
    logger?: Logger
  },
): DeliveryEnvironment {
  const started: { -readonly [K in keyof DeliveryEnvironment]?: DeliveryEnvironment[K] } = {}
  beforeAll(async () => {
    started.database = await createTestDatabase(name)
    started.smtp = await startSmtpServer()
    started.runtime = await startTestRuntime({
      env: {
        ...started.database.env,
        SMTP_URL: started.smtp.url,
        ADMIN_TOKEN: options.adminToken,
        INGEST_CRON: 'off',
        ...options.env,
      },
      now: options.now,
      ...(options.logger ? { logger: options.logger } : {}),
    })
  })
  afterAll(async () => {
    await started.runtime?.close()
    if (started.runtime) await clearPrefix(started.runtime.config.queuePrefix)
    await started.smtp?.close()
    await started.database?.drop()
  })
  const field = <K extends keyof DeliveryEnvironment>(key: K): DeliveryEnvironment[K] => {
    const value = started[key]
    if (value === undefined) throw new Error(`the ${name} environment has not started`)
    return value as DeliveryEnvironment[K]
  }
  return {
    get database() {
      return field('database')
    },
    get smtp() {
      return field('smtp')
    },
    get runtime() {
      return field('runtime')
    },
  }
}
