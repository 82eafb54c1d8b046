import { describe, expect, it } from 'vitest'
import { checkPreferences } from '../../../services/domain/preferences.js'

const topics = new Set(['ai-safety', 'trending'])

describe('checkPreferences', () => {
  it('keeps each interest line and topic once, in the order first given', () => {
    const checked = checkPreferences(
      {
        interests: ['diffusion', ' agents ', 'diffusion', 'agents'],
        topics: ['trending', 'ai-safety', 'trending'],
      },
      topics,
    )
    expect(checked.ok && checked.value.interests).toEqual(['diffusion', 'agents'])
    expect(checked.ok && checked.value.topics).toEqual(['trending', 'ai-safety'])
  })

  it('says which line is wrong and why, and which topic is unknown', () => {
    const checked = checkPreferences(
      { interests: ['fine', 'safety AND (reasoning'], topics: ['nope'] },
      topics,
    )
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.errors.interests).toMatch(/^line 2: .*parenthes.* at \d+/)
    expect(checked.errors.topics).toBe('unknown topic(s): nope')
  })
})
