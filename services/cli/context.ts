import { type Job, type Processor, QueueEvents, type Worker } from 'bullmq'
import { buildServices } from '../build-services.js'
import type { Config } from '../config.js'
import { matchPapersJob } from '../jobs/match-papers.js'
import { processMailJob } from '../jobs/process-mail-job.js'
import { runCommand, toCommandSource } from '../jobs/run-command.js'
import { createLogger } from '../logger.js'
import { type CommandJob, QUEUE } from '../queue/queues.js'
import type { IngestSource } from '../sources/ingest-source.js'
import type { IngestReport } from '../usecases/ingest.js'
import type { TopicAction, TopicActionResult } from '../usecases/manage-topics.js'
import type { DigestPreview } from '../usecases/preview-digest.js'
import type { MailboxFeedbackReport } from '../usecases/record-mailbox-report.js'
import type { SendingStatus } from '../usecases/sending-pause.js'
import { startWorker } from '../workers/start-worker.js'
import type { Deadline } from './deadline.js'
import { queueTargetOf } from './queue-target.js'
import { type JobSummary, waitForJobs } from './wait-for-jobs.js'

export type { JobSummary }

export type IngestOutcome = IngestReport & { matchJobId: string | undefined }
type Progress = (message: string) => void

export interface CliOptions {
  /** The command, as named to another process that finds DATA_DIR held: `ingest`. */
  readonly command: string
  /** When waiting for the server or for jobs gives up. */
  readonly deadline: Deadline
  /** Diagnostics for stderr. */
  readonly notice: (line: string) => void
  readonly env?: NodeJS.ProcessEnv
}

/**
 * Where a CLI command does its work: against the database itself, or, while `paperboy serve`
 * holds the embedded database, inside that server (through a job), since no second process
 * may open it.
 */
export interface CliContext {
  readonly mode: 'direct' | 'via-server'
  ingest(
    source: IngestSource,
    options: { deliver: boolean },
    progress: Progress,
  ): Promise<IngestOutcome>
  runDigests(options: { now: boolean; email?: string | undefined }): Promise<string[]>
  preview(email: string): Promise<DigestPreview>
  topics(action: TopicAction): Promise<TopicActionResult>
  /** Records the bounces or complaint in a delivery report (RFC 3464 / RFC 5965). */
  recordReport(raw: Buffer): Promise<MailboxFeedbackReport>
  sendingStatus(): Promise<SendingStatus>
  resumeSending(): Promise<{ wasPaused: boolean; released: number }>
  /** Returns when these jobs have finished, processing them here if no worker is running. */
  waitFor(
    queue: 'match' | 'mail',
    jobIds: readonly string[],
    progress: Progress,
  ): Promise<JobSummary>
  close(): Promise<void>
}

