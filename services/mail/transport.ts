import { randomUUID } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer/index.js'

export type OutgoingMessage = Mail.Options

/** Where mail goes: a real SMTP server, or the dev outbox when SMTP_URL is unset. */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox'
  send(message: OutgoingMessage): Promise<{ messageId: string; response: string }>
  close(): void
}

/**
 * Every part goes out quoted-printable. Our HTML and text are mostly Latin (markup, English
 * titles), which QP keeps nearly as is; left to choose, Nodemailer would count the characters
 * of every part of every message to decide the same thing.
 */
export const MAIL_TEXT_ENCODING = 'quoted-printable'

export interface MailerOptions {
  readonly smtpUrl: string | undefined
  readonly outboxDir: string
  readonly dkim?: { domainName: string; keySelector: string; privateKey: string } | undefined
}

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl
    ? smtpMailer(options.smtpUrl, options.dkim)
    : outboxMailer(options.outboxDir, options.dkim)
}

function smtpMailer(url: string, dkim: MailerOptions['dkim']): Mailer {
  // Pooled: opening a connection per message costs a TCP and TLS handshake and the server's greeting delay.
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 5,
    maxMessages: 1_000,
    ...(dkim ? { dkim } : {}),
  })
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transport.sendMail({ textEncoding: MAIL_TEXT_ENCODING, ...message })
      return { messageId: info.messageId, response: info.response }
    },
    close() {
      transport.close()
    },
  }
}

/** Builds the exact bytes an SMTP server would receive and keeps them as .eml files. */
function outboxMailer(dir: string, dkim: MailerOptions['dkim']): Mailer {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
    ...(dkim ? { dkim } : {}),
  })
  return {
    kind: 'outbox',
    async send(message) {
      const info = await transport.sendMail({ textEncoding: MAIL_TEXT_ENCODING, ...message })
      await mkdir(dir, { recursive: true })
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`
      // Written under a temporary name first so /dev/outbox never lists half a message.
      const temporary = join(dir, `.${name}.tmp`)
      await writeFile(temporary, info.message as Buffer)
      await rename(temporary, join(dir, name))
      return { messageId: info.messageId, response: `stored ${name}` }
    },
    close() {},
  }
}
