/** What to ingest: a body already in hand (a file, a POST), or one of the real sources. */
export type IngestSource =
  | { kind: 'body'; body: Buffer | string; label: string }
  | { kind: 'hf-daily'; date?: string | undefined }
  | { kind: 'arxiv'; query: string; max: number }
  | { kind: 'arxiv-rss'; category: string }

/** The source as a report names it. */
export function describeSource(source: IngestSource): string {
  switch (source.kind) {
    case 'body':
      return source.label
    case 'hf-daily':
      return `hf-daily ${source.date ?? 'latest'}`
    case 'arxiv':
      return `arxiv "${source.query}"`
    case 'arxiv-rss':
      return `arxiv-rss ${source.category}`
  }
}

/** INGEST_SOURCES entries (`hf-daily`, `arxiv-rss:cs.AI`, `arxiv:<query>`) as sources. */
export function parseScheduledSource(entry: string): IngestSource {
  if (entry === 'hf-daily') return { kind: 'hf-daily' }
  if (entry.startsWith('arxiv-rss:'))
    return { kind: 'arxiv-rss', category: entry.slice('arxiv-rss:'.length) }
  if (entry.startsWith('arxiv:'))
    return { kind: 'arxiv', query: entry.slice('arxiv:'.length), max: 200 }
  throw new Error(`unknown ingest source "${entry}"`)
}
