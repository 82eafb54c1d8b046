import { BatchCollector } from './batch.js'
import { bodyText } from './body.js'
import {
  isObject,
  type JsonObject,
  numberField,
  parseJson,
  stringField,
  stringListField,
} from './json.js'
import { buildPaper, ItemRejected, type PaperDraft, withItemId } from './paper-builder.js'
import { type ParseOutcome, UnreadableInputError } from './types.js'

function idField(paper: JsonObject): string | null {
  // A JSON number cannot carry an arXiv id: 2509.16610 would arrive as 2509.1661.
  if (typeof paper.id === 'number') {
    throw new ItemRejected(`id must be a string, not number (write "${paper.id}" in quotes)`)
  }
  return stringField(paper, 'id')
}

function draftOf(paper: unknown): PaperDraft {
  if (!isObject(paper)) throw new ItemRejected('paper must be a JSON object')
  const id = idField(paper)
  return withItemId(id, () => ({
    id,
    title: stringField(paper, 'title'),
    abstract: stringField(paper, 'abstract'),
    authors: stringListField(paper, 'authors'),
    categories: stringListField(paper, 'categories'),
    publishedAt: stringField(paper, 'publishedAt'),
    updatedAt: stringField(paper, 'updatedAt'),
    url: stringField(paper, 'url'),
    upvotes: numberField(paper, 'upvotes'),
    organization: stringField(paper, 'organization'),
    thumbnailUrl: stringField(paper, 'thumbnailUrl'),
    aiKeywords: stringListField(paper, 'aiKeywords'),
    aiSummary: stringField(paper, 'aiSummary'),
    version: numberField(paper, 'version'),
  }))
}

/**
 * Parses Paperboy JSON: `{"papers": [...]}`, each paper with `id`, `title` and `abstract` and
 * optionally `authors`, `categories`, `publishedAt`, `url` and `upvotes` (the README's format),
 * and also `updatedAt`, `organization`, `thumbnailUrl`, `aiKeywords`, `aiSummary` and `version`; unknown fields
 * are ignored. Each invalid paper is rejected with its index and reason; the valid ones are kept.
 */
export function parsePaperboyJson(body: string | Uint8Array): ParseOutcome {
  return paperboyFromJson(parseJson(bodyText(body)))
}

/** The same, for a body already parsed as JSON (format detection parses it once). */
export function paperboyFromJson(doc: unknown): ParseOutcome {
  if (!isObject(doc) || !Array.isArray(doc.papers)) {
    throw new UnreadableInputError('expected a JSON object with a "papers" array (Paperboy JSON)')
  }
  const batch = new BatchCollector('json')
  doc.papers.forEach((paper: unknown, index: number) => {
    batch.add(index, () => buildPaper(draftOf(paper), 'json'))
  })
  return batch.outcome()
}
