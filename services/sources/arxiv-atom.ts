import { BatchCollector } from './batch.js'
import { bodyText } from './body.js'
import { cleanText } from './clean-text.js'
import { decodeEntities } from './entities.js'
import { buildPaper, isArxivCategory } from './paper-builder.js'
import { type ParseOutcome, UnreadableInputError } from './types.js'
import { attr, childText, elementsOf, parseXmlRoot, type XmlElement } from './xml.js'

/** An arXiv API page: the papers plus the OpenSearch counters the pager needs to stop. */
export interface ArxivAtomOutcome extends ParseOutcome {
  totalResults: number | null
  startIndex: number | null
}

function counter(feed: XmlElement, name: string): number | null {
  const text = childText(feed, name)?.trim()
  return text && /^\d+$/.test(text) ? Number(text) : null
}

function categoriesOf(entry: XmlElement): string[] {
  const primary = elementsOf(entry, 'primary_category').map((c) => attr(c, 'term'))
  const all = elementsOf(entry, 'category').map((c) => attr(c, 'term'))
  return (
    [...primary, ...all]
      .filter((t): t is string => t !== null)
      .map((t) => decodeEntities(t).trim())
      // Entries may also carry ACM (I.2.7) or MSC (68T05) classes as <category>; only arXiv
      // taxonomy codes are kept, because `category:` queries match those.
      .filter((t, i, list) => isArxivCategory(t) && list.indexOf(t) === i)
  )
}

function checkApiError(entry: XmlElement): void {
  // A bad query still answers 200 with a feed whose one entry is the error message.
  const id = childText(entry, 'id') ?? ''
  if (id.includes('arxiv.org/api/errors')) {
    const message = cleanText(childText(entry, 'summary') ?? childText(entry, 'title') ?? id)
    throw new UnreadableInputError(`arXiv API error: ${message}`)
  }
}

/** Parses an arXiv API (Atom 1.0) response, current or legacy layout. */
export function parseArxivAtom(body: string | Uint8Array): ArxivAtomOutcome {
  const feed = parseXmlRoot(bodyText(body), 'feed', 'arXiv API Atom feed')
  const entries = elementsOf(feed, 'entry')
  entries.forEach(checkApiError)
  const batch = new BatchCollector('arxiv')
  entries.forEach((entry, index) => {
    batch.add(index, () =>
      buildPaper(
        {
          id: childText(entry, 'id'),
          title: childText(entry, 'title'),
          abstract: childText(entry, 'summary'),
          authors: elementsOf(entry, 'author').map((a) => childText(a, 'name') ?? ''),
          categories: categoriesOf(entry),
          publishedAt: childText(entry, 'published'),
          updatedAt: childText(entry, 'updated'),
          // The builder links arXiv ids to their unversioned abs page (always the latest).
          url: null,
        },
        'arxiv',
      ),
    )
  })
  return {
    ...batch.outcome(),
    totalResults: counter(feed, 'totalResults'),
    startIndex: counter(feed, 'startIndex'),
  }
}
