import { authorLine, type FeedItem } from '../domain/feed.js'
import { createXmlBuilder } from './xml.js'

/** One paragraph of an item's body: text, or a link. */
type Paragraph = { text: string } | { link: string; text: string }

const DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

/**
 * What an item says, in reading order: who wrote the paper, the start of its abstract, why it
 * is in the feed, when it was published and where to read it. The HTML and the plain text
 * versions are both made from these, so they say the same.
 */
function paragraphs(item: FeedItem): Paragraph[] {
  const authors = authorLine(item)
  return [
    ...(authors !== '' ? [{ text: authors }] : []),
    { text: item.excerpt },
    { text: `Matched: ${item.why}` },
    ...(item.paperPublishedAt ? [{ text: `Published ${DAY.format(item.paperPublishedAt)}` }] : []),
    ...(item.url ? [{ link: item.url, text: 'Read the paper' }] : []),
  ].filter((p) => p.text !== '')
}

// One line, no declaration: a fragment that goes inside the feed (escaped once more there).
const html = createXmlBuilder()

/** The item as an HTML fragment, every value escaped. */
export function itemHtml(item: FeedItem): string {
  return html.build({
    p: paragraphs(item).map((p) =>
      'link' in p ? { a: { '@_href': p.link, '#text': p.text } } : p.text,
    ),
  })
}

/** The item as plain text, paragraphs apart; links written out. */
export function itemText(item: FeedItem): string {
  return paragraphs(item)
    .map((p) => ('link' in p ? p.link : p.text))
    .join('\n\n')
}
