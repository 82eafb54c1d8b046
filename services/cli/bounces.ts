import { loadConfig } from '../config.js'
import { describeComplaintRate } from '../domain/feedback/complaint-rate.js'
import { UnreadableReportError } from '../domain/feedback/types.js'
import type { MailboxFeedbackReport } from '../usecases/record-mailbox-report.js'
import { type CliIo, parse, UsageError } from './args.js'
import { openCliContext } from './context.js'
import { parseTimeout } from './deadline.js'
import { readInputFile } from './read-input.js'

export const BOUNCES_USAGE = `Usage: paperboy bounces --file PATH    (--file - reads standard input)

Records the bounces or complaint in one message received by mail: an RFC 3464 delivery
status notification (multipart/report; report-type=delivery-status) or an RFC 5965 abuse
report (report-type=feedback-report). A hard bounce (Action: failed, Status 5.x.x) stops all
mail to the address; a complaint unsubscribes it; a soft bounce is only counted. A report is
believed only when the message it quotes carries the Message-ID of a digest Paperboy sent to
that address; any other is ignored, and the line says why. From a mail filter, pipe each
message in: | paperboy bounces --file -

Exit status: 0 when read (reports ignored included), 1 when the message is no delivery report
(nothing recorded).`

export async function bouncesCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { file: { type: 'string' }, timeout: { type: 'string' } })
  if (values.help) {
    io.out(BOUNCES_USAGE)
    return 0
  }
  if (!values.file) throw new UsageError('bounces needs --file PATH (or --file - for stdin)')
  const raw = await readInputFile(values.file)
  const context = await openCliContext(loadConfig(), {
    command: 'bounces',
    deadline: parseTimeout(values.timeout),
    notice: (line) => io.err(line),
  })
  try {
    io.out(
      `${values.file === '-' ? 'stdin' : values.file}: ${describeReport(await context.recordReport(raw))}`,
    )
    return 0
  } catch (error) {
    if (error instanceof UnreadableReportError) throw new UsageError(error.message, 1)
    throw error
  } finally {
    await context.close()
  }
}

/**
 * `1 hard bounce(s), 0 soft bounce(s), 0 complaint(s); 1 address(es) suppressed, 0 not
 * subscribed`, then the reports ignored and why.
 */
export function describeReport(report: MailboxFeedbackReport): string {
  const line = `${report.hardBounces} hard bounce(s), ${report.softBounces} soft bounce(s), ${report.complaints} complaint(s); ${report.suppressed} address(es) suppressed, ${report.unknown} not subscribed`
  const ignored =
    report.ignored.length > 0
      ? `${line}; ${report.ignored.length} ignored (${[...new Set(report.ignored)].join('; ')})`
      : line
  return report.paused ? `${ignored}; digest sending is paused (paperboy sending status)` : ignored
}

export const SENDING_USAGE = `Usage: paperboy sending status | paperboy sending resume

status  whether digests are paused because the complaint rate passed COMPLAINT_RATE_THRESHOLD,
        and the rate as of the last complaint
resume  lift the pause: the digests held back are sent, each once`

export async function sendingCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args
  if (action === undefined || action === '-h' || action === '--help') {
    io.out(SENDING_USAGE)
    return action === undefined ? 2 : 0
  }
  if (action !== 'status' && action !== 'resume')
    throw new UsageError(`unknown sending command "${action}" (try: paperboy sending --help)`)
  const { values } = parse(rest, { timeout: { type: 'string' } })
  if (values.help) {
    io.out(SENDING_USAGE)
    return 0
  }
  const config = loadConfig()
  const context = await openCliContext(config, {
    command: `sending ${action}`,
    deadline: parseTimeout(values.timeout),
    notice: (line) => io.err(line),
  })
  try {
    if (action === 'resume') {
      const { wasPaused, released } = await context.resumeSending()
      io.out(
        wasPaused
          ? `sending resumed; ${released} held digest(s) released`
          : `sending was not paused; ${released} held digest(s) released`,
      )
      return 0
    }
    const status = await context.sendingStatus()
    const figures = describeComplaintRate({ ...status, overThreshold: false }, config.complaints)
    io.out(
      status.paused
        ? `sending: paused since ${status.changedAt?.toISOString() ?? '?'} (${status.reason ?? 'no reason recorded'})`
        : `sending: on; as of the last complaint, ${figures}`,
    )
    return 0
  } finally {
    await context.close()
  }
}
