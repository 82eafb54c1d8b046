// The text SNS signs, as Amazon documents it: chosen fields, in this order, each as its name,
// a newline, its value and a newline; Subject only when the message has one.
const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
const CONFIRMATION_FIELDS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
]

export function snsStringToSign(envelope: Record<string, unknown>): string {
  const fields = envelope.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS
  return fields
    .filter((name) => typeof envelope[name] === 'string')
    .map((name) => `${name}\n${envelope[name] as string}\n`)
    .join('')
}

/** SignatureVersion 1 is RSA with SHA-1, 2 with SHA-256; anything else is refused. */
export function snsDigestOf(envelope: Record<string, unknown>): 'sha1' | 'sha256' | undefined {
  return envelope.SignatureVersion === '1'
    ? 'sha1'
    : envelope.SignatureVersion === '2'
      ? 'sha256'
      : undefined
}
