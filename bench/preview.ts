import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type pg from 'pg'
import { compactPaper } from '../services/domain/preview/compact-paper.js'
import { WordDictionary } from '../services/domain/preview/dictionary.js'
import { WindowBuilder } from '../services/domain/preview/paper-window.js'
import { analyzePaper, parseInterest } from '../services/domain/query/index.js'
import { freePort, runPaperboy, type Spawned, spawnPaperboy } from '../test/helpers/processes.js'
import { createBenchDatabase } from './bench-db.js'
import { generatePapers, loadCorpus } from './corpus.js'
import { interestGenerator } from './interests.js'
import { collectGarbage, mb } from './memory.js'
import { seeded } from './random.js'
import { type Row, recordScenario } from './report.js'

// preview: the real server (`paperboy serve`, its own process, role all) with a week of
// papers, and one client sending interest previews back to back — as many as its rate limit
// lets through — while a probe measures GET /healthz. The same probe, alone, on the
// same server, before the previews begin, is the baseline. The first preview finds no window
// yet: building it falls inside the measurement, as after every restart.

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const DAY = 24 * 3600 * 1000
/** How often the probe asks for /healthz (it waits for each answer: one at a time). */
const PROBE_INTERVAL_MS = 10

/** Heavier lines than most people write: a frequent word, a short prefix, a field. */
const HEAVY_LINES = ['model', 'learn*', 'title:reinforcement', 'author:"Y Li"']

interface Sizes {
  readonly papers: number
  readonly aloneMs: number
  readonly loadedMs: number
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

const sortedCopy = (values: readonly number[]) => [...values].sort((a, b) => a - b)

async function timedFetch(url: string): Promise<{ ms: number; status: number }> {
  const started = performance.now()
  const response = await fetch(url)
  await response.arrayBuffer()
  return { ms: performance.now() - started, status: response.status }
}

/** GET /healthz every PROBE_INTERVAL_MS (or as soon as the previous answer came) until `until`. */
async function probeHealth(base: string, until: () => boolean): Promise<number[]> {
  const latencies: number[] = []
  while (!until()) {
    const { ms, status } = await timedFetch(`${base}/healthz`)
    if (status !== 200) throw new Error(`/healthz answered ${status}`)
    latencies.push(ms)
    if (ms < PROBE_INTERVAL_MS) await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS - ms))
  }
  return latencies
}

async function seedPapers(client: pg.Client, count: number, now: Date): Promise<void> {
  const papers = generatePapers(loadCorpus(), seeded(20260612), count)
  // Spread over the last seven days, the days a preview looks at by default.
  const firstSeen = papers.map((_, i) => new Date(now.getTime() - ((count - i) / count) * 7 * DAY))
  await client.query(
    `INSERT INTO papers (id, title, abstract, authors, categories, first_seen_at, updated_at, match_state)
     SELECT id, title, abstract,
            ARRAY(SELECT jsonb_array_elements_text(authors)),
            ARRAY(SELECT jsonb_array_elements_text(categories)),
            at, at, 'matched'
     FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::timestamptz[])
          AS t(id, title, abstract, authors, categories, at)`,
    [
      papers.map((p) => `bench.${p.id}`),
      papers.map((p) => p.title),
      papers.map((p) => p.abstract),
      papers.map((p) => JSON.stringify(p.authors)),
      papers.map((p) => JSON.stringify(p.categories)),
      firstSeen,
    ],
  )
}

/**
 * The previewing client, in a thread of its own so that its requests do not delay the probe's:
 * previews one at a time, back to back; refused (429), it waits as Retry-After says. It sends
 * as many as its rate limit lets through, as fast as the server answers.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads')
const { base, lines, durationMs } = workerData
;(async () => {
  const ends = performance.now() + durationMs
  const answered = []
  let refused = 0
  for (let i = 0; performance.now() < ends; i++) {
    const line = lines[i % lines.length]
    const started = performance.now()
    const response = await fetch(base + '/api/preview?days=7&q=' + encodeURIComponent(line))
    await response.arrayBuffer()
    if (response.status === 200) answered.push(performance.now() - started)
    else if (response.status === 429) {
      refused++
      const wait = Number(response.headers.get('retry-after') || 1) * 1000
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(wait, ends - performance.now()))))
    } else throw new Error('/api/preview answered ' + response.status + ' for ' + line)
  }
  parentPort.postMessage({ answered, refused })
})()
`

function previewClient(
  base: string,
  lines: readonly string[],
  durationMs: number,
): Promise<{ answered: number[]; refused: number }> {
  const worker = new Worker(CLIENT, { eval: true, workerData: { base, lines, durationMs } })
  return new Promise((resolve, reject) => {
    worker.once('message', (result: { answered: number[]; refused: number }) => {
      resolve(result)
      void worker.terminate()
    })
    worker.once('error', reject)
  })
}

/**
 * The window alone, in this process: built from the same papers, every line evaluated in turn
 * (the first round warms up); the figures are per query over all the window's papers.
 */
