import type { Queues } from './queue/queues.js'

export const INGEST_SCHEDULER_ID = 'scheduled-ingest'
export const DIGEST_TICK_ID = 'digest-tick'
export const TICK_EVERY_MS = 60_000
export const PRUNE_SCHEDULER_ID = 'prune-matches'

/**
 * Registers the recurring jobs. Upserting is idempotent, so every start (and every scheduler
 * process) may call it; changing INGEST_CRON simply replaces the schedule.
 */
export async function registerSchedules(
  queues: Queues,
  settings: { readonly ingestCron: string; readonly ingestSources: readonly string[] },
  tickEveryMs: number = TICK_EVERY_MS,
): Promise<void> {
  await queues.tick.upsertJobScheduler(
    DIGEST_TICK_ID,
    { every: tickEveryMs },
    { name: 'tick', data: {} },
  )
  // Once a day, at a quiet hour, on the tick's queue: one job, done in seconds.
  await queues.tick.upsertJobScheduler(
    PRUNE_SCHEDULER_ID,
    { pattern: '17 3 * * *', tz: 'UTC' },
    { name: 'prune', data: {} },
  )
  await queues.tick.setGlobalConcurrency(1)
  if (settings.ingestCron === 'off') {
    await queues.ingest.removeJobScheduler(INGEST_SCHEDULER_ID)
    return
  }
  await queues.ingest.upsertJobScheduler(
    INGEST_SCHEDULER_ID,
    { pattern: settings.ingestCron, tz: 'UTC' },
    { name: 'ingest', data: { sources: [...settings.ingestSources] } },
  )
  // A slow run must not overlap the next one, however many workers there are.
  await queues.ingest.setGlobalConcurrency(1)
}
