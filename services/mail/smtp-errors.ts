/**
 * How a failed send is treated. A 5xx reply to the recipient or the message is the
 * receiving server saying "never": retrying only hurts the sender's reputation, so the
 * address is marked bounced. Everything else (4xx greylisting, 421/454, timeouts, refused
 * connections, and 5xx to our own login or sender, which an operator must fix) is retried.
 */
export type SendFailure = { kind: 'bounce'; reason: string } | { kind: 'transient'; reason: string }

const RECIPIENT_COMMANDS = new Set(['RCPT TO', 'DATA'])

export function classifySendError(error: unknown): SendFailure {
  const detail = error as {
    responseCode?: unknown
    response?: unknown
    command?: unknown
    message?: unknown
  }
  const code = typeof detail.responseCode === 'number' ? detail.responseCode : undefined
  const reason = String(detail.response ?? detail.message ?? error).slice(0, 500)
  const aboutRecipient =
    typeof detail.command === 'string' && RECIPIENT_COMMANDS.has(detail.command)
  if (code !== undefined && code >= 500 && code < 600 && aboutRecipient)
    return { kind: 'bounce', reason }
  return { kind: 'transient', reason }
}