function evaluateInProcess(count: number, lines: readonly string[]) {
  const papers = generatePapers(loadCorpus(), seeded(20260612), count)
  const now = Date.now()
  collectGarbage()
  const heapBefore = process.memoryUsage().heapUsed
  const dictionary = new WordDictionary()
  const builder = new WindowBuilder(dictionary)
  const buildStarted = performance.now()
  papers.forEach((paper, i) => {
    builder.add({
      id: `bench.${paper.id}`,
      title: paper.title,
      url: null,
      firstSeenAt: new Date(now - ((count - i) / count) * 7 * DAY),
      compact: compactPaper(analyzePaper(paper), dictionary),
    })
  })
  const window = builder.finish(new Date(now - 90 * DAY))
  const buildMs = performance.now() - buildStarted
  collectGarbage()
  const heapMb = mb(process.memoryUsage().heapUsed - heapBefore)
  const queries = lines.flatMap((line) => {
    const parsed = parseInterest(line)
    return parsed.ok ? [parsed.query] : []
  })
  const since = new Date(now - 7 * DAY)
  const times: number[] = []
  for (let round = 0; round < 4; round++) {
    for (const query of queries) {
      const started = performance.now()
      window.search(query, since, 20)
      if (round > 0) times.push(performance.now() - started)
    }
  }
  return { buildMs, heapMb, times: sortedCopy(times), queries: queries.length }
}

function previewLines(count: number): string[] {
  const corpus = loadCorpus()
  const random = seeded(7)
  const probe = generatePapers(corpus, seeded(11), 500)
  const generator = interestGenerator(corpus, random, { probe, poolSize: 200 })
  return [...HEAVY_LINES, ...generator.lines(count)]
}

async function waitUntilServing(base: string, server: Spawned): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return
    } catch {
      // Not listening yet.
    }
    if (server.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`paperboy serve did not start:\n${server.stderr()}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

export async function runPreview(options: { quick: boolean }): Promise<void> {
  const sizes: Sizes = options.quick
    ? { papers: 500, aloneMs: 3_000, loadedMs: 6_000 }
    : { papers: 5_000, aloneMs: 10_000, loadedMs: 20_000 }
  const database = await createBenchDatabase()
  const dataDir = await mkdtemp(join(tmpdir(), 'paperboy-bench-preview-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL,
    QUEUE_PREFIX: `pbbench-${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_SECRET: 'bench-secret-bench-secret-bench-secret',
    INGEST_CRON: 'off',
    LOG_LEVEL: 'warn',
    // The flags the Dockerfile gives the service.
    NODE_OPTIONS: '--max-semi-space-size=64',
  }
  let server: Spawned | undefined
  try {
    const migrated = await runPaperboy(['migrate'], env)
    if (migrated.code !== 0) throw new Error(`paperboy migrate failed:\n${migrated.err}`)
    await seedPapers(database.client, sizes.papers, new Date())
    server = spawnPaperboy(['serve'], env)
    await waitUntilServing(base, server)

    const aloneEnds = performance.now() + sizes.aloneMs
    const alone = sortedCopy(await probeHealth(base, () => performance.now() > aloneEnds))

    const lines = previewLines(200)
    const loadedEnds = performance.now() + sizes.loadedMs
    const client = previewClient(base, lines, sizes.loadedMs)
    const loaded = sortedCopy(await probeHealth(base, () => performance.now() > loadedEnds))
    const { answered: previews, refused } = await client
    const firstPreviewMs = previews[0] ?? Number.NaN
    const served = sortedCopy(previews.slice(1))

    const p99 = percentile(loaded, 99)
    const inProcess = evaluateInProcess(sizes.papers, lines)
    const rows: Row[] = [
      {
        metric: 'papers in the window',
        value: sizes.papers,
        unit: 'count',
        note: 'first seen over the last 7 days',
      },
      {
        metric: '/healthz alone: p50',
        value: percentile(alone, 50),
        unit: 'ms',
        note: `${alone.length} probes over ${sizes.aloneMs / 1000} s`,
      },
      { metric: '/healthz alone: p99', value: percentile(alone, 99), unit: 'ms' },
      {
        metric: '/healthz under previews: p50',
        value: percentile(loaded, 50),
        unit: 'ms',
        note: `${loaded.length} probes over ${sizes.loadedMs / 1000} s`,
      },
      { metric: '/healthz under previews: p99', value: p99, unit: 'ms', note: 'goal < 50 ms' },
      { metric: '/healthz under previews: max', value: loaded.at(-1) ?? null, unit: 'ms' },
      { metric: 'p99 under previews / p99 alone', value: p99 / percentile(alone, 99), unit: '×' },
      {
        metric: 'previews answered',
        value: previews.length,
        unit: 'count',
        note: `then refused (429) ${refused} time(s): 120 a minute per client`,
      },
      { metric: 'first preview (builds the window)', value: firstPreviewMs, unit: 'ms' },
      {
        metric: 'later previews: p50',
        value: percentile(served, 50),
        unit: 'ms',
        note: 'over HTTP, from the bench process',
      },
      { metric: 'later previews: p99', value: percentile(served, 99), unit: 'ms' },
      {
        metric: 'window alone: analyse and index',
        value: inProcess.buildMs,
        unit: 'ms',
        note: 'in one go, in the bench process (the server does it in slices)',
      },
      { metric: 'window alone: heap retained', value: inProcess.heapMb, unit: 'MB' },
      {
        metric: 'window alone: one query, p50',
        value: percentile(inProcess.times, 50),
        unit: 'ms',
        note: `${inProcess.queries} lines × 3 rounds, 20 shown with their words`,
      },
      {
        metric: 'window alone: one query, p99',
        value: percentile(inProcess.times, 99),
        unit: 'ms',
      },
      {
        metric: 'goal: /healthz p99 < 50 ms while previewing',
        value: p99 < 50 ? 'met' : 'not met',
        unit: '',
      },
    ]
    recordScenario(options.quick ? 'preview (quick)' : 'preview', rows)
  } finally {
    if (server) {
      server.child.kill('SIGTERM')
      await server.exited
    }
    await database.drop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
