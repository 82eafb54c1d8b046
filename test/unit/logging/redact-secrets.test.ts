import { describe, expect, it } from 'vitest'
import { redactSecrets, redactSecretsDeep } from '../../../services/logging/redact-secrets.js'

describe('redactSecrets', () => {
  it.each([
    ['/preferences?token=abc.DEF-12_3', '/preferences?token=[redacted]'],
    ['/digests/12?token=abc.def&x=1', '/digests/12?token=[redacted]&x=1'],
    ['/p?x=1&Token=abc#frag', '/p?x=1&Token=[redacted]#frag'],
    [
      '/x?access_token=a&api_key=b&client_secret=c',
      '/x?access_token=[redacted]&api_key=[redacted]&client_secret=[redacted]',
    ],
    ['GET /unsubscribe?token=abc failed', 'GET /unsubscribe?token=[redacted] failed'],
    ['"/confirm?token=abc"', '"/confirm?token=[redacted]"'],
    [
      '/?next=%2Fpreferences%3Ftoken%3Dabc.def%26lang%3Den',
      '/?next=%2Fpreferences%3Ftoken%3D[redacted]%26lang%3Den',
    ],
    ['/feeds/ZmVlZC4xLjEuMA.abc-_x.atom', '/feeds/[redacted].atom'],
    ['/feeds/ZmVlZC4xLjEuMA.abc-_x.json?x=1', '/feeds/[redacted].json?x=1'],
    ['/feeds/ZmVlZC4xLjEuMA.abc-_x', '/feeds/[redacted]'],
    [
      'GET https://p.example/FEEDS/a.b.rss failed',
      'GET https://p.example/FEEDS/[redacted].rss failed',
    ],
    ['/feeds/a.b.c.d/more', '/feeds/[redacted]/more'],
    ['/?next=%2Ffeeds%2Fa.b.atom&x=1', '/?next=%2Ffeeds%2F[redacted]&x=1'],
    ['redis://user:hunter2@127.0.0.1:6379/0', 'redis://user:[redacted]@127.0.0.1:6379/0'],
    ['smtp://:p%40ss@mail.example:587', 'smtp://:[redacted]@mail.example:587'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })

  it('leaves text without credentials alone', () => {
    for (const text of [
      '/digests/12',
      '/api/papers?since=2026-01-01&limit=5',
      'http://localhost:3000/',
      'tokens=3 words',
      'no /feeds/ here',
    ]) {
      expect(redactSecrets(text)).toBe(text)
    }
  })

  it('reaches every string of a serialized error', () => {
    expect(
      redactSecretsDeep({
        message: 'at /p?token=a',
        stack: 'Error: /p?token=a\n at x',
        code: 7,
        cause: { message: '/q?token=b' },
      }),
    ).toEqual({
      message: 'at /p?token=[redacted]',
      stack: 'Error: /p?token=[redacted]\n at x',
      code: 7,
      cause: { message: '/q?token=[redacted]' },
    })
  })
})
