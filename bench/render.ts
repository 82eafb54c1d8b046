import { seeded } from './random.js'
// Render benchmark: how many digest emails per second the shipped path fills (digest.mjml
// compiled once, Handlebars per subscriber) against compiling the MJML for every email, on the
// same 25-paper digest. Synthetic but realistic papers, generated from a fixed seed so runs compare.

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Handlebars from 'handlebars'
import mjml2html from 'mjml'
import {
  type ComposedDigest,
  composeDigest,
  type DigestItem,
  type DigestPaper,
} from '../services/domain/digest.js'
import { cleanData } from '../services/mail/clean-data.js'
import { createTemplateCompiler } from '../services/mail/compile-template.js'
import { digestView } from '../services/mail/digest-email-view.js'
import { createMailRenderer, defaultTemplatesDir } from '../services/mail/mail-renderer.js'

/** One measured figure; `value` in `unit`, `note` says what exactly was measured. */
export interface Row {
  name: string
  value: number
  unit: string
  note?: string
}

const WORDS = (
  'language model agent reasoning diffusion video alignment safety reward policy ' +
  'benchmark evaluation retrieval memory transformer attention sparse efficient robust ' +
  'multimodal vision token training inference scaling data synthetic preference feedback ' +
  'learning graph planning search tool code proof latent representation generation'
).split(' ')
const INTERESTS = [
  'diffusion',
  'large language models',
  'agent*',
  'reinforcement learning',
  'video AND generation',
]

export function sampleInput(): { items: DigestItem[]; trending: DigestPaper[] } {
  const next = seeded(42)
  const pick = () => WORDS[Math.floor(next() * WORDS.length)] as string
  const sentence = (n: number) => Array.from({ length: n }, pick).join(' ')
  const paper = (i: number): DigestPaper => ({
    id: `2611.${String(10000 + i)}`,
    title: `${sentence(3)}: ${sentence(6)} for ${sentence(3)}`.replace(/^./, (c) =>
      c.toUpperCase(),
    ),
    abstract: Array.from({ length: 8 }, () => `${sentence(18)}.`).join(' '),
    authors: Array.from(
      { length: 2 + Math.floor(next() * 8) },
      (_, k) => `Author ${i}-${k} Surname`,
    ),
    url: null,
    upvotes: next() < 0.3 ? null : Math.floor(next() * 150),
    publishedAt: new Date(Date.UTC(2026, 10, 1 + Math.floor(next() * 27))),
    firstSeenAt: new Date('2026-11-28T06:00:00Z'),
  })
  const items = Array.from({ length: 40 }, (_, i) => ({
    paper: paper(i),
    reasons: INTERESTS.filter(() => next() < 0.35)
      .concat(INTERESTS[i % INTERESTS.length] as string)
      .map((line) => ({ source: { kind: 'interest' as const, line }, words: [pick(), pick()] })),
  }))
  const trending = Array.from({ length: 10 }, (_, i) => paper(100 + i))
  return { items, trending }
}

const links = {
  webViewUrl: 'https://paperboy.example/digests/123456?token=abcdefghijklmnop.qrstuv',
  preferencesUrl: 'https://paperboy.example/preferences?token=abcdefghijklmnop.qrstuv',
  unsubscribeUrl: 'https://paperboy.example/unsubscribe?token=abcdefghijklmnop.qrstuv',
  feedUrl: 'https://paperboy.example/feeds/abcdefghijklmnop.qrstuv',
  frequencyLabel: 'daily at 08:00 (Europe/Paris)',
}

/** Runs `fn` for at least `minMs` and `minRuns` times; returns runs per second and the p99 in ms. */
async function measure(fn: (i: number) => Promise<unknown>, minMs: number, minRuns: number) {
  const times: number[] = []
  const start = performance.now()
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now()
    await fn(times.length)
    times.push(performance.now() - t)
  }
  const total = performance.now() - start
  times.sort((a, b) => a - b)
  const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0
  return { perSecond: (times.length / total) * 1000, p99, runs: times.length }
}

const MJML_OPTIONS = { validationLevel: 'strict', keepComments: false, fonts: {} } as const
const templateFile = path.join(fileURLToPath(defaultTemplatesDir), 'digest.mjml')

/** digest.mjml with its includes pasted in, so Handlebars can fill the partials' fields too. */
async function inlinedSource(file: string): Promise<string> {
  let source = await readFile(file, 'utf8')
  for (const include of source.matchAll(/<mj-include\s+path="([^"]+)"\s*\/>/g)) {
    const body = await inlinedSource(path.resolve(path.dirname(file), include[1] ?? ''))
    source = source.replace(include[0], body)
  }
  return source
}

function emailDataRaw(digest: ComposedDigest, i: number): object {
  return digestView({ digest, ...links, webViewUrl: `${links.webViewUrl}${i}` }, digest, {
    productName: 'Paperboy',
    web: (u) => u,
    paper: (u) => u,
  })
}

function emailData(digest: ComposedDigest, i: number): object {
  return cleanData(emailDataRaw(digest, i)) as object
}

