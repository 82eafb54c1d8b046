import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'

export interface ReceivedMail {
  readonly envelopeTo: string[]
  readonly raw: Buffer
  readonly parsed: ParsedMail
}

export interface TestSmtpServer {
  readonly url: string
  readonly received: ReceivedMail[]
  /** Decides the reply to each RCPT TO: undefined accepts, a [code, text] pair refuses. */
  rejectRecipient: ((address: string) => [number, string] | undefined) | undefined
  /** Resolves once `count` messages in all have arrived, or fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>
  to(address: string): ReceivedMail[]
  close(): Promise<void>
}

/** A real SMTP server in the test process; what the app sends is read back with mailparser. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = []
  const waiters: (() => void)[] = []
  const state: TestSmtpServer = {
    url: '',
    received,
    rejectRecipient: undefined,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} message(s) within ${timeoutMs} ms, got ${received.length}`,
          )
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 100)
        })
      }
      return received
    },
    to(address) {
      return received.filter((m) => m.envelopeTo.includes(address.toLowerCase()))
    },
    close: async () => {},
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = state.rejectRecipient?.(address.address)
      if (!refusal) return callback()
      const error = new Error(refusal[1]) as Error & { responseCode: number }
      error.responseCode = refusal[0]
      return callback(error)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks)
        received.push({
          envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          parsed: await simpleParser(raw),
        })
        for (const wake of waiters.splice(0)) wake()
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}
