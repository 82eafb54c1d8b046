import type { IncomingPaper, SourceName } from '../domain/papers/incoming.js'

/** One item of a body that could not be used, with a reason a person can act on. */
export interface RejectedItem {
  /** 0-based position of the item in the body (entry, item, or `papers[]` element). */
  index: number
  id?: string
  reason: string
}

export interface ParseOutcome {
  format: SourceName
  papers: IncomingPaper[]
  rejected: RejectedItem[]
}

/** The whole body is unusable (malformed XML/JSON, wrong format, too big): nothing was parsed. */
export class UnreadableInputError extends Error {
  override name = 'UnreadableInputError'
}