export async function openCliContext(config: Config, options: CliOptions): Promise<CliContext> {
  const { deadline } = options
  const target = await queueTargetOf(config, options.env ?? process.env, options.notice)
  // The server's Redis and queues when one holds DATA_DIR, so that the work reaches it.
  const services = buildServices(
    { ...config, redisUrl: target.redisUrl, queuePrefix: target.queuePrefix },
    { holder: `paperboy ${options.command}`, logger: createLogger('silent') },
  )
  try {
    const queues = await services.queues()
    const events = new Map<string, QueueEvents>()
    for (const name of [QUEUE.match, QUEUE.mail, QUEUE.commands]) {
      // QueueEvents blocks on a duplicate of the connection it is given and closes that one;
      // the original is closed with the services.
      const listener = new QueueEvents(name, {
        connection: services.blockingConnection(),
        prefix: target.queuePrefix,
      })
      services.onClose(() => listener.close())
      events.set(name, listener)
    }
    // Closing QueueEvents while it is still connecting leaves its socket open.
    await Promise.all([...events.values()].map((e) => e.waitUntilReady()))
    const eventsOf = (name: string) => events.get(name) as QueueEvents

    const { server } = target
    if (server) {
      const delegate = async <T>(job: CommandJob, progress: Progress): Promise<T> => {
        const what =
          job.command === 'digest-run'
            ? 'digest run'
            : job.command === 'topics'
              ? `topics ${job.action.kind}`
              : job.command === 'sending'
                ? `sending ${job.action}`
                : job.command
        progress(
          `the server (pid ${server.pid}) holds ${config.dataDir}; handing the ${what} to it`,
        )
        const added = await queues.commands.add(job.command, job)
        return (await deadline.race(added.waitUntilFinished(eventsOf(QUEUE.commands)), () =>
          withdrawOrDescribe(added, what, server.pid),
        )) as T
      }
      return {
        mode: 'via-server',
        ingest: (source, opts, progress) =>
          delegate(
            { command: 'ingest', source: toCommandSource(source), deliver: opts.deliver },
            progress,
          ),
        runDigests: (opts) =>
          delegate({ command: 'digest-run', now: opts.now, email: opts.email }, options.notice),
        preview: (email) => delegate({ command: 'preview', email }, options.notice),
        topics: (action) => delegate({ command: 'topics', action }, options.notice),
        recordReport: (raw) =>
          delegate({ command: 'bounces', base64: raw.toString('base64') }, options.notice),
        // The status is read from the shared database by the server; dates come back as text.
        // A read `digest run --wait` makes on the side: one hand-over line per command is enough.
        sendingStatus: async () => {
          const status = await delegate<SendingStatus>(
            { command: 'sending', action: 'status' },
            () => {},
          )
          return { ...status, changedAt: status.changedAt && new Date(status.changedAt) }
        },
        resumeSending: () => delegate({ command: 'sending', action: 'resume' }, options.notice),
        waitFor: async (queue, ids, progress) => {
          if (ids.length > 0 && (await queues[queue].getWorkersCount()) === 0) {
            throw new Error(
              `the server (pid ${server.pid}) runs no ${queue} worker; is it still starting or stopping?`,
            )
          }
          if (ids.length > 0) progress(`waiting for ${ids.length} ${queue} job(s)`)
          return waitForJobs(queues[queue], eventsOf(queue), ids, deadline, progress)
        },
        close: () => services.close(),
      }
    }

    // A refused secret stops the command before the database is opened.
    services.secret()
    await services.prepareDatabase()
    const deps = await services.commandDeps()
    // Built only if this process has to do the work itself (no server running).
    const localProcessors = {
      match: async (): Promise<Processor> => matchPapersJob(await services.matcher()),
      mail: async (): Promise<Processor> => {
        const mailDeps = await services.mailDeps()
        return (job: Job, token?: string) => processMailJob(job, token, mailDeps)
      },
    }
    return {
      mode: 'direct',
      ingest: (source, opts, progress) =>
        runCommand(
          { command: 'ingest', source: toCommandSource(source), deliver: opts.deliver },
          { ...deps, ingest: { ...deps.ingest, onProgress: progress } },
        ) as Promise<IngestOutcome>,
      runDigests: (opts) =>
        runCommand({ command: 'digest-run', ...opts }, deps) as Promise<string[]>,
      preview: (email) => runCommand({ command: 'preview', email }, deps) as Promise<DigestPreview>,
      topics: (action) =>
        runCommand({ command: 'topics', action }, deps) as Promise<TopicActionResult>,
      recordReport: (raw) =>
        runCommand(
          { command: 'bounces', base64: raw.toString('base64') },
          deps,
        ) as Promise<MailboxFeedbackReport>,
      sendingStatus: () =>
        runCommand({ command: 'sending', action: 'status' }, deps) as Promise<SendingStatus>,
      resumeSending: () =>
        runCommand({ command: 'sending', action: 'resume' }, deps) as Promise<{
          wasPaused: boolean
          released: number
        }>,
      waitFor: async (queue, ids, progress) => {
        let worker: Worker | undefined
        if (ids.length > 0 && (await queues[queue].getWorkersCount()) === 0) {
          progress(`no worker is running; processing the ${queue} jobs in this process`)
          worker = startWorker(queue, await localProcessors[queue](), {
            connection: services.blockingConnection(),
            prefix: target.queuePrefix,
            logger: services.logger,
          })
        } else if (ids.length > 0) {
          progress(`waiting for ${ids.length} ${queue} job(s)`)
        }
        try {
          return await waitForJobs(queues[queue], eventsOf(queue), ids, deadline, progress)
        } finally {
          await worker?.close()
        }
      },
      close: () => services.close(),
    }
  } catch (error) {
    await services.close()
    throw error
  }
}

/**
 * The timeout's line for a command handed to the server: one the server has not taken yet is
 * withdrawn (it would otherwise run later, unexpected); one it is running finishes there.
 */
async function withdrawOrDescribe(job: Job, what: string, pid: number): Promise<string> {
  const state = await job.getState()
  if (state === 'waiting' || state === 'prioritized') {
    const withdrawn = await job.remove().then(
      () => true,
      () => false,
    )
    if (withdrawn)
      return `the server (pid ${pid}) did not take the ${what}; withdrawn, nothing was done`
  }
  return `the server (pid ${pid}) is still running the ${what} (job ${job.id}: ${state}); it finishes there, see its log`
}
