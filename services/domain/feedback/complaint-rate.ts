/**
 * When complaints are too many for the mail sent. Gmail's bulk-sender rule asks to stay under
 * 0.1 % and never reach 0.3 % (complaints over messages delivered): past the threshold digests
 * stop until an operator has looked. A few complaints over a handful of sends say nothing, so
 * nothing pauses below a minimum number of digests sent in the window.
 */
export interface ComplaintPolicy {
  /** A fraction: 0.003 is 0.3 %. */
  readonly threshold: number
  /** Digests sent in the window below which the rate is not judged. */
  readonly minSent: number
  /** How far back complaints and sends are counted. */
  readonly windowDays: number
}

export interface ComplaintCounts {
  readonly complaints: number
  readonly sent: number
}

export interface ComplaintVerdict extends ComplaintCounts {
  /** complaints / sent; 0 when nothing was sent. */
  readonly rate: number
  readonly overThreshold: boolean
}

export function judgeComplaintRate(
  counts: ComplaintCounts,
  policy: ComplaintPolicy,
): ComplaintVerdict {
  const rate = counts.sent > 0 ? counts.complaints / counts.sent : 0
  const overThreshold = counts.sent >= policy.minSent && rate > policy.threshold
  return { ...counts, rate, overThreshold }
}

/** `3 complaints / 250 digests sent = 1.2 % over the last 7 days (threshold 0.3 %)`. */
export function describeComplaintRate(verdict: ComplaintVerdict, policy: ComplaintPolicy): string {
  return `${verdict.complaints} complaint(s) / ${verdict.sent} digest(s) sent = ${percent(verdict.rate)} over the last ${policy.windowDays} days (threshold ${percent(policy.threshold)}, judged from ${policy.minSent} sent)`
}

export const percent = (fraction: number) => `${Number((fraction * 100).toFixed(3))} %`
