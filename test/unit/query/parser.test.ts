import { describe, expect, it } from 'vitest'
import {
  MAX_INTEREST_LENGTH,
  parseInterest,
  parseQuery,
  type Query,
} from '../../../services/domain/query/index.js'

function parsed(line: string): Query {
  const result = parseInterest(line)
  if (!result.ok) throw new Error(`expected ${line} to parse, got: ${result.error.message}`)
  return result.query
}

function rejected(line: string): string {
  const result = parseInterest(line)
  if (result.ok) throw new Error(`expected ${line} to be rejected`)
  return result.error.message
}

const term = (word: string): Query => ({ kind: 'term', word })
const phrase = (...words: string[]): Query => ({
  kind: 'phrase',
  words: words.map((w) =>
    w.endsWith('*') ? { text: w.slice(0, -1), prefix: true } : { text: w, prefix: false },
  ),
})
const exact = (...words: string[]): Query => ({ kind: 'exact', words })
const and = (...children: Query[]): Query => ({ kind: 'and', children })
const or = (...children: Query[]): Query => ({ kind: 'or', children })
const not = (child: Query): Query => ({ kind: 'not', child })

describe('the query language as the README tables it', () => {
  it.each<[string, Query]>([
    ['diffusion', term('diffusion')],
    ['reinforcement learning', phrase('reinforcement', 'learning')],
    ['"large language models"', exact('large', 'language', 'models')],
    ['unlearn*', { kind: 'prefix', prefix: 'unlearn' }],
    ['safety AND reasoning', and(term('safety'), term('reasoning'))],
    ['RLHF OR "preference optimization"', or(term('rlhf'), exact('preference', 'optimization'))],
    ['alignment NOT survey', and(term('alignment'), not(term('survey')))],
    ['alignment -survey', and(term('alignment'), not(term('survey')))],
    ['(diffusion OR flow) AND video', and(or(term('diffusion'), term('flow')), term('video'))],
    ['title:guardrail', { kind: 'field', field: 'title', query: term('guardrail') }],
    [
      'abstract:"world model"',
      { kind: 'field', field: 'abstract', query: exact('world', 'model') },
    ],
    ['author:"Yann LeCun"', { kind: 'field', field: 'author', query: exact('yann', 'lecun') }],
    ['author:lecun', { kind: 'field', field: 'author', query: term('lecun') }],
    ['category:cs.LG', { kind: 'category', value: 'cs.lg', prefix: false }],
    ['category:cs.*', { kind: 'category', value: 'cs.', prefix: true }],
  ])('%s', (line, ast) => {
    expect(parsed(line)).toEqual(ast)
  })
})

