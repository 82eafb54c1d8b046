import { cpus, loadavg } from 'node:os'
import { getHeapSpaceStatistics } from 'node:v8'
import { openDatabase } from '../services/db/client.js'
import { seedTopics } from '../services/db/repositories/topics.js'
import { Percolator, sampleFrequency } from '../services/domain/matching/index.js'
import { analyzePaper } from '../services/domain/query/index.js'
import { SEED_TOPICS } from '../services/domain/seed-topics.js'
import { indexActiveInterests } from '../services/usecases/matcher.js'
import { loadPapers, timeFts } from './baselines/pg-fts.js'
import { compileNaive, regexLoop } from './baselines/regex-loop.js'
import { createBenchDatabase } from './bench-db.js'
import { type BenchPaper, generatePapers, loadCorpus } from './corpus.js'
import { interestGenerator } from './interests.js'
import { collectGarbage, mb, PeakMemory } from './memory.js'
import { seeded } from './random.js'
import { type Row, recordScenario } from './report.js'
import {
  INTERESTS_PER_SUBSCRIBER,
  lineHolders,
  sampleSubscribers,
  writeSubscribers,
} from './subscribers.js'

// The match scenario: papers against every active subscriber, the index built by the
// worker's own loader from the subscribers' lines in PostgreSQL, and two baselines measured
// in the same run.

export interface MatchOptions {
  readonly quick: boolean
}

interface Sizes {
  subscribers: number
  papers: number
  regexSample: number
  ftsSample: number
}

const FULL: Sizes = { subscribers: 1_000_000, papers: 1000, regexSample: 1000, ftsSample: 5000 }
const QUICK: Sizes = { subscribers: 100_000, papers: 100, regexSample: 500, ftsSample: 2000 }

const WARM_UP = 20

/** V8's new space: two semi-spaces, 32 MB by default, where each match's objects are born. */
const youngGeneration = (): number =>
  mb(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0)

/** The V8 and Node flags this run was given (on the command line or in NODE_OPTIONS). */
const nodeFlags = (): string =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
    .filter((flag) => flag.startsWith('--') && flag !== '--import')
    .join(' ') || 'none'

const log = (message: string): void => console.error(`[match] ${message}`)
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const n = (x: number): string => x.toLocaleString('en-US')

interface Tally {
  ms: number
  /** (subscriber, paper), (query, paper) or (line, paper) matches. */
  matches: number
  reasons: number
  /** (topic, paper) matches, where topics are reported once each. */
  topics: number
}

function timeMatches(
  papers: readonly BenchPaper[],
  match: (paper: BenchPaper) => Omit<Tally, 'ms'>,
  memory: PeakMemory,
): Tally {
  const tally: Tally = { ms: 0, matches: 0, reasons: 0, topics: 0 }
  for (const paper of papers) {
    const started = performance.now()
    const found = match(paper)
    tally.ms += performance.now() - started
    tally.matches += found.matches
    tally.reasons += found.reasons
    tally.topics += found.topics
    memory.sample()
  }
  return tally
}

