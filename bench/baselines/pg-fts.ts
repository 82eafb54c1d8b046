import type pg from 'pg'
import { parseInterest, type Query } from '../../services/domain/query/index.js'
import { insertColumns } from '../bench-db.js'
import type { BenchPaper } from '../corpus.js'

// PostgreSQL full-text search as the matcher: papers with a tsvector and a GIN index, each
// interest line as a tsquery. The translation is close, not exact (english stemming instead
// of plural folding; fields as tsvector weights: A title, B abstract, C authors, D categories).

const ANY_TEXT = 'AB'

const lexeme = (word: string): string => `'${word.replaceAll("'", "''")}'`
const categoryWord = (category: string): string =>
  `cat${category.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')}`

function tsquery(query: Query, weights: string): string {
  switch (query.kind) {
    case 'term':
      return `${lexeme(query.word)}:${weights}`
    case 'prefix':
      return `${lexeme(query.prefix)}:*${weights}`
    case 'phrase':
      return `(${query.words.map((w) => `${lexeme(w.text)}:${w.prefix ? '*' : ''}${weights}`).join(' <-> ')})`
    case 'exact':
      return `(${query.words.map((w) => `${lexeme(w)}:${weights}`).join(' <-> ')})`
    case 'category':
      return `${lexeme(categoryWord(query.value))}:${query.prefix ? '*' : ''}D`
    case 'field':
      return tsquery(query.query, { title: 'A', abstract: 'B', author: 'C' }[query.field])
    case 'not':
      return `!${tsquery(query.child, weights)}`
    case 'and':
      return `(${query.children.map((c) => tsquery(c, weights)).join(' & ')})`
    case 'or':
      return `(${query.children.map((c) => tsquery(c, weights)).join(' | ')})`
  }
}

/** The tsquery text for a line, or undefined for a line that does not parse. */
export function toTsquery(line: string): string | undefined {
  const parsed = parseInterest(line)
  return parsed.ok ? tsquery(parsed.query, ANY_TEXT) : undefined
}

export async function loadPapers(client: pg.Client, papers: readonly BenchPaper[]): Promise<void> {
  await client.query(`CREATE TABLE fts_papers (id int PRIMARY KEY, title text, abstract text,
    authors text, categories text, tsv tsvector)`)
  await insertColumns(
    client,
    'fts_papers',
    [
      ['id', 'int'],
      ['title', 'text'],
      ['abstract', 'text'],
      ['authors', 'text'],
      ['categories', 'text'],
    ],
    [
      papers.map((p) => p.id),
      papers.map((p) => p.title),
      papers.map((p) => p.abstract),
      papers.map((p) => p.authors.join(', ')),
      papers.map((p) => p.categories.map(categoryWord).join(' ')),
    ],
  )
  await client.query(`UPDATE fts_papers SET tsv =
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', abstract), 'B') ||
    setweight(to_tsvector('simple', authors), 'C') || setweight(to_tsvector('simple', categories), 'D')`)
  await client.query('CREATE INDEX ON fts_papers USING gin (tsv); ANALYZE fts_papers')
}

/**
 * Times matching `lines` against every paper in one statement, the fastest way PostgreSQL
 * offers (no round trip per line). The tsqueries are built beforehand, as an index would be.
 */
export async function timeFts(
  client: pg.Client,
  lines: readonly string[],
): Promise<{ ms: number; lines: number; pairs: number }> {
  const queries = lines.flatMap((line) => {
    const q = toTsquery(line)
    return q === undefined ? [] : [q]
  })
  await client.query('DROP TABLE IF EXISTS fts_queries')
  await client.query('CREATE TABLE fts_queries (id int, q tsquery)')
  await client.query(
    `INSERT INTO fts_queries SELECT i, to_tsquery('english', q)
     FROM unnest($1::text[]) WITH ORDINALITY AS t(q, i)`,
    [queries],
  )
  await client.query('ANALYZE fts_queries')
  // One core against one core.
  await client.query('SET max_parallel_workers_per_gather = 0')
  const started = performance.now()
  const result = await client.query(
    'SELECT q.id, p.id FROM fts_queries q JOIN fts_papers p ON p.tsv @@ q.q',
  )
  return { ms: performance.now() - started, lines: queries.length, pairs: result.rowCount ?? 0 }
}
