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
const papers = generatePapers(corpus, seeded(42), P)
const gen = interestGenerator(corpus, seeded(7), {
  probe: generatePapers(corpus, seeded(99), 300),
  poolSize: N,
})
console.log('pool', gen.poolSize)
const p = new Percolator({ frequency: sampleFrequency(corpus.fixtures.map(analyzePaper)) })
let t = performance.now()
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
console.log('build', performance.now() - t, p.stats(), process.memoryUsage())
const { PerformanceObserver } = await import('node:perf_hooks')
let gcTime = 0,
  gcCount = 0
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcTime += e.duration
    gcCount++
  }
})
obs.observe({ entryTypes: ['gc'] })
t = performance.now()
let own = 0,
  tf = 0,
  tm = 0
for (const paper of papers) {
  const g = p.matchGrouped(paper)
  own += g.interests.length
  for (const x of g.topics) tf += x.followers
}
await new Promise((r) => setTimeout(r, 100))
console.log('gc', gcTime, gcCount)
console.log('grouped', performance.now() - t, 'own', own, 'topic followers', tf)
console.log(
  'analyze',
  (globalThis as any).ta,
  'queries',
  (globalThis as any).tq,
  'nq',
  (globalThis as any).nq,
  'evaluate',
  (globalThis as any).te,
  'owners',
  (globalThis as any).to,
)
{
  const v8 = await import('node:v8')
  const vm = await import('node:vm')
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  gc()
  console.log('after gc', process.memoryUsage())
}
{
  const G = globalThis as any
  console.log(
    'per paper: analyze',
    G.ta / P,
    'queries',
    G.tq / P,
    'present keys',
    G.np / P,
    'candidates',
    G.nc / P,
    'verified',
    G.nv / P,
    'decided',
    G.nd / P,
    'matched',
    G.nq / P,
    'evaluate',
    G.te / P,
    'owners',
    G.to / P,
  )
}