describe('grammar', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(parsed('a OR b AND c')).toEqual(or(term('a'), and(term('b'), term('c'))))
    expect(parsed('a AND b OR c')).toEqual(or(and(term('a'), term('b')), term('c')))
    expect(parsed('NOT a AND b')).toEqual(and(not(term('a')), term('b')))
    expect(parsed('a AND NOT b OR c')).toEqual(or(and(term('a'), not(term('b'))), term('c')))
    expect(parsed('a OR b -c')).toEqual(or(term('a'), and(term('b'), not(term('c')))))
    expect(parsed('NOT (a OR b) c')).toEqual(and(not(or(term('a'), term('b'))), term('c')))
  })

  it('makes plain words next to each other one key phrase, plurals folded', () => {
    expect(parsed('Large Language Models')).toEqual(phrase('large', 'language', 'model'))
    expect(parsed('reward-free exploration')).toEqual(phrase('reward', 'free', 'exploration'))
    expect(parsed('reinforcement learn*')).toEqual(phrase('reinforcement', 'learn*'))
  })

  it('joins a quoted phrase, a field term or a group to its neighbour by AND', () => {
    expect(parsed('diffusion "video generation"')).toEqual(
      and(term('diffusion'), exact('video', 'generation')),
    )
    expect(parsed('"a" "b"')).toEqual(and(exact('a'), exact('b')))
    expect(parsed('(diffusion OR flow) video')).toEqual(
      and(or(term('diffusion'), term('flow')), term('video')),
    )
    expect(parsed('title:safety alignment')).toEqual(
      and({ kind: 'field', field: 'title', query: term('safety') }, term('alignment')),
    )
    expect(parsed('agents category:cs.AI')).toEqual(
      and(term('agent'), { kind: 'category', value: 'cs.ai', prefix: false }),
    )
  })

  it('reads lower-case and/or/not as plain words', () => {
    expect(parsed('safety and reasoning')).toEqual(phrase('safety', 'and', 'reasoning'))
    expect(parsed('to be or not to be')).toEqual(phrase('to', 'be', 'or', 'not', 'to', 'be'))
    expect(parsed('And')).toEqual(term('and'))
  })

  it('flattens chains and drops redundant brackets', () => {
    expect(parsed('a AND (b AND c)')).toEqual(and(term('a'), term('b'), term('c')))
    expect(parsed('((a OR b) OR c)')).toEqual(or(term('a'), term('b'), term('c')))
    expect(parsed('((diffusion))')).toEqual(term('diffusion'))
  })

  it('cancels double negation', () => {
    expect(parsed('NOT NOT x')).toEqual(term('x'))
    expect(parsed('a --b')).toEqual(and(term('a'), term('b')))
  })

  it('applies a field to a group, a quoted phrase or a prefix', () => {
    expect(parsed('title:(diffusion OR flow)')).toEqual({
      kind: 'field',
      field: 'title',
      query: or(term('diffusion'), term('flow')),
    })
    expect(parsed('title:unlearn*')).toEqual({
      kind: 'field',
      field: 'title',
      query: { kind: 'prefix', prefix: 'unlearn' },
    })
    expect(parsed('TITLE:Guardrails')).toEqual({
      kind: 'field',
      field: 'title',
      query: term('guardrail'),
    })
    expect(parsed('-title:survey agents')).toEqual(
      and(not({ kind: 'field', field: 'title', query: term('survey') }), term('agent')),
    )
  })

  it('keeps plurals in author names', () => {
    expect(parsed('author:Williams')).toEqual({
      kind: 'field',
      field: 'author',
      query: term('williams'),
    })
  })

  it('understands typographic quotes and full-width punctuation', () => {
    expect(parsed('\u201clarge language models\u201d')).toEqual(
      exact('large', 'language', 'models'),
    )
    expect(parsed('title\uff1a\uff08a OR b\uff09')).toEqual({
      kind: 'field',
      field: 'title',
      query: or(term('a'), term('b')),
    })
  })

  it('ignores punctuation between words, like the text of papers', () => {
    expect(parsed('safety , alignment')).toEqual(phrase('safety', 'alignment'))
    expect(parsed('  diffusion  ')).toEqual(term('diffusion'))
  })
})

describe('rejected lines', () => {
  it.each([
    ['', 'empty interest'],
    ['   ', 'empty interest'],
    ['!!! ...', 'no words to search for at 1'],
    ['(diffusion OR flow AND video', 'unbalanced parenthesis at 1'],
    ['diffusion OR flow) AND video', 'unbalanced parenthesis at 18'],
    ['(diffusion OR (flow AND video)', 'unbalanced parenthesis at 1'],
    ['safety AND (reasoning', 'unbalanced parenthesis at 12'],
    ['safety (', 'unbalanced parenthesis at 8'],
    ['safety ()', 'empty parentheses at 8'],
    ['alignment NOT', 'NOT needs something to its right at 11'],
    ['(a OR NOT) b', 'NOT needs something to its right at 7'],
    ['safety AND', 'AND needs something to its right at 8'],
    ['AND safety', 'AND needs something to its left at 1'],
    ['safety OR', 'OR needs something to its right at 8'],
    ['OR safety', 'OR needs something to its left at 1'],
    ['safety OR AND reasoning', 'OR needs something to its right at 8'],
    ['(AND a)', 'AND needs something to its left at 2'],
    ['""', 'empty phrase at 1'],
    ['safety " "', 'empty phrase at 8'],
    ['safety "reasoning', 'unclosed quote at 8'],
    ['foo:bar', 'unknown field "foo" at 1'],
    ['safety Note: this', 'unknown field "Note" at 8'],
    ['title:', 'title: needs a word, a quoted phrase or a group after it at 1'],
    ['a title: OR b', 'title: needs a word, a quoted phrase or a group after it at 3'],
    ['title:-survey', 'put - before the field, as in -title:word at 7'],
    ['title:(abstract:x)', 'a field cannot be used inside another field at 8'],
    ['author:(category:cs.LG)', 'a field cannot be used inside another field at 9'],
    [
      'category:(cs.LG OR cs.AI)',
      'category: needs an arXiv category, as in category:cs.LG or category:cs.* at 10',
    ],
    [
      'category:cs/LG',
      'category: needs an arXiv category, as in category:cs.LG or category:cs.* at 10',
    ],
    ['category:', 'category: needs an arXiv category, as in category:cs.LG or category:cs.* at 1'],
    ['un*learn', '* can only end a word, as in unlearn* at 3'],
    ['safety *', '* needs a word before it, as in unlearn* at 8'],
    ['"unlearn*"', '* does not work inside quotes; write unlearn* outside them at 9'],
    ['alignment - survey', '- must be attached to what it excludes, as in -survey at 11'],
    ['alignment -', '- must be attached to what it excludes, as in -survey at 11'],
    ['alignment -AND x', '- needs something to its right at 11'],
    ['safety | reasoning', 'write OR instead of | at 8'],
    ['safety && reasoning', 'write AND instead of && at 8'],
    ['safety\nreasoning', 'an interest is one line, but this has a line break at 7'],
  ])('%j → %s', (line, message) => {
    expect(rejected(line)).toBe(message)
  })

  it('gives the column and the reason separately too', () => {
    const result = parseInterest('safety AND (reasoning')
    expect(result).toEqual({
      ok: false,
      error: {
        column: 12,
        reason: 'unbalanced parenthesis',
        message: 'unbalanced parenthesis at 12',
      },
    })
  })

  it('counts columns in characters, not UTF-16 units', () => {
    expect(rejected('𝔸𝔹 AND')).toBe('AND needs something to its right at 4')
  })
})

