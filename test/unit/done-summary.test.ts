import { describe, expect, it } from 'vitest'
import { describeSummary } from '../../services/cli/digest.js'

describe('the `done:` line of digest run --wait', () => {
  it('always names sent and failed, with any other result between them', () => {
    expect(describeSummary({ results: {}, failed: [] })).toBe('0 sent, 0 failed')
    expect(describeSummary({ results: { empty: 1, sent: 2 }, failed: ['digest-1-x: boom'] })).toBe(
      '2 sent, 1 empty, 1 failed',
    )
    expect(describeSummary({ results: { uncertain: 1 }, failed: [] })).toBe(
      '0 sent, 1 uncertain, 0 failed',
    )
  })
})
