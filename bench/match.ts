import { type PaperMatch, Percolator, sampleFrequency } from '../services/domain/matching/index.js'
import { analyzePaper } from '../services/domain/query/index.js'
import { loadPapers, timeFts } from './baselines/pg-fts.js'
import { compileNaive, type NaiveSubscriber, regexLoop } from './baselines/regex-loop.js'
import { createBenchDatabase } from './bench-db.js'
import { type BenchPaper, generatePapers, loadCorpus } from './corpus.js'
import { interestGenerator } from './interests.js'
import { collectGarbage, mb, PeakMemory } from './memory.js'
import { seeded } from './random.js'
import { type Row, recordScenario } from './report.js'
import { INTERESTS_PER_SUBSCRIBER, streamSubscribers, writeSubscribers } from './subscribers.js'

// The match scenario: papers against every active subscriber, index built by streaming the
// subscribers from PostgreSQL, with two baselines measured in the same run.

export interface MatchOptions {
  readonly quick: boolean
}

const log = (message: string): void => console.error(`[match] ${message}`)
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

interface Sizes {
  subscribers: number
  papers: number
  regexSample: number
  ftsSample: number
}

const FULL: Sizes = { subscribers: 1_000_000, papers: 1000, regexSample: 2000, ftsSample: 5000 }
const QUICK: Sizes = { subscribers: 100_000, papers: 100, regexSample: 1000, ftsSample: 2000 }

interface Tally {
  ms: number
  subscriberMatches: number
  reasons: number
}

function timeMatches(
  papers: readonly BenchPaper[],
  match: (p: BenchPaper) => number[],
  memory: PeakMemory,
): Tally {
  const tally: Tally = { ms: 0, subscriberMatches: 0, reasons: 0 }
  for (const paper of papers) {
    const started = performance.now()
    const [subscribers = 0, reasons = 0] = match(paper)
    tally.ms += performance.now() - started
    tally.subscriberMatches += subscribers
    tally.reasons += reasons
    memory.sample()
  }
  return tally
}

const countReasons = (matches: readonly PaperMatch[]): number => {
  let n = 0
  for (const m of matches) n += m.reasons.length
  return n
}

