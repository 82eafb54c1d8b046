import { describe, expect, it } from 'vitest'
import { normalizeWords, tokenize } from '../../../services/domain/query/index.js'
import { foldPluralLower } from '../../../services/domain/query/plural.js'

describe('normalisation', () => {
  it('splits at anything that is not a letter or digit', () => {
    expect(normalizeWords('reward-free')).toEqual(normalizeWords('reward free'))
    expect(normalizeWords('reward-free')).toEqual(['reward', 'free'])
    expect(normalizeWords('P&L, (LETOR) 8.4% F1')).toEqual(['p', 'l', 'letor', '8', '4', 'f1'])
    expect(normalizeWords('https://github.com/x_y')).toEqual(['https', 'github', 'com', 'x', 'y'])
  })

  it('never finds RL inside URL or world', () => {
    const words = normalizeWords('the URL of the world model')
    expect(words).not.toContain('rl')
    expect(words).toEqual(['the', 'url', 'of', 'the', 'world', 'model'])
  })

  it('case-folds, including the letters whose fold is not their lower case', () => {
    expect(normalizeWords('RLHF Rlhf rlhf')).toEqual(['rlhf', 'rlhf', 'rlhf'])
    expect(normalizeWords('Straße STRASSE')).toEqual(['strasse', 'strasse'])
    expect(normalizeWords('ΣΟΦΟΣ σοφος')).toEqual(['σοφοσ', 'σοφοσ'])
  })

  it('removes diacritics', () => {
    expect(normalizeWords('Schrödinger')).toEqual(['schrodinger'])
    expect(normalizeWords('Raphaël Boglárka naïve café')).toEqual([
      'raphael',
      'boglarka',
      'naive',
      'cafe',
    ])
    expect(normalizeWords('İstanbul')).toEqual(['istanbul'])
    // Decomposed input (e + combining acute) is the same as precomposed.
    expect(normalizeWords('cafe\u0301')).toEqual(['cafe'])
  })

  it('applies NFKC: ligatures, full-width letters, superscripts', () => {
    expect(normalizeWords('ﬁne-tuning')).toEqual(['fine', 'tuning'])
    expect(normalizeWords('ＬＬＭ')).toEqual(['llm'])
    expect(normalizeWords('x²')).toEqual(['x2'])
  })

  it('drops the possessive s instead of making it a word', () => {
    expect(normalizeWords("an LLM's familiarity")).toEqual(['an', 'llm', 'familiarity'])
    expect(normalizeWords('the model\u2019s output')).toEqual(['the', 'model', 'output'])
    expect(normalizeWords("developers' daily routines")).toEqual(['developer', 'daily', 'routine'])
  })

  it('treats each Chinese or Japanese character as a word, since those scripts have no spaces', () => {
    expect(normalizeWords('扩散模型')).toEqual(['扩', '散', '模', '型'])
  })

  it('gives positions, folded and unfolded forms', () => {
    expect(tokenize('Large Language Models')).toEqual([
      { index: 0, word: 'large', exact: 'large' },
      { index: 1, word: 'language', exact: 'language' },
      { index: 2, word: 'model', exact: 'models' },
    ])
    expect(tokenize('')).toEqual([])
    expect(tokenize('—!?')).toEqual([])
  })
})

describe('plural folding', () => {
  const fold = (word: string): string => normalizeWords(word)[0] ?? ''

  it.each([
    ['models', 'model'],
    ['policies', 'policy'],
    ['LLMs', 'llm'],
    ['llms', 'llm'],
    ['boxes', 'box'],
    ['classes', 'class'],
    ['processes', 'process'],
    ['batches', 'batch'],
    ['approaches', 'approach'],
    ['meshes', 'mesh'],
    ['buzzes', 'buzz'],
    ['sizes', 'size'],
    ['cases', 'case'],
    ['phases', 'phase'],
    ['responses', 'response'],
    ['values', 'value'],
    ['images', 'image'],
    ['days', 'day'],
    ['videos', 'video'],
    ['areas', 'area'],
    ['trees', 'tree'],
    ['shoes', 'shoe'],
    ['ties', 'tie'],
    ['studies', 'study'],
    ['capabilities', 'capability'],
    ['analyses', 'analysis'],
    ['hypotheses', 'hypothesis'],
    ['theses', 'thesis'],
    ['biases', 'bias'],
    ['buses', 'bus'],
    ['viruses', 'virus'],
    ['statuses', 'status'],
    ['matrices', 'matrix'],
    ['indices', 'index'],
    ['vertices', 'vertex'],
    ['caches', 'cache'],
    ['movies', 'movie'],
    ['selfies', 'selfie'],
    ['heroes', 'hero'],
    ['diagnoses', 'diagnosis'],
    ['axes', 'axis'],
    ['lenses', 'lens'],
    ['metrics', 'metric'],
    ['topics', 'topic'],
    ['heuristics', 'heuristic'],
    // Acronym plurals, recognised by their capitals or listed.
    ['GPUs', 'gpu'],
    ['gpus', 'gpu'],
    ['APIs', 'api'],
    ['IoUs', 'iou'],
    ['MoEs', 'moe'],
    ['LoRAs', 'lora'],
    ['GAs', 'ga'],
    ['IDs', 'id'],
    ['LMs', 'lm'],
    ['MDPs', 'mdp'],
    ['VAEs', 'vae'],
    ['1990s', '1990'],
  ])('%s → %s', (plural, singular) => {
    expect(fold(plural)).toBe(singular)
  })

  it.each([
    'analysis',
    'bias',
    'process',
    'gas',
    'class',
    'basis',
    'thesis',
    'physics',
    'mathematics',
    'statistics',
    'dynamics',
    'robotics',
    'semantics',
    'series',
    'species',
    'news',
    'always',
    'perhaps',
    'whereas',
    'this',
    'its',
    'is',
    'was',
    'has',
    'his',
    'us',
    'as',
    'yes',
    'thus',
    'versus',
    'corpus',
    'status',
    'focus',
    'various',
    'previous',
    'loss',
    'less',
    'across',
    'lens',
    'chaos',
    'atlas',
    'canvas',
    'alias',
    'diabetes',
    'neurips',
    'fps',
    'gps',
    'rms',
    'rhs',
    's',
  ])('%s stays as it is', (word) => {
    expect(fold(word)).toBe(word)
  })

  it('keeps words that end in s when written in capitals (GPS, RMS), but folds LLMS', () => {
    expect(normalizeWords('GPS RMS NeurIPS LLMS')).toEqual(['gps', 'rms', 'neurips', 'llm'])
  })

  it('does no other stemming', () => {
    expect(fold('risky')).toBe('risky')
    expect(fold('risk')).toBe('risk')
    expect(fold('learning')).toBe('learning')
    expect(fold('aligned')).toBe('aligned')
  })

  it('is idempotent', () => {
    for (const word of ['classes', 'analyses', 'axes', 'policies', 'gpus', 'abcss', 'sss']) {
      const once = foldPluralLower(word)
      expect(foldPluralLower(once)).toBe(once)
    }
  })
})