export async function runMatch(options: MatchOptions): Promise<void> {
  const sizes = options.quick ? QUICK : FULL
  // Other processes on the machine slow every figure here alike; say how busy it was.
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  const corpus = loadCorpus()
  const papers = generatePapers(corpus, seeded(1), sizes.papers)
  const generator = interestGenerator(corpus, seeded(2), {
    probe: generatePapers(corpus, seeded(3), 300),
    poolSize: sizes.subscribers,
  })
  const database = await createBenchDatabase()
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' })
  const interrupt = (): void => {
    void database.drop().finally(() => process.exit(130))
  }
  process.once('SIGINT', interrupt)
  try {
    // The application's schema and seed topics, so that the build below is the worker's own.
    await handle.migrate()
    await seedTopics(handle.db, SEED_TOPICS)
    const client = database.client
    log(`database ${database.name}: writing ${n(sizes.subscribers)} subscribers`)
    let started = performance.now()
    const written = await writeSubscribers(client, generator, sizes.subscribers)
    const setupMs = performance.now() - started
    log(`written in ${seconds(setupMs)}; building the index from them`)

    // Build: what a worker does at start, through its own loader.
    const buildMemory = new PeakMemory()
    collectGarbage()
    const before = process.memoryUsage()
    const percolator = new Percolator({
      // What a worker would measure on the papers it recently ingested.
      frequency: sampleFrequency(corpus.fixtures.map(analyzePaper)),
    })
    started = performance.now()
    // The build awaits each batch of lines: the timer samples memory between batches.
    const sampling = setInterval(() => buildMemory.sample(), 20)
    await indexActiveInterests(handle.db, percolator)
    clearInterval(sampling)
    const buildMs = performance.now() - started
    buildMemory.sample()
    collectGarbage()
    const built = process.memoryUsage()
    const stats = percolator.stats()
    log(`built in ${seconds(buildMs)}: ${JSON.stringify(stats)}`)

    // A worker matches all day: time it warm, not while V8 is still compiling.
    for (const paper of generatePapers(corpus, seeded(5), WARM_UP)) {
      percolator.matchQueries(paper)
      percolator.matchLines(paper)
    }

    // Matching at two depths: the distinct queries, and what the worker stores, each matched
    // interest line and topic once, with the lines as written.
    const matchMemory = new PeakMemory()
    const distinct = timeMatches(
      papers,
      (paper) => {
        const found = percolator.matchQueries(paper).length
        return { matches: found, reasons: found, topics: 0 }
      },
      matchMemory,
    )
    log(`distinct queries: ${seconds(distinct.ms)}`)
    const shipped = timeMatches(
      papers,
      (paper) => {
        const found = percolator.matchLines(paper)
        let reasons = found.lines.length
        for (const t of found.topics) reasons += t.reasons.length
        return { matches: found.lines.length, reasons, topics: found.topics.length }
      },
      matchMemory,
    )
    log(`lines and topics: ${seconds(shipped.ms)}`)

    // What those matches stand for once the subscribers who hold each line are joined (not
    // timed: digests join them, a line at a time, when they are claimed).
    const holders = await lineHolders(client)
    let fannedOut = 0
    for (const paper of papers) {
      const found = percolator.matchLines(paper)
      for (const { line } of found.lines) fannedOut += holders.lines.get(line) ?? 0
      for (const { slug, reasons } of found.topics) {
        fannedOut += (holders.topics.get(slug) ?? 0) * reasons.length
      }
    }

    // Baseline 1: the per-subscriber regex loop, on a sample of subscribers.
    const sample = (await sampleSubscribers(client, sizes.regexSample)).map(({ id, lines }) => ({
      id,
      lines: lines.map((line) => ({ line, test: compileNaive(line) })),
    }))
    started = performance.now()
    const regexMatches = regexLoop(sample, papers)
    const regexSampleMs = performance.now() - started
    const regexMs = (regexSampleMs * sizes.subscribers) / sample.length
    log(`regex loop: ${n(sample.length)} subscribers in ${seconds(regexSampleMs)}`)

    // Baseline 2: PostgreSQL full-text search, on a sample of the distinct lines.
    const { rows: lineRows } = await client.query<{ line: string }>(
      'SELECT DISTINCT line FROM (SELECT query AS line FROM interests UNION ALL SELECT query FROM topic_interests) l',
    )
    const lines = lineRows.map((r) => r.line)
    const random = seeded(4)
    const ftsLines = Array.from(
      { length: Math.min(sizes.ftsSample, lines.length) },
      () => lines[Math.floor(random() * lines.length)] as string,
    )
    await loadPapers(client, papers)
    const fts = await timeFts(client, ftsLines)
    const ftsDistinctMs = (fts.ms * lines.length) / fts.lines
    const everyLine = written.interests + written.topicLines
    const ftsEveryMs = (fts.ms * everyLine) / fts.lines
    log(`postgres fts: ${n(fts.lines)} lines in ${seconds(fts.ms)}`)

    const rows: Row[] = [
      {
        metric: 'environment',
        value: `node ${process.version}`,
        unit: '',
        note: `${cpus().length} CPUs, load average ${load} at start; young generation ${youngGeneration()} MB; node flags: ${nodeFlags()}`,
      },
      {
        metric: 'subscribers (active)',
        value: sizes.subscribers,
        unit: 'count',
        note: `${INTERESTS_PER_SUBSCRIBER} interests each; ${n(written.follows)} topic follows`,
      },
      {
        metric: 'papers',
        value: sizes.papers,
        unit: 'count',
        note: 'bigram text from the fixtures, 120–260 word abstracts',
      },
      {
        metric: 'distinct lines',
        value: lines.length,
        unit: 'count',
        note: `of ${n(written.interests)} interest lines + ${n(written.topicLines)} followed topic lines`,
      },
      {
        metric: 'setup: write subscribers to PostgreSQL',
        value: setupMs,
        unit: 'ms',
        note: 'unnest batches + indexes; not part of the build',
      },
      {
        metric: 'build: stream from PostgreSQL + index',
        value: buildMs,
        unit: 'ms',
        note: `the worker's own loader: ${n(stats.lines)} distinct lines of ${n(sizes.subscribers)} subscribers, de-duplicated by PostgreSQL and streamed through a cursor, and every topic`,
      },
      { metric: 'index: distinct queries', value: stats.queries, unit: 'count' },
      { metric: 'index: postings', value: stats.postings, unit: 'count' },
      {
        metric: 'memory: retained by the index, heap',
        value: mb(built.heapUsed - before.heapUsed),
        unit: 'MB',
        note: 'after a full GC, minus before the build',
      },
      {
        metric: 'memory: retained by the index, typed arrays',
        value: mb(built.arrayBuffers - before.arrayBuffers),
        unit: 'MB',
        note: 'outside the V8 heap',
      },
      {
        metric: 'memory: peak heap used, build',
        value: mb(buildMemory.peak.heapUsed),
        unit: 'MB',
        note: 'sampled between batches of lines, garbage included',
      },
      {
        metric: 'memory: peak heap + typed arrays, build',
        value: mb(buildMemory.peak.total),
        unit: 'MB',
      },
      {
        metric: 'memory: peak heap used, matching',
        value: mb(matchMemory.peak.heapUsed),
        unit: 'MB',
        note: 'distinct queries + lines and topics, sampled per paper',
      },
      {
        metric: 'memory: peak RSS',
        value: mb(Math.max(buildMemory.peak.rss, matchMemory.peak.rss)),
        unit: 'MB',
      },
      {
        metric: 'match: distinct queries, all papers',
        value: distinct.ms,
        unit: 'ms',
        note: `matchQueries(): ${n(distinct.matches)} (query, paper) matches with their words`,
      },
      {
        metric: 'match: lines and topics, all papers (shipped)',
        value: shipped.ms,
        unit: 'ms',
        note: `matchLines(), what the worker runs and stores: ${n(shipped.matches)} (line, paper) and ${n(shipped.topics)} (topic, paper) matches; subscribers are joined when their digest is claimed`,
      },
      {
        metric: '(subscriber, line, paper) reasons these stand for',
        value: fannedOut,
        unit: 'count',
        note: 'each matched line and topic line times the subscribers who hold it; joined when digests are claimed, not here',
      },
      {
        metric: 'cost per (query, paper) match',
        value: (distinct.ms * 1000) / distinct.matches,
        unit: 'µs',
        note: 'distinct-query time / its matches',
      },
      {
        metric: 'regex loop: sample measured',
        value: regexSampleMs,
        unit: 'ms',
        note: `${n(sample.length)} subscribers × ${n(sizes.papers)} papers, ${n(regexMatches)} matches`,
      },
      {
        metric: 'regex loop: all subscribers',
        value: regexMs,
        unit: 'ms',
        note: `EXTRAPOLATED ×${n(Math.round(sizes.subscribers / sample.length))} from the sample`,
      },
      {
        metric: 'postgres fts: sample measured',
        value: fts.ms,
        unit: 'ms',
        note: `${n(fts.lines)} sampled distinct lines × ${n(sizes.papers)} papers, one join, ${n(fts.pairs)} pairs`,
      },
      {
        metric: 'postgres fts: distinct lines',
        value: ftsDistinctMs,
        unit: 'ms',
        note: `EXTRAPOLATED to ${n(lines.length)} distinct lines; no words, no fan-out`,
      },
      {
        metric: 'postgres fts: every line',
        value: ftsEveryMs,
        unit: 'ms',
        note: `EXTRAPOLATED to ${n(everyLine)} lines, each interest as its own tsquery`,
      },
      {
        metric: 'ratio: regex loop / shipped',
        value: regexMs / shipped.ms,
        unit: '×',
        note: 'the regex loop matches every subscriber; shipped matches each distinct line and topic once, subscribers a join away',
      },
      {
        metric: 'ratio: fts distinct lines / distinct queries',
        value: ftsDistinctMs / distinct.ms,
        unit: '×',
        note: 'both give (line, paper) pairs',
      },
      {
        metric: 'ratio: fts distinct lines / shipped',
        value: ftsDistinctMs / shipped.ms,
        unit: '×',
        note: 'both give (line, paper) pairs; shipped adds the words and topics',
      },
    ]
    recordScenario(options.quick ? 'match (quick)' : 'match', rows)
  } finally {
    process.removeListener('SIGINT', interrupt)
    await handle.close()
    await database.drop()
  }
}