describe('a line must require something', () => {
  it.each([
    ['NOT survey', 'a line must require something; NOT alone excludes only at 1'],
    ['-survey', 'a line must require something; NOT alone excludes only at 1'],
    ['  -survey', 'a line must require something; NOT alone excludes only at 3'],
    ['NOT survey NOT review', 'a line must require something; NOT alone excludes only at 1'],
    ['-survey -review', 'a line must require something; NOT alone excludes only at 1'],
    ['(NOT survey)', 'a line must require something; NOT alone excludes only at 1'],
    ['NOT (a OR b)', 'a line must require something; NOT alone excludes only at 1'],
    ['title:(NOT survey)', 'a line must require something; NOT alone excludes only at 1'],
    ['a OR NOT b', 'each side of OR must require something; NOT alone excludes only at 6'],
    ['-b OR a', 'each side of OR must require something; NOT alone excludes only at 1'],
    ['a OR b OR -c d', 'each side of OR must require something; NOT alone excludes only at 11'],
    ['(a OR NOT b)', 'a line must require something; NOT alone excludes only at 1'],
    // Plain words form one key phrase, so this excludes the phrase "survey alignment".
    ['NOT survey alignment', 'a line must require something; NOT alone excludes only at 1'],
  ])('%s is rejected', (line, message) => {
    expect(rejected(line)).toBe(message)
  })

  it.each([
    'alignment NOT survey',
    'NOT survey AND alignment',
    'a AND (b OR NOT c)',
    'a OR (b -c)',
    'NOT NOT survey',
    '-title:survey agents',
  ])('%s is accepted', (line) => {
    expect(parseInterest(line).ok).toBe(true)
  })
})

describe('line length', () => {
  it(`accepts ${MAX_INTEREST_LENGTH} characters and rejects ${MAX_INTEREST_LENGTH + 1}`, () => {
    expect(MAX_INTEREST_LENGTH).toBe(200)
    expect(parseInterest('a'.repeat(200)).ok).toBe(true)
    expect(parseInterest(`${'ab '.repeat(66)}ab`).ok).toBe(true)
    expect(parseInterest('a'.repeat(201))).toEqual({
      ok: false,
      error: {
        column: 201,
        reason: 'line is longer than 200 characters',
        message: 'line is longer than 200 characters',
      },
    })
  })

  it('does not count trailing spaces, and counts characters, not UTF-16 units', () => {
    expect(parseInterest(`${'a'.repeat(200)}     `).ok).toBe(true)
    expect(parseInterest('𝔸'.repeat(200)).ok).toBe(true)
    expect(parseInterest('𝔸'.repeat(201)).ok).toBe(false)
  })

  it('does not limit parseQuery, which reads canonical text', () => {
    expect(parseQuery('a'.repeat(500)).ok).toBe(true)
  })
})