/** The naive way: fill the MJML with this email's data, then let MJML render the result. */
async function mjmlPerEmail(source: string, digest: ComposedDigest, i: number): Promise<string> {
  const filled = Handlebars.create().compile(source, { strict: true })(emailData(digest, i))
  const { html } = await mjml2html(filled, { ...MJML_OPTIONS, filePath: templateFile })
  return sendable(html)
}

/** A cheaper naive way: compile the template (no data) every time, then fill it. */
async function templatePerEmail(digest: ComposedDigest, i: number): Promise<string> {
  const { html } = await mjml2html(await readFile(templateFile, 'utf8'), {
    ...MJML_OPTIONS,
    filePath: templateFile,
  })
  return sendable(Handlebars.create().compile(html, { strict: true })(emailData(digest, i)))
}

// Sending flattens the string a renderer built from thousands of pieces and encodes it; both
// sides pay that here, the same way, so that neither gets credit for work it only postponed.
function sendable(html: string): string {
  Buffer.byteLength(html)
  return html
}

/**
 * Rows: `render.compose` (composeDigest of 40 matches + 10 trending, per second),
 * `render.digest.compiled` and `render.digest.mjml-per-email` (digests/s), their p99 in ms,
 * `render.digest.fill` (digests/s, the compiled template without the renderer's size check),
 * `render.digest.template-per-email` (digests/s, the cheaper naive variant),
 * `render.digest.speedup` (×, goal ≥ 100) and `render.digest.html` (bytes of one email).
 */
export async function renderScenario(opts: { quick: boolean }): Promise<Row[]> {
  const input = sampleInput()
  const digest = composeDigest(input)
  const mail = createMailRenderer({})
  // The first call compiles; the shipped path pays that once per process, not per email.
  const sample = await mail.digest({ digest, ...links })
  const budget = opts.quick
    ? { ms: 300, slowMs: 500, runs: 50, slowRuns: 3 }
    : { ms: 3000, slowMs: 5000, runs: 500, slowRuns: 20 }

  // Each run its own texts: highlights are remembered per text, and a digest of papers
  // seen before would measure the memory, not the work.
  const compose = await measure(
    async (i) =>
      composeDigest({
        ...input,
        items: input.items.map((item) => ({
          ...item,
          paper: {
            ...item.paper,
            title: `${item.paper.title} ${i}`,
            abstract: `${item.paper.abstract} ${i}`,
          },
        })),
      }),
    budget.ms,
    budget.runs,
  )
  const shipped = await measure(
    async (i) =>
      sendable(
        (await mail.digest({ digest, ...links, webViewUrl: `${links.webViewUrl}${i}` })).html,
      ),
    budget.ms,
    budget.runs,
  )
  const template = await createTemplateCompiler(defaultTemplatesDir)('digest')
  const fill = await measure(async (i) => template(emailDataRaw(digest, i)), budget.ms, budget.runs)
  const source = await inlinedSource(templateFile)
  const naive = await measure(
    (i) => mjmlPerEmail(source, digest, i),
    budget.slowMs,
    budget.slowRuns,
  )
  const perTemplate = await measure(
    (i) => templatePerEmail(digest, i),
    budget.slowMs,
    budget.slowRuns,
  )
  const papers = digest.total - digest.overflow
  return [
    {
      name: 'render.compose',
      value: compose.perSecond,
      unit: 'digests/s',
      note: `composeDigest: ${input.items.length} matches + ${input.trending.length} trending, highlighting included, every text new (nothing remembered)`,
    },
    {
      name: 'render.digest.compiled',
      value: shipped.perSecond,
      unit: 'digests/s',
      note: `shipped path: ${papers}-paper digest, MJML compiled once, filled per email (${shipped.runs} runs)`,
    },
    { name: 'render.digest.compiled.p99', value: shipped.p99, unit: 'ms' },
    {
      name: 'render.digest.fill',
      value: fill.perSecond,
      unit: 'digests/s',
      note: 'view and compiled template alone (HTML and text), without link checks, size check or flattening',
    },
    {
      name: 'render.digest.mjml-per-email',
      value: naive.perSecond,
      unit: 'digests/s',
      note: `Handlebars-filled MJML through mjml2html for every email, same data (${naive.runs} runs)`,
    },
    { name: 'render.digest.mjml-per-email.p99', value: naive.p99, unit: 'ms' },
    {
      name: 'render.digest.template-per-email',
      value: perTemplate.perSecond,
      unit: 'digests/s',
      note: `digest.mjml compiled (without data) for every email, then filled (${perTemplate.runs} runs)`,
    },
    {
      name: 'render.digest.speedup',
      value: shipped.perSecond / naive.perSecond,
      unit: '×',
      note: 'compiled once vs mjml-per-email; goal ≥ 100×',
    },
    {
      name: 'render.digest.html',
      value: Buffer.byteLength(sample.html),
      unit: 'bytes',
      note: `one ${papers}-paper email; Gmail clips above 102 KB`,
    },
  ]
}
