import type { Query } from './ast.js'

/**
 * Whether every paper the query matches must contain something, i.e. whether the query could
 * be found through an index of words. `NOT survey` requires nothing (it would match almost
 * every paper), and so does an OR with such a side.
 */
export function requiresSomething(query: Query): boolean {
  switch (query.kind) {
    case 'not':
      return false
    case 'and':
      return query.children.some(requiresSomething)
    case 'or':
      return query.children.every(requiresSomething)
    case 'field':
      return requiresSomething(query.query)
    default:
      return true
  }
}
