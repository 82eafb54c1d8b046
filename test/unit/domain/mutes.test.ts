import { describe, expect, it } from 'vitest'
import {
  authorTerms,
  checkMuteLines,
  MAX_MUTES,
  muteClause,
  muteFilter,
  muteLines,
} from '../../../services/domain/mutes.js'
import {
  proposedInterest,
  type TriagePaper,
  wordSuggestions,
} from '../../../services/domain/triage.js'

const paper: TriagePaper = {
  id: '2606.00001',
  title: 'Latent diffusion models for protein folding',
  abstract: 'We apply score based diffusion to protein structure prediction.',
  authors: ['Jane Doe', 'LeCun, Yann', 'Ann "The Hammer" Lee'],
  categories: ['q-bio.BM'],
  aiKeywords: ['protein folding', 'graph neural networks'],
  matchedWords: ['diffusion'],
}

describe('muted terms', () => {
  it('mutes a paper when any term matches it: NOT (term1 OR term2)', () => {
    expect(muteFilter(['author:"Jane Doe"'])(paper)).toBe(true)
    expect(muteFilter(['robotics', 'category:q-bio.*'])(paper)).toBe(true)
    expect(muteFilter(['robotics', 'author:"John Roe"'])(paper)).toBe(false)
    expect(muteFilter([])(paper)).toBe(false)
  })

  it('offers one term per author that really matches the paper, quotes in a name made spaces', () => {
    expect(authorTerms(paper)).toEqual([
      { name: 'Jane Doe', term: 'author:"Jane Doe"' },
      { name: 'LeCun, Yann', term: 'author:"LeCun, Yann"' },
      { name: 'Ann "The Hammer" Lee', term: 'author:"Ann The Hammer Lee"' },
    ])
  })

  it('checks the preference centre box line by line, counting blank lines, saying which and why', () => {
    const lines = muteLines('NOT author:"Jane Doe"\n\nNOT "unclosed\nrobotics AND\n')
    expect(lines).toEqual(['author:"Jane Doe"', '', '"unclosed', 'robotics AND'])
    const checked = checkMuteLines(lines)
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.error).toBe(
      'line 3: unclosed quote at 1; line 4: AND needs something to its right at 10',
    )
    expect(checkMuteLines(['diffusion', 'diffusion', ''])).toEqual({
      ok: true,
      terms: ['diffusion'],
    })
    const many = Array.from({ length: MAX_MUTES + 1 }, (_, i) => `word${i}`)
    expect(checkMuteLines(many)).toEqual({
      ok: false,
      error: `at most ${MAX_MUTES} muted terms (got ${MAX_MUTES + 1})`,
    })
  })

  it('writes each term as its NOT clause, bracketing an AND or OR', () => {
    expect(muteClause('diffusion')).toBe('NOT diffusion')
    expect(muteClause('a OR b')).toBe('NOT (a OR b)')
    expect(muteLines(muteClause('a OR b'))).toEqual(['(a OR b)'])
  })
})

describe('triage proposals', () => {
  it('"more like this" prefers a matched phrase, then a keyword in the text, then the category', () => {
    expect(proposedInterest({ ...paper, matchedWords: ['diffusion', 'diffusion models'] })).toBe(
      'diffusion models',
    )
    expect(proposedInterest(paper)).toBe('protein folding')
    expect(proposedInterest({ ...paper, aiKeywords: [] })).toBe('category:q-bio.BM')
  })

  it('"mute this word" offers matched words and the keywords the paper really has', () => {
    expect(wordSuggestions(paper)).toEqual(['diffusion', 'protein folding'])
  })
})
