import type { AddressInfo, Socket } from 'node:net'
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server'

/** One message the server accepted (replied 250 to), read from its text part. */
export interface Accepted {
  readonly to: string
  readonly subject: string
  readonly text: string
}

/** What the server does with a message's DATA. */
export type DataFault =
  | { kind: 'accept' }
  /** Replies `code text` after reading it: nothing is delivered. */
  | { kind: 'refuse'; code: number; text: string }
  /** Cuts the connection before replying: nothing is delivered. */
  | { kind: 'drop' }
  /** Holds the reply until release(); a message whose connection died meanwhile is not delivered. */
  | { kind: 'stall' }

export interface FaultySmtp {
  readonly url: string
  readonly accepted: Accepted[]
  /** RCPT TO attempts per address, refused or not. */
  readonly attempts: Map<string, number>
  /** How many DATA replies are being held right now. */
  stalled(): number
  onRcpt: (address: string) => [number, string] | undefined
  onData: (to: string) => DataFault
  /** Replies 250 to every held message whose client is still connected. */
  release(): void
  close(): Promise<void>
}

/**
 * An SMTP server that misbehaves on demand: temporary and permanent refusals, dropped
 * connections, and replies held back while the test kills the sender. Only a message answered
 * 250 counts as delivered, as with a real server that had not committed it yet.
 */
export async function startFaultySmtp(): Promise<FaultySmtp> {
  const accepted: Accepted[] = []
  const attempts = new Map<string, number>()
  const held: { socket: Socket | undefined; reply: () => void }[] = []
  const sockets = new Map<string, Socket>()
  const state: FaultySmtp = {
    url: '',
    accepted,
    attempts,
    stalled: () => held.length,
    onRcpt: () => undefined,
    onData: () => ({ kind: 'accept' }),
    release() {
      for (const message of held.splice(0)) message.reply()
    },
    close: async () => {},
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const to = address.address.toLowerCase()
      attempts.set(to, (attempts.get(to) ?? 0) + 1)
      const refusal = state.onRcpt(to)
      if (!refusal) return callback()
      return callback(Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }))
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = []
      const to = session.envelope.rcptTo[0]?.address.toLowerCase() ?? ''
      const fault = state.onData(to)
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const socket = sockets.get(`${session.remoteAddress}:${session.remotePort}`)
        const deliver = () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          accepted.push({ to, subject: headerOf(raw, 'Subject'), text: raw })
          callback()
        }
        if (fault.kind === 'refuse') {
          return callback(Object.assign(new Error(fault.text), { responseCode: fault.code }))
        }
        if (fault.kind === 'drop') {
          socket?.destroy()
          return
        }
        if (fault.kind === 'stall') {
          held.push({
            socket,
            reply: () => {
              if (socket && !socket.destroyed) deliver()
            },
          })
          return
        }
        deliver()
      })
    },
  })
  // smtp-server keeps each client's socket on its connection; a fault needs it to cut one.
  server.server.on('connection', (socket: Socket) => {
    // A sender SIGKILLed mid-conversation resets its connection: expected here.
    socket.on('error', () => undefined)
    const key = `${socket.remoteAddress}:${socket.remotePort}`
    socket.once('close', () => sockets.delete(key))
    sockets.set(key, socket)
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.values()) socket.destroy()
        server.close(() => resolve())
      }),
  })
}

function headerOf(raw: string, name: string): string {
  const match = new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)
  return match?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? ''
}
