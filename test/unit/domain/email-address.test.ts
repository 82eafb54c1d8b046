import { describe, expect, it } from 'vitest'
import { normalizeEmailAddress } from '../../../services/domain/email-address.js'

describe('normalizeEmailAddress', () => {
  it.each([
    ['  Ada@Example.ORG ', 'Ada@example.org'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['user@BÜCHER.de', 'user@xn--bcher-kva.de'],
    ['user@例え.jp', 'user@xn--r8jz45g.jp'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeEmailAddress(input)).toEqual({ ok: true, address: expected })
  })

  it.each([
    ['', /required/],
    ['a@example.com\r\nBcc: x@example.com', /line breaks/],
    ['a\u2028b@example.com', /line breaks/],
    ['plainaddress', /name@example/],
    ['@example.com', /name@example/],
    ['a@', /name@example/],
    [`${'a'.repeat(65)}@example.com`, /64/],
    ['.a@example.com', /not valid/],
    ['a..b@example.com', /not valid/],
    ['"quoted"@example.com', /not valid/],
    ['josé@example.com', /ASCII/],
    ['a@-example.com', /domain/],
    ['a@example', /domain/],
    ['a@example.c0m', /top-level/],
    [`a@${'b'.repeat(64)}.com`, /domain/],
    [`a@${Array.from({ length: 5 }, () => 'c'.repeat(60)).join('.')}.com`, /254/],
  ])('refuses %j', (input, reason) => {
    const result = normalizeEmailAddress(input)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(reason)
  })
})
