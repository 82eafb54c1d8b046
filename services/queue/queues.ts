import { type ConnectionOptions, type JobsOptions, Queue } from 'bullmq'
import type { Preferences } from '../domain/preferences.js'
import type { IngestSource } from '../sources/ingest-source.js'
import type { TopicAction } from '../usecases/manage-topics.js'

export const QUEUE = {
  mail: 'mail',
  match: 'match',
  ingest: 'ingest',
  tick: 'tick',
  commands: 'commands',
} as const

/** Jobs carry ids only; the processor re-reads the subscriber, so a stale job cannot send stale data. */
export interface TransactionalJob {
  readonly kind: 'confirm' | 'already-subscribed'
  readonly subscriberId: number
}

/**
 * A subscribe request as it was made, recorded by the worker: the request itself only
 * validates and queues this, the same work whatever the address's state, so its timing says
 * nothing about who is subscribed. The one job that carries personal data rather than ids;
 * it is removed once recorded.
 */
export interface SubscribeJob {
  readonly kind: 'subscribe'
  /** Normalised (see normalizeEmailAddress). */
  readonly email: string
  readonly preferences: Preferences
}

/** Papers stored for the first time, to be matched against every active subscriber. */
export interface MatchJob {
  readonly paperIds: readonly string[]
}

/** One subscriber's digest for one period; the (subscriber, period) pair is also its job id. */
export interface DigestJob {
  readonly kind: 'digest'
  readonly subscriberId: number
  readonly period: string
  readonly extra: boolean
}

/** BullMQ forbids `:` in custom ids; periods never contain one. */
/**
 * Everything that sends email goes through one queue, so MAIL_RATE_PER_SECOND (BullMQ's
 * limiter, shared by every worker of the queue) bounds all of it together.
 */
export type MailJob = SubscribeJob | TransactionalJob | DigestJob

export const digestJobId = (job: Pick<DigestJob, 'subscriberId' | 'period'>) =>
  `digest-${job.subscriberId}-${job.period}`

/** One scheduled ingestion run over INGEST_SOURCES entries. */
export interface IngestJob {
  readonly sources: readonly string[]
}

/**
 * A CLI command run by the server on the CLI's behalf: only used while `paperboy serve` holds
 * the embedded database, which no second process may open.
 */
export type CommandJob =
  | {
      readonly command: 'ingest'
      /** Bodies travel base64-encoded: job data is JSON, and a Buffer would balloon in it. */
      readonly source:
        | Exclude<IngestSource, { kind: 'body' }>
        | { kind: 'body'; base64: string; label: string }
      readonly deliver: boolean
    }
  | { readonly command: 'digest-run'; readonly now: boolean; readonly email?: string | undefined }
  | { readonly command: 'preview'; readonly email: string }
  | { readonly command: 'topics'; readonly action: TopicAction }
  /** A delivery report read by `paperboy bounces`, base64-encoded like ingest bodies. */
  | { readonly command: 'bounces'; readonly base64: string }
  | { readonly command: 'sending'; readonly action: 'status' | 'resume' }

export interface Queues {
  readonly mail: Queue<MailJob>
  readonly match: Queue<MatchJob>
  readonly ingest: Queue<IngestJob>
  readonly commands: Queue<CommandJob>
  /** The every-minute scheduler tick that finds due subscribers. */
  readonly tick: Queue<Record<string, never>>
  close(): Promise<void>
}

export interface RetryPolicy {
  readonly attempts: number
  /** First retry delay; each later one doubles it. */
  readonly backoffMs: number
}

/**
 * Retries wait 30 s, 1 min, 2 min … 128 min: about 4¼ hours in all (BullMQ's nth retry waits
 * backoffMs × 2^(n-1), so 9 retries, 10 attempts). Greylisting and brief outages resolve well
 * within that.
 */
export const DEFAULT_MAIL_RETRY: RetryPolicy = { attempts: 10, backoffMs: 30_000 }

function jobOptions(retry: RetryPolicy): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.2 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  }
}

export function createQueues(
  connection: ConnectionOptions,
  prefix: string,
  mailRetry: RetryPolicy,
  onError: (error: Error) => void,
): Queues {
  const mail = new Queue<MailJob>(QUEUE.mail, {
    connection,
    prefix,
    defaultJobOptions: jobOptions(mailRetry),
  })
  const match = new Queue<MatchJob>(QUEUE.match, {
    connection,
    prefix,
    defaultJobOptions: jobOptions({ attempts: 5, backoffMs: 5_000 }),
  })
  const ingest = new Queue<IngestJob>(QUEUE.ingest, {
    connection,
    prefix,
    defaultJobOptions: jobOptions({ attempts: 3, backoffMs: 60_000 }),
  })
  const commands = new Queue<CommandJob>(QUEUE.commands, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 1,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    },
  })
  const tick = new Queue<Record<string, never>>(QUEUE.tick, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 1,
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    },
  })
  const all = [mail, match, ingest, commands, tick]
  for (const queue of all) queue.on('error', onError)
  return {
    mail,
    match,
    ingest,
    commands,
    tick,
    async close() {
      await Promise.all(all.map((queue) => queue.close()))
    },
  }
}
