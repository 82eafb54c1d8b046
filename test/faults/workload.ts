import pg from 'pg'
import { analyzePaper, matches, parseQuery } from '../../services/domain/query/index.js'
import { loadFixturePapers } from '../helpers/fixture-papers.js'

// What the fault suite delivers: real papers from the fixtures (those with an arXiv id, which
// the digest links to as https://arxiv.org/abs/<id>) and subscribers whose interests each
// match a few of them. Which papers each subscriber must get is worked out here, with the
// query language's own evaluator, independently of what the service records.

export interface WorkPaper {
  readonly id: string
  readonly title: string
  readonly abstract: string
  readonly authors: readonly string[]
  readonly categories: readonly string[]
}

export interface WorkSubscriber {
  readonly email: string
  readonly interests: readonly string[]
  readonly timezone: string
  readonly hour: number
  /** The ids of every paper their interests match. */
  readonly expected: ReadonlySet<string>
}

const ARXIV_ID = /^\d{4}\.\d{4,5}$/

export function workPapers(): WorkPaper[] {
  const byId = new Map<string, WorkPaper>()
  for (const paper of loadFixturePapers()) {
    if (!ARXIV_ID.test(paper.key) || byId.has(paper.key)) continue
    byId.set(paper.key, { ...paper, id: paper.key })
  }
  return [...byId.values()]
}

/** Words of the papers' titles that match between 2 and 10 papers: interests with small digests. */
function interestWords(papers: readonly WorkPaper[]): { word: string; ids: string[] }[] {
  const analyzed = papers.map((p) => ({ id: p.id, analyzed: analyzePaper(p) }))
  const words = new Set<string>()
  for (const paper of papers) {
    for (const word of paper.title.toLowerCase().match(/[a-z]{7,}/g) ?? []) words.add(word)
  }
  const found: { word: string; ids: string[] }[] = []
  for (const word of [...words].sort()) {
    const parsed = parseQuery(word)
    if (!parsed.ok) continue
    const ids = analyzed.filter((p) => matches(parsed.query, p.analyzed)).map((p) => p.id)
    if (ids.length >= 2 && ids.length <= 10) found.push({ word, ids })
  }
  return found
}

/** `count` subscribers, two interests each (at most 20 papers: all of them fit in the email). */
export function workSubscribers(
  papers: readonly WorkPaper[],
  count: number,
  schedule: (index: number) => { timezone: string; hour: number } = () => ({
    timezone: 'UTC',
    hour: 8,
  }),
): WorkSubscriber[] {
  const words = interestWords(papers)
  if (words.length < 10) throw new Error(`only ${words.length} interest words in the fixtures`)
  return Array.from({ length: count }, (_, i) => {
    const first = words[i % words.length]
    const second = words[(i * 7 + 3) % words.length]
    const picked = [first, second].filter((w) => w !== undefined)
    return {
      email: `reader${i}@faults.example`,
      interests: [...new Set(picked.map((w) => w.word))],
      ...schedule(i),
      expected: new Set(picked.flatMap((w) => w.ids)),
    }
  })
}

/** Subscribed and confirmed long ago (so every match counts), with no digest due yet. */
export const SUBSCRIBED_AT = '2026-01-01T00:00:00Z'

/** Writes the subscribers straight into the service's tables, as the bench does. */
export async function seedSubscribers(url: string, people: readonly WorkSubscriber[]) {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => undefined)
  await client.connect()
  try {
    const { rows } = await client.query<{ id: string; email: string }>(
      `INSERT INTO subscribers (email, status, confirmed_at, created_at, timezone, hour)
       SELECT e, 'active', $2, $2, tz, h FROM unnest($1::text[], $3::text[], $4::smallint[]) AS v(e, tz, h)
       RETURNING id, email`,
      [
        people.map((p) => p.email),
        SUBSCRIBED_AT,
        people.map((p) => p.timezone),
        people.map((p) => p.hour),
      ],
    )
    const idOf = new Map(rows.map((r) => [r.email, Number(r.id)]))
    await client.query(
      `INSERT INTO subscriber_status_events (subscriber_id, status, reason, at)
       SELECT id, 'active', 'confirmed', $1 FROM subscribers`,
      [SUBSCRIBED_AT],
    )
    const owners: number[] = []
    const positions: number[] = []
    const lines: string[] = []
    for (const person of people) {
      person.interests.forEach((line, position) => {
        owners.push(idOf.get(person.email) ?? 0)
        positions.push(position)
        lines.push(line)
      })
    }
    await client.query(
      `INSERT INTO interests (subscriber_id, position, query, created_at)
       SELECT o, p, q, $4 FROM unnest($1::bigint[], $2::smallint[], $3::text[]) AS v(o, p, q)`,
      [owners, positions, lines, SUBSCRIBED_AT],
    )
  } finally {
    await client.end()
  }
}
