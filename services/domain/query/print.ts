import type { PhraseWord, Query } from './ast.js'

// The canonical text of a query: explicit AND/OR/NOT in capitals, normalised words, brackets
// only where precedence needs them. Parsing it gives back the same AST, so it can be shown to
// the subscriber as "what we understood" and used to spot duplicate interests.

const word = (w: PhraseWord): string => (w.prefix ? `${w.text}*` : w.text)

/** Whether `query` can stand as the operand of a field without brackets. */
function isAtom(query: Query): boolean {
  return query.kind === 'term' || query.kind === 'prefix' || query.kind === 'exact'
}

function printNode(query: Query): string {
  switch (query.kind) {
    case 'term':
      return query.word
    case 'prefix':
      return `${query.prefix}*`
    case 'phrase':
      return query.words.map(word).join(' ')
    case 'exact':
      return `"${query.words.join(' ')}"`
    case 'category':
      return `category:${query.value}${query.prefix ? '*' : ''}`
    case 'field':
      // A field takes one word, so a key phrase under it needs brackets too.
      return isAtom(query.query)
        ? `${query.field}:${printNode(query.query)}`
        : `${query.field}:(${printNode(query.query)})`
    case 'not': {
      const child = query.child
      const bare = child.kind !== 'and' && child.kind !== 'or' && child.kind !== 'not'
      return bare ? `NOT ${printNode(child)}` : `NOT (${printNode(child)})`
    }
    case 'and':
      return query.children
        .map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${printNode(c)})` : printNode(c)))
        .join(' AND ')
    case 'or':
      return query.children
        .map((c) => (c.kind === 'or' ? `(${printNode(c)})` : printNode(c)))
        .join(' OR ')
    default:
      return ''
  }
}

/** Prints a query in canonical form; `parseInterest(printQuery(q))` gives `q` back. */
export function printQuery(query: Query): string {
  return printNode(query)
}