export async function runMatch(options: MatchOptions): Promise<void> {
  const sizes = options.quick ? QUICK : FULL
  const corpus = loadCorpus()
  const papers = generatePapers(corpus, seeded(1), sizes.papers)
  const generator = interestGenerator(corpus, seeded(2), {
    probe: generatePapers(corpus, seeded(3), 300),
    poolSize: sizes.subscribers,
  })
  const database = await createBenchDatabase()
  const interrupt = (): void => {
    void database.drop().finally(() => process.exit(130))
  }
  process.once('SIGINT', interrupt)
  try {
    const client = database.client
    log(
      `database ${database.name}: writing ${sizes.subscribers.toLocaleString('en-US')} subscribers`,
    )
    let started = performance.now()
    const written = await writeSubscribers(client, generator, sizes.subscribers)
    const setupMs = performance.now() - started
    log(`written in ${seconds(setupMs)}; streaming into the percolator`)

    // Build: stream every subscriber from the database into the index.
    const memory = new PeakMemory()
    collectGarbage()
    const before = process.memoryUsage()
    const percolator = new Percolator({
      frequency: sampleFrequency(corpus.fixtures.map(analyzePaper)),
    })
    const sample: NaiveSubscriber[] = []
    const distinctLines = new Set<string>()
    let setMs = 0
    started = performance.now()
    const stream = await streamSubscribers(
      client,
      (id, sources) => {
        const t = performance.now()
        percolator.setSubscriber(id, sources)
        setMs += performance.now() - t
        if (sample.length < sizes.regexSample) {
          sample.push({
            id,
            lines: sources.map((s) => ({ line: s.line, test: compileNaive(s.line) })),
          })
        }
      },
      () => memory.sample(),
    )
    const buildMs = performance.now() - started
    memory.sample()
    collectGarbage()
    const built = process.memoryUsage()
    const stats = percolator.stats()
    log(`built in ${seconds(buildMs)}: ${JSON.stringify(stats)}`)

    // Match: grouped (topics once each) and expanded (one PaperMatch per subscriber).
    const grouped = timeMatches(
      papers,
      (paper) => {
        const g = percolator.matchGrouped(paper)
        let followers = 0
        let reasons = countReasons(g.interests)
        for (const t of g.topics) {
          followers += t.followers
          reasons += t.reasons.length
        }
        return [g.interests.length + followers, reasons]
      },
      memory,
    )
    log(`grouped match in ${seconds(grouped.ms)}`)
    const expanded = timeMatches(
      papers,
      (paper) => {
        const out = percolator.match(paper)
        return [out.length, countReasons(out)]
      },
      memory,
    )
    log(`expanded match in ${seconds(expanded.ms)}`)

    // Baseline 1: the per-subscriber regex loop, on a sample of subscribers.
    started = performance.now()
    const regexMatches = regexLoop(sample, papers)
    const regexSampleMs = performance.now() - started
    const regexMs = (regexSampleMs * sizes.subscribers) / sample.length
    log(`regex loop: ${sample.length} subscribers in ${seconds(regexSampleMs)}`)

    // Baseline 2: PostgreSQL full-text search, on a sample of the distinct lines.
    const { rows } = await client.query<{ line: string }>(
      `SELECT DISTINCT line FROM (SELECT line FROM interests UNION ALL SELECT line FROM topic_lines) l`,
    )
    for (const r of rows) distinctLines.add(r.line)
    const lines = [...distinctLines]
    const random = seeded(4)
    const ftsLines = Array.from(
      { length: Math.min(sizes.ftsSample, lines.length) },
      () => lines[Math.floor(random() * lines.length)] as string,
    )
    await loadPapers(client, papers)
    const fts = await timeFts(client, ftsLines)
    const ftsDistinctMs = (fts.ms * lines.length) / fts.lines
    const totalLines = written.interests + written.follows * 6
    const ftsPerInterestMs = (fts.ms * totalLines) / fts.lines
    log(`postgres fts: ${fts.lines} lines in ${seconds(fts.ms)}`)

    const n = (x: number) => x.toLocaleString('en-US')
    const rows_: Row[] = [
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
        note: `of ${n(written.interests)} interest lines, plus topic lines`,
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
        note: `${n(stream.rows)} rows; ${Math.round(stream.waited)} ms waiting on the database, ${Math.round(setMs)} ms in setSubscriber`,
      },
      { metric: 'index: distinct queries', value: stats.queries, unit: 'count' },
      { metric: 'index: postings', value: stats.postings, unit: 'count' },
      {
        metric: 'memory: retained after build (heap)',
        value: mb(built.heapUsed - before.heapUsed),
        unit: 'MB',
        note: 'after a full GC, minus before the build',
      },
      {
        metric: 'memory: retained after build (typed arrays)',
        value: mb(built.arrayBuffers - before.arrayBuffers),
        unit: 'MB',
        note: 'outside the V8 heap',
      },
      {
        metric: 'memory: peak heap used',
        value: mb(memory.peak.heapUsed),
        unit: 'MB',
        note: 'sampled per FETCH batch and per paper, garbage included',
      },
      { metric: 'memory: peak heap + typed arrays', value: mb(memory.peak.total), unit: 'MB' },
      { metric: 'memory: peak RSS', value: mb(memory.peak.rss), unit: 'MB' },
      {
        metric: 'match (grouped): all papers',
        value: grouped.ms,
        unit: 'ms',
        note: 'own interests per subscriber, each topic once with its follower count',
      },
      {
        metric: 'match (expanded): all papers',
        value: expanded.ms,
        unit: 'ms',
        note: 'match(): one PaperMatch per subscriber, topics expanded to followers',
      },
      {
        metric: 'matches made (subscriber, paper)',
        value: expanded.subscriberMatches,
        unit: 'count',
        note: `${n(expanded.reasons)} reasons`,
      },
      {
        metric: 'regex loop: sample measured',
        value: regexSampleMs,
        unit: 'ms',
        note: `${n(sample.length)} subscribers × ${n(sizes.papers)} papers, ${n(regexMatches)} matches`,
      },
      {
        metric: 'regex loop: extrapolated to all',
        value: regexMs,
        unit: 'ms',
        note: `EXTRAPOLATED ×${n(Math.round(sizes.subscribers / sample.length))} from the sample`,
      },
      {
        metric: 'postgres fts: sample measured',
        value: fts.ms,
        unit: 'ms',
        note: `${n(fts.lines)} distinct lines × ${n(sizes.papers)} papers in one join, ${n(fts.pairs)} pairs`,
      },
      {
        metric: 'postgres fts: extrapolated, distinct lines',
        value: ftsDistinctMs,
        unit: 'ms',
        note: `EXTRAPOLATED to ${n(lines.length)} distinct lines; no fan-out to subscribers`,
      },
      {
        metric: 'postgres fts: extrapolated, every line',
        value: ftsPerInterestMs,
        unit: 'ms',
        note: `EXTRAPOLATED to ${n(totalLines)} lines (each interest and followed topic line)`,
      },
      {
        metric: 'ratio: regex loop / expanded match',
        value: regexMs / expanded.ms,
        unit: '×',
        note: 'same run',
      },
      {
        metric: 'ratio: regex loop / grouped match',
        value: regexMs / grouped.ms,
        unit: '×',
        note: 'same run',
      },
      {
        metric: 'ratio: fts distinct lines / grouped match',
        value: ftsDistinctMs / grouped.ms,
        unit: '×',
        note: 'same run',
      },
      {
        metric: 'ratio: fts every line / expanded match',
        value: ftsPerInterestMs / expanded.ms,
        unit: '×',
        note: 'same run',
      },
    ]
    recordScenario(options.quick ? 'match (quick)' : 'match', rows_)
  } finally {
    process.removeListener('SIGINT', interrupt)
    await database.drop()
  }
}
