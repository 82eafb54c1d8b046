import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../e2e/helpers.js'
import {
  cleanEnv,
  killAll,
  lineFrom,
  runPaperboy,
  type Spawned,
  spawnNode,
  spawnPaperboy,
} from '../../helpers/processes.js'
import { clearPrefix, TEST_REDIS, TEST_SECRET, uniquePrefix } from '../../helpers/runtime.js'

// `paperboy serve` on the embedded database, and the CLI beside it, as separate processes.

const prefix = uniquePrefix('cli-server')
const elsewhere = `${prefix}-elsewhere`
let dataDir: string
let server: Spawned
let address: string

const envFor = (dir: string, extra: Record<string, string> = {}) =>
  cleanEnv({
    DATA_DIR: dir,
    REDIS_URL: TEST_REDIS,
    QUEUE_PREFIX: prefix,
    PORT: '0',
    INGEST_CRON: 'off',
    APP_SECRET: TEST_SECRET,
    LOG_LEVEL: 'info',
    ...extra,
  })
const env = (extra: Record<string, string> = {}) => envFor(dataDir, extra)

const inUse = () =>
  `paperboy: ${dataDir} is in use by paperboy serve (pid ${server.pid}); stop it or use another DATA_DIR`

async function keysUnder(keyPrefix: string): Promise<string[]> {
  const redis = new Redis(TEST_REDIS)
  try {
    return await redis.keys(`${keyPrefix}:*`)
  } finally {
    redis.disconnect()
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paperboy-cli-server-'))
  server = spawnPaperboy(['serve'], env())
  const listening = await lineFrom(server, (line) => line.includes('"address"'), 110_000)
  address = JSON.parse(listening).address
}, 120_000)

afterAll(async () => {
  await killAll()
  await clearPrefix(prefix)
  await clearPrefix(elsewhere)
})

describe('a second process on a DATA_DIR the server holds', () => {
  it('refuses a second server in one line naming the holder, leaving the first and its server.json alone', async () => {
    const second = await runPaperboy(['serve'], env({ QUEUE_PREFIX: elsewhere }))
    expect(second.code).toBe(1)
    expect(second.err).toBe(inUse())
    expect(JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'))).toEqual({
      pid: server.pid,
      queuePrefix: prefix,
      redisUrl: TEST_REDIS,
    })
    expect((await fetch(`${address}/healthz`)).status).toBe(200)
  }, 60_000)

  it('refuses a command that would open the database itself', async () => {
    const migrate = await runPaperboy(['migrate'], env())
    expect(migrate.code).toBe(1)
    expect(migrate.err).toBe(inUse())
  }, 60_000)
})

