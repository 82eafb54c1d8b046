import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import pg from 'pg'
import { freePort } from '../helpers/processes.js'

// A PostgreSQL and a Redis of the fault suite's own, on free ports: the suite restarts and
// flushes them, which the shared servers on 5432 and 6379 (used by other tests at the same
// time) must never see.

const run = promisify(execFile)
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'
/** initdb and pg_ctl refuse to run as root: they run as this user, in a directory it owns. */
const PG_USER = 'postgres'

export interface PrivatePostgres {
  readonly url: string
  /** Stops it (`immediate`: like a crash, no checkpoint) and starts it again on the same port. */
  restart(mode?: 'fast' | 'immediate'): Promise<void>
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

async function asPostgres(command: string, args: string[]): Promise<string> {
  const runningAsRoot = process.getuid?.() === 0
  const [file, argv] = runningAsRoot
    ? ['runuser', ['-u', PG_USER, '--', join(PG_BIN, command), ...args]]
    : [join(PG_BIN, command), args]
  const { stdout } = await run(file, argv, { maxBuffer: 10 * 1024 * 1024 })
  return stdout
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-faults-pg-'))
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', PG_USER])
    const { stdout: group } = await run('id', ['-g', PG_USER])
    await chown(dir, Number(stdout.trim()), Number(group.trim()))
  }
  await chmod(dir, 0o700)
  const data = join(dir, 'data')
  const port = await freePort()
  await asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ])
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c max_connections=300',
    '-c shared_buffers=64MB',
  ].join(' ')
  let running = false
  const start = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start'])
    running = true
  }
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return
    await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'])
    running = false
  }
  await start()
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    url,
    start,
    stop,
    async restart(mode = 'fast') {
      await stop(mode)
      await start()
    },
    async close() {
      await stop('immediate').catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A fresh database on the private server, for one scenario. */
export async function createDatabaseOn(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl })
  client.on('error', () => undefined)
  await client.connect()
  try {
    await client.query(`CREATE DATABASE "${name}"`)
  } finally {
    await client.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export interface PrivateRedis {
  readonly url: string
  /** SHUTDOWN SAVE and start again: the data survives, every connection is cut. */
  restart(): Promise<void>
  /** FLUSHALL: every queue, job, schedule and lock is gone. */
  flushAll(): Promise<void>
  close(): Promise<void>
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-faults-redis-'))
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    )
    for (let i = 0; ; i++) {
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      })
      client.on('error', () => undefined)
      try {
        await client.connect()
        if ((await client.ping()) === 'PONG') return
      } catch {
        if (i > 100) throw new Error(`redis-server did not start on ${port}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      } finally {
        client.disconnect()
      }
    }
  }
  const command = async (...args: string[]) => {
    const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null })
    client.on('error', () => undefined)
    try {
      return await client.call(args[0] ?? 'PING', ...args.slice(1))
    } finally {
      client.disconnect()
    }
  }
  const stop = async (save: boolean) => {
    const current = child
    if (!current || current.exitCode !== null) return
    const exited = new Promise((resolve) => current.once('exit', resolve))
    await command('SHUTDOWN', save ? 'SAVE' : 'NOSAVE').catch(() => undefined)
    await exited
  }
  await start()
  return {
    url,
    async restart() {
      await stop(true)
      await start()
    },
    async flushAll() {
      await command('FLUSHALL')
    },
    async close() {
      const current = child
      if (current && current.exitCode === null) {
        const exited = new Promise((resolve) => current.once('exit', resolve))
        current.kill('SIGKILL')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
