import { describe, expect, it } from 'vitest'
import { parseDate } from '../../../services/sources/dates.js'

function iso(raw: string): string {
  const result = parseDate(raw, 'publishedAt')
  if (!result.ok) throw new Error(result.reason)
  return result.date.toISOString()
}

describe('parseDate', () => {
  it.each([
    ['2026-06-11T17:59:49Z', '2026-06-11T17:59:49.000Z'],
    ['2026-05-30T00:00:00.000Z', '2026-05-30T00:00:00.000Z'],
    ['2016-10-09T00:00:00-04:00', '2016-10-09T04:00:00.000Z'],
    ['2025-09-20', '2025-09-20T00:00:00.000Z'],
    // No offset means UTC, whatever TZ the server runs in.
    ['2025-09-20T08:30:00', '2025-09-20T08:30:00.000Z'],
    ['2025-09-20 08:30', '2025-09-20T08:30:00.000Z'],
    ['2024-02-29T12:00:00+0530', '2024-02-29T06:30:00.000Z'],
    ['Mon, 27 Apr 2026 00:00:00 -0400', '2026-04-27T04:00:00.000Z'],
    ['Mon, 27 Apr 2026 04:00:00 +0000', '2026-04-27T04:00:00.000Z'],
    ['27 Apr 2026 04:00 GMT', '2026-04-27T04:00:00.000Z'],
    ['Tue, 27 Apr 26 00:00:00 EDT', '2026-04-27T04:00:00.000Z'],
  ])('%s', (raw, expected) => {
    expect(iso(raw)).toBe(expected)
  })

  it.each([
    'yesterday',
    '2026-02-30',
    '2026-13-01T00:00:00Z',
    '2026-06-11T24:00:00Z',
    '2026-06-11T12:00:00+25:00',
    '1717171717',
    'Mon, 31 Foo 2026 00:00:00 GMT',
    '',
  ])('rejects %j with the field name', (raw) => {
    const result = parseDate(raw, 'publishedAt')
    expect(result).toEqual({
      ok: false,
      reason: `publishedAt is not a valid date: ${JSON.stringify(raw)}`,
    })
  })
})
