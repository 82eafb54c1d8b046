import {
  type InterestSource,
  Percolator,
  sampleFrequency,
} from '../services/domain/matching/index.js'
import { analyzePaper } from '../services/domain/query/index.js'
import { generatePapers, loadCorpus } from './corpus.js'
import { interestGenerator, TOPICS } from './interests.js'
import { seeded } from './random.js'

const N = Number(process.argv[2] ?? 100000)
const P = Number(process.argv[3] ?? 100)
const corpus = loadCorpus()
const papers = generatePapers(corpus, seeded(1), P)
const gen = interestGenerator(corpus, seeded(2), {
  probe: generatePapers(corpus, seeded(3), 300),
  poolSize: N,
})
const p = new Percolator({ frequency: sampleFrequency(corpus.fixtures.map(analyzePaper)) })
let t = performance.now()
const b0 = process.cpuUsage()
let iid = 1
const topicSources = new Map(
  TOPICS.map((t) => [
    t.slug,
    t.interests.map((line): InterestSource => ({ kind: 'topic', slug: t.slug, line })),
  ]),
)
for (let s = 1; s <= N; s++) {
  const sources: InterestSource[] = gen
    .lines(5)
    .map((line) => ({ kind: 'interest', interestId: iid++, line }))
  for (const slug of gen.topics()) sources.push(...(topicSources.get(slug) ?? []))
  p.setSubscriber(s, sources)
}
console.log('build', performance.now() - t, 'cpu', process.cpuUsage(b0).user / 1000, p.stats())
for (const paper of generatePapers(corpus, seeded(9), 20)) {
  p.matchQueries(paper)
  p.matchGrouped(paper)
}
const mode = process.argv[4] ?? 'queries'
const { PerformanceObserver } = await import('node:perf_hooks')
const gcs: { kind: number; d: number }[] = []
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ kind: (e as any).detail?.kind, d: e.duration })
})
obs.observe({ entryTypes: ['gc'] })
t = performance.now()
const c0 = process.cpuUsage()
let m = 0
for (const paper of papers)
  m += mode === 'queries' ? p.matchQueries(paper).length : p.matchGrouped(paper).interests.length
const c1 = process.cpuUsage(c0)
await new Promise((r) => setTimeout(r, 50))
const byKind = new Map<number, number[]>()
for (const g of gcs)
  byKind.set(g.kind, [(byKind.get(g.kind)?.[0] ?? 0) + 1, (byKind.get(g.kind)?.[1] ?? 0) + g.d])
console.log('gc by kind (1=minor,4=major)', [...byKind])
console.log(mode, 'wall', performance.now() - t, 'cpu', (c1.user + c1.system) / 1000, m)
