import { randomBytes } from 'node:crypto'
import pg from 'pg'
import {
  cleanEnv,
  freePort,
  lineFrom,
  runPaperboy,
  type Spawned,
  spawnNode,
  spawnPaperboy,
} from '../helpers/processes.js'
import { createDatabaseOn } from './private-servers.js'
import type { WorkPaper } from './workload.js'

export const ADMIN_TOKEN = 'admin-token-for-the-fault-suite-123'
const SECRET = 'fault-suite-secret-that-is-long-enough-to-pass'

export interface RoleOptions {
  /** FAULT_* knobs of role-process.ts (clock, crash, lock, retry). */
  readonly knobs?: Record<string, string>
}

/**
 * One scenario's Paperboy, split by role as in production: `paperboy serve --role api`, and
 * workers and schedulers started from role-process.ts, all on a database of its own on the
 * private PostgreSQL and a queue prefix of its own on the private Redis.
 */
export class Cluster {
  readonly processes: Spawned[] = []
  /** The workers, in the order they were started. */
  readonly workers: Spawned[] = []
  apiUrl = ''

  private constructor(
    readonly databaseUrl: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(options: {
    postgresUrl: string
    redisUrl: string
    smtpUrl: string
    name: string
    mailRate?: number
  }): Promise<Cluster> {
    const suffix = randomBytes(3).toString('hex')
    const databaseUrl = await createDatabaseOn(
      options.postgresUrl,
      `faults_${options.name}_${suffix}`,
    )
    const env = cleanEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: `faults-${options.name}-${suffix}`,
      APP_SECRET: SECRET,
      SMTP_URL: options.smtpUrl,
      ADMIN_TOKEN,
      INGEST_CRON: 'off',
      PUBLIC_URL: 'http://paperboy.test',
      MAIL_RATE_PER_SECOND: String(options.mailRate ?? 60),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    })
    const cluster = new Cluster(databaseUrl, env)
    const migrated = await runPaperboy(['migrate'], env, { timeoutMs: 120_000 })
    if (migrated.code !== 0) throw new Error(`paperboy migrate failed: ${migrated.err}`)
    return cluster
  }

  async startApi(): Promise<void> {
    const port = await freePort()
    const api = spawnPaperboy(['serve', '--role', 'api'], {
      ...this.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    })
    this.processes.push(api)
    await lineFrom(api, (line) => line.includes('listening'), 90_000)
    this.apiUrl = `http://127.0.0.1:${port}`
  }

  /** A worker or scheduler; resolves once it is running. */
  async start(role: 'worker' | 'scheduler', options: RoleOptions = {}): Promise<Spawned> {
    const child = spawnNode(['--import', 'tsx', 'test/faults/role-process.ts'], {
      ...this.env,
      FAULT_ROLE: role,
      ...options.knobs,
    })
    this.processes.push(child)
    if (role === 'worker') this.workers.push(child)
    await lineFrom(child, (line) => line.startsWith('ready'), 90_000)
    return child
  }

  /** Posts papers to the API in batches, as an operator's script would, retrying a refused batch. */
  async ingest(papers: readonly WorkPaper[], batch = 10): Promise<{ retried: number }> {
    let retried = 0
    for (let i = 0; i < papers.length; i += batch) {
      const body = JSON.stringify({ papers: papers.slice(i, i + batch) })
      for (let attempt = 0; ; attempt++) {
        const ok = await fetch(`${this.apiUrl}/api/papers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body,
        }).then(
          (response) => response.ok,
          () => false,
        )
        if (ok) break
        retried += 1
        if (attempt > 60) {
          const api = this.processes.find((p) => p.stdout().includes('listening'))
          throw new Error(
            `the API refused a batch of papers for a minute (its exit code: ${api?.child.exitCode}); it last printed:\n${api?.stdout().slice(-3000)}${api?.stderr().slice(-3000)}`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    }
    return { retried }
  }

  /** A query on this scenario's database, retried while PostgreSQL restarts. */
  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    for (let attempt = 0; ; attempt++) {
      const client = new pg.Client({ connectionString: this.databaseUrl })
      // PostgreSQL restarted by a scenario ends this connection: the attempt fails and retries.
      client.on('error', () => undefined)
      try {
        await client.connect()
        return (await client.query<T>(text, values)).rows
      } catch (error) {
        if (attempt > 100) throw error
        await new Promise((resolve) => setTimeout(resolve, 200))
      } finally {
        await client.end().catch(() => undefined)
      }
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.processes.map((p) => {
        p.child.kill('SIGKILL')
        return p.exited
      }),
    )
  }
}

/** Polls `check` until it returns something truthy; fails after `timeoutMs` saying `what`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
