import * as json from './json-fields.js'
import { type FeedbackEvent, type FeedbackKind, shortDetail } from './types.js'

// Postmark's bounce types that mean the address will never take mail.
const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated'])
// Bounce types that are an ISP's spam report rather than a delivery failure.
const COMPLAINT = new Set(['SpamNotification', 'SpamComplaint'])

/**
 * One Postmark webhook delivery: a `Bounce` (HardBounce and BadEmailAddress are hard, or any
 * bounce after which Postmark made the address `Inactive`; SpamNotification counts as a
 * complaint; the rest are soft) or a `SpamComplaint`. Other record types carry nothing here.
 */
export function postmarkFeedback(body: unknown): FeedbackEvent[] {
  const hook = json.record(body, 'the body')
  const recordType = hook.RecordType
  if (recordType !== 'Bounce' && recordType !== 'SpamComplaint') return []
  const type = typeof hook.Type === 'string' ? hook.Type : String(recordType)
  const kind: FeedbackKind =
    recordType === 'SpamComplaint' || COMPLAINT.has(type)
      ? 'complaint'
      : HARD.has(type) || hook.Inactive === true
        ? 'hard_bounce'
        : 'soft_bounce'
  const description = typeof hook.Description === 'string' ? hook.Description : ''
  return [
    {
      provider: 'postmark',
      kind,
      email: json.text(hook.Email, 'Email'),
      detail: shortDetail(`${type} ${description}`),
    },
  ]
}
