// The parsed form of an interest line. Plain JSON (no classes, no positions) so that it can be
// stored, compared with deep equality and sent to workers. Words are stored already
// normalised, in the form they are compared in.

/** A field that restricts the words beneath it. The default is title or abstract. */
export type TextField = 'title' | 'abstract' | 'author'

/** One word of a key phrase; a prefix word (`learn*`) matches any word that starts with it. */
export interface PhraseWord {
  readonly text: string
  readonly prefix: boolean
}

/** `diffusion`: one word, plural folded (in `author:`, not folded). */
export interface TermNode {
  readonly kind: 'term'
  readonly word: string
}

/** `unlearn*`: a word that starts with `prefix` (compared with plural kept and folded). */
export interface PrefixNode {
  readonly kind: 'prefix'
  readonly prefix: string
}

/** `reinforcement learning`: these words next to each other, in order, plurals folded. */
export interface PhraseNode {
  readonly kind: 'phrase'
  readonly words: readonly PhraseWord[]
}

/** `"large language models"`: exactly these words next to each other, plurals not folded. */
export interface ExactNode {
  readonly kind: 'exact'
  readonly words: readonly string[]
}

/** `category:cs.LG` (lower-cased), or `category:cs.*` as the prefix `cs.`. */
export interface CategoryNode {
  readonly kind: 'category'
  readonly value: string
  readonly prefix: boolean
}

/** `title:…`, `abstract:…`, `author:…`; never nested, never around a category. */
export interface FieldNode {
  readonly kind: 'field'
  readonly field: TextField
  readonly query: Query
}

export interface AndNode {
  readonly kind: 'and'
  /** At least two; never directly an `and`. */
  readonly children: readonly Query[]
}

export interface OrNode {
  readonly kind: 'or'
  /** At least two; never directly an `or`. */
  readonly children: readonly Query[]
}

export interface NotNode {
  readonly kind: 'not'
  /** Never directly a `not`: the parser cancels double negation. */
  readonly child: Query
}

export type Query =
  | TermNode
  | PrefixNode
  | PhraseNode
  | ExactNode
  | CategoryNode
  | FieldNode
  | AndNode
  | OrNode
  | NotNode
