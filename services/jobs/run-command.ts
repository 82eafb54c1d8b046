import { deliveryReportFeedback } from '../domain/feedback/delivery-report.js'
import type { CommandJob } from '../queue/queues.js'
import type { IngestSource } from '../sources/ingest-source.js'
import { type IngestDeps, ingest } from '../usecases/ingest.js'
import { runTopicAction, type TopicAdminDeps } from '../usecases/manage-topics.js'
import { type PreviewDeps, previewDigest } from '../usecases/preview-digest.js'
import type { FeedbackDeps } from '../usecases/record-feedback.js'
import { recordMailboxReport } from '../usecases/record-mailbox-report.js'
import { type DigestRunDeps, runDigests } from '../usecases/run-digests.js'
import { resumeSending, type SendingPauseDeps, sendingStatus } from '../usecases/sending-pause.js'

export interface CommandDeps {
  readonly ingest: IngestDeps
  readonly digests: DigestRunDeps
  readonly preview: PreviewDeps
  readonly topics: TopicAdminDeps
  readonly feedback: FeedbackDeps
  readonly sending: SendingPauseDeps
}

/** Runs a CLI command inside the server that holds the embedded database. */
export async function runCommand(job: CommandJob, deps: CommandDeps): Promise<unknown> {
  switch (job.command) {
    case 'ingest': {
      const source: IngestSource =
        job.source.kind === 'body'
          ? {
              kind: 'body',
              body: Buffer.from(job.source.base64, 'base64'),
              label: job.source.label,
            }
          : job.source
      return ingest(source, { deliver: job.deliver }, deps.ingest)
    }
    case 'digest-run':
      return runDigests(deps.digests, { now: job.now, email: job.email })
    case 'preview':
      return previewDigest(deps.preview, job.email)
    case 'topics':
      return runTopicAction(deps.topics, job.action)
    case 'bounces':
      return recordMailboxReport(
        deps.feedback,
        deliveryReportFeedback(Buffer.from(job.base64, 'base64').toString('utf8')),
      )
    case 'sending':
      return job.action === 'resume'
        ? resumeSending(deps.sending, 'the command line')
        : sendingStatus(deps.sending)
  }
}

export function toCommandSource(
  source: IngestSource,
): Extract<CommandJob, { command: 'ingest' }>['source'] {
  return source.kind === 'body'
    ? { kind: 'body', base64: Buffer.from(source.body).toString('base64'), label: source.label }
    : source
}
