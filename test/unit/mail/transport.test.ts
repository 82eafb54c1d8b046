import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { classifySendError } from '../../../services/mail/smtp-errors.js'
import { createMailer } from '../../../services/mail/transport.js'

describe('the dev outbox mailer', () => {
  it('keeps each message as the .eml an SMTP server would have received, DKIM-signed when configured', async () => {
    const outboxDir = await mkdtemp(join(tmpdir(), 'paperboy-outbox-'))
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const mailer = createMailer({
      smtpUrl: undefined,
      outboxDir,
      dkim: {
        domainName: 'papers.example.org',
        keySelector: 'pb2026',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    })
    expect(mailer.kind).toBe('outbox')
    await mailer.send({
      from: 'Paperboy <digest@papers.example.org>',
      to: 'ada@example.org',
      subject: 'Hello',
      text: 'Hi',
    })
    const files = (await readdir(outboxDir)).filter((f) => f.endsWith('.eml'))
    expect(files).toHaveLength(1)
    const raw = await readFile(join(outboxDir, files[0] ?? ''))
    expect(raw.toString()).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=papers\.example\.org;/m,
    )
    expect(raw.toString()).toContain('s=pb2026')
    const parsed = await simpleParser(raw)
    expect(parsed.subject).toBe('Hello')
    expect(parsed.text?.trim()).toBe('Hi')
  })
})

describe('classifySendError', () => {
  it('treats a 5xx to the recipient or the message as a bounce', () => {
    expect(
      classifySendError({
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 5.1.1 no such user',
      }),
    ).toEqual({
      kind: 'bounce',
      reason: '550 5.1.1 no such user',
    })
    expect(
      classifySendError({ responseCode: 554, command: 'DATA', response: '554 rejected' }).kind,
    ).toBe('bounce')
  })

  it('retries 4xx, dropped connections and our own configuration problems', () => {
    expect(
      classifySendError({ responseCode: 451, command: 'RCPT TO', response: '451 greylisted' }).kind,
    ).toBe('transient')
    expect(
      classifySendError({ responseCode: 421, command: 'CONN', response: '421 busy' }).kind,
    ).toBe('transient')
    expect(classifySendError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).kind).toBe(
      'transient',
    )
    // A wrong SMTP password is the operator's to fix; the subscriber's address is fine.
    expect(
      classifySendError({
        responseCode: 535,
        command: 'AUTH PLAIN',
        response: '535 bad credentials',
      }).kind,
    ).toBe('transient')
  })
})