describe('the CLI beside a running server', () => {
  it("hands the work to the server's own queues, whatever QUEUE_PREFIX the shell names", async () => {
    const result = await runPaperboy(
      ['ingest', '--file', 'samples/arxiv-papers.json', '--wait'],
      env({ QUEUE_PREFIX: elsewhere }),
    )
    expect(result.err).toContain(
      `the server (pid ${server.pid}) holds ${dataDir}; using its QUEUE_PREFIX=${prefix} (not ${elsewhere}), from ${dataDir}/server.json`,
    )
    expect(result.out).toBe(
      [
        'samples/arxiv-papers.json (json): 14 new, 0 updated, 0 unchanged, 0 rejected',
        '  matching finished for 14 new paper(s)',
      ].join('\n'),
    )
    expect(result.code).toBe(0)
    expect(await keysUnder(elsewhere)).toEqual([])
  }, 60_000)

  it('reads papers from standard input with --file -', async () => {
    const papers = { papers: [{ id: '2611.00001', title: 'Piped in', abstract: 'From stdin.' }] }
    const result = await runPaperboy(['ingest', '--file', '-'], env(), {
      input: JSON.stringify(papers),
    })
    expect(result.out).toBe('stdin (json): 1 new, 0 updated, 0 unchanged, 0 rejected')
    expect(result.code).toBe(0)
  }, 60_000)

  it('names both counts when nothing was sent', async () => {
    const result = await runPaperboy(['digest', 'run', '--now', '--wait'], env())
    expect(result.out).toBe('0 digest(s) queued\ndone: 0 sent, 0 failed')
    expect(result.code).toBe(0)
  }, 60_000)

  it('says so when a subscriber has nothing pending, and renders nothing', async () => {
    const subscribed = await fetch(`${address}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'quiet@example.org', interests: ['nothing matches this'] }),
    })
    expect(subscribed.status).toBe(202)
    const out = join(dataDir, 'next.html')
    const result = await runPaperboy(
      ['preview', '--email', 'quiet@example.org', '--out', out],
      env(),
    )
    expect(result.out).toBe(
      `nothing pending for quiet@example.org: their next digest would be empty; ${out} not written`,
    )
    expect(result.code).toBe(0)
    expect(existsSync(out)).toBe(false)
  }, 60_000)

  it('manages topics through the server: the change is on its API at once, refusals come back', async () => {
    const added = await runPaperboy(
      ['topics', 'add', '--slug', 'swarms', '--name', 'Swarms', '--lines-from', '-'],
      env(),
      { input: 'swarm*\n\ndrone swarm\n' },
    )
    expect(added.err).toBe(
      `the server (pid ${server.pid}) holds ${dataDir}; handing the topics add to it`,
    )
    expect(added.out).toBe('added swarms: Swarms (2 line(s))\n    swarm*\n    drone swarm')
    expect(added.code).toBe(0)
    const topics = (await (await fetch(`${address}/api/topics`)).json()) as {
      topics: { slug: string; interests: string[] }[]
    }
    expect(topics.topics.find((t) => t.slug === 'swarms')?.interests).toEqual([
      'swarm*',
      'drone swarm',
    ])

    const refused = await runPaperboy(['topics', 'retire', '--slug', 'trending'], env())
    expect(refused.err.split('\n').at(-1)).toBe(
      'paperboy: topic "trending" is built in (computed, not matched): it cannot be edited or retired',
    )
    expect(refused.code).toBe(1)
  }, 60_000)

  it('takes its lock and server.json away when it stops', async () => {
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false)
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false)
  }, 60_000)
})

describe('the CLI beside a server that cannot take the work', () => {
  /** A process holding a DATA_DIR and announcing itself as a server, but running no worker. */
  async function standIn(redisUrl: string, queuePrefix: string) {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-stand-in-'))
    const holder = spawnNode(
      ['--import', 'tsx', 'test/helpers/hold-data-dir.ts', dir, queuePrefix, redisUrl],
      process.env,
    )
    expect(await lineFrom(holder, (line) => line.startsWith('{'))).toBe('{"held":true}')
    return { dir, holder }
  }

  it("is a clear error when the server's Redis does not answer", async () => {
    const silent = `redis://127.0.0.1:${await freePort()}`
    const { dir, holder } = await standIn(silent, prefix)
    const result = await runPaperboy(['ingest', '--file', 'samples/arxiv-papers.json'], envFor(dir))
    expect(result.err.split('\n')).toEqual([
      `the server (pid ${holder.pid}) holds ${dir}; using its REDIS_URL=${silent} (not ${TEST_REDIS}), from ${dir}/server.json`,
      `paperboy: the server (pid ${holder.pid}) holding ${dir} uses Redis at ${silent}, which does not answer; restart the server, or stop it to work on ${dir} directly`,
    ])
    expect(result.code).toBe(1)
  }, 60_000)

  it('gives up at --timeout, withdrawing work the server never took', async () => {
    const idle = `${prefix}-idle`
    const { dir, holder } = await standIn(TEST_REDIS, idle)
    const result = await runPaperboy(
      ['ingest', '--file', 'samples/arxiv-papers.json', '--timeout', '1'],
      envFor(dir),
    )
    expect(result.err.split('\n').at(-1)).toBe(
      `paperboy: timed out after 1 s: the server (pid ${holder.pid}) did not take the ingest; withdrawn, nothing was done`,
    )
    expect(result.code).toBe(1)
    const commands = new Queue('commands', { connection: new Redis(TEST_REDIS), prefix: idle })
    try {
      expect(await commands.getJobCounts('waiting', 'active')).toEqual({ waiting: 0, active: 0 })
    } finally {
      await commands.close()
      await commands.disconnect()
      await clearPrefix(idle)
    }
  }, 60_000)

  it('refuses a --timeout that is not a number of seconds', async () => {
    const result = await runPaperboy(['digest', 'run', '--timeout', 'soon'], env())
    expect(result.err).toBe(
      'paperboy: --timeout must be a number of seconds greater than 0 (got "soon")',
    )
    expect(result.code).toBe(2)
  }, 60_000)
})
