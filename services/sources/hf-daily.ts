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

function authorsOf(paper: JsonObject): string[] {
  const authors = paper.authors
  if (authors === undefined || authors === null) return []
  if (!Array.isArray(authors)) throw new ItemRejected('paper.authors must be an array')
  // Authors marked `hidden` are kept: HF hides a claimed profile link, not the authorship.
  return authors.map((author: unknown, i) => {
    const name = isObject(author) ? author.name : undefined
    if (typeof name !== 'string') throw new ItemRejected(`paper.authors[${i}] has no name`)
    return name
  })
}

function organizationOf(value: unknown): string | null {
  if (!isObject(value)) return null
  // `fullname` ("California institute of technology") reads better in a digest than the
  // slug `name` ("caltech"); the slug is the fallback.
  return (
    stringField(value, 'fullname', 'organization.fullname') ??
    stringField(value, 'name', 'organization.name')
  )
}

function draftOf(item: unknown): PaperDraft {
  if (!isObject(item) || !isObject(item.paper)) throw new ItemRejected('item has no "paper" object')
  const paper = item.paper
  const id = stringField(paper, 'id', 'paper.id')
  return withItemId(id, () => ({
    id,
    title: stringField(paper, 'title', 'paper.title') ?? stringField(item, 'title'),
    abstract: stringField(paper, 'summary', 'paper.summary') ?? stringField(item, 'summary'),
    authors: authorsOf(paper),
    // The paper's own date first; the listing item's copy is only a fallback.
    publishedAt:
      stringField(paper, 'publishedAt', 'paper.publishedAt') ?? stringField(item, 'publishedAt'),
    url: null,
    upvotes: numberField(paper, 'upvotes', 'paper.upvotes'),
    organization: organizationOf(paper.organization) ?? organizationOf(item.organization),
    thumbnailUrl: stringField(item, 'thumbnail'),
    aiKeywords: stringListField(paper, 'ai_keywords', 'paper.ai_keywords'),
    aiSummary: stringField(paper, 'ai_summary', 'paper.ai_summary'),
  }))
}

/** Parses the Hugging Face Daily Papers API (`/api/daily_papers`): a JSON array of items. */
export function parseHfDaily(body: string | Uint8Array): ParseOutcome {
  return hfDailyFromJson(parseJson(bodyText(body)))
}

/** The same, for a body already parsed as JSON (format detection parses it once). */
export function hfDailyFromJson(doc: unknown): ParseOutcome {
  if (!Array.isArray(doc)) {
    throw new UnreadableInputError(
      'expected a JSON array of {"paper": ...} items (Hugging Face daily papers)',
    )
  }
  const batch = new BatchCollector('hf-daily')
  doc.forEach((item: unknown, index: number) => {
    batch.add(index, () => buildPaper(draftOf(item), 'hf-daily'))
  })
  return batch.outcome()
}
