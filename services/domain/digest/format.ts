import type { RenderedPaper } from './types.js'

// Wording shared by the email (HTML and text) and the web view, so they describe a paper alike.

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** "Ada Lovelace, Alan Turing · ▲ 12 upvotes"; zero or unknown upvotes say nothing. */
export function paperMeta(paper: RenderedPaper): string {
  const upvotes = paper.upvotes ? `▲ ${plural(paper.upvotes, 'upvote')}` : ''
  return [paper.authors, upvotes].filter((part) => part !== '').join(' · ')
}

/** "diffusion · AI safety & alignment": what matched, best first. */
export function paperWhy(paper: RenderedPaper): string {
  return paper.why.join(' · ')
}

export { plural }
