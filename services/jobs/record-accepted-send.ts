import { isConnectionLost } from '../db/connection-lost.js'

/** About a minute in all: long enough for a database restart or a failover. */
const WAITS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000]

/**
 * Records the outcome of a message the SMTP server already accepted. Giving up here would
 * leave the digest `sending`, and its retry could only call it `uncertain`; so while the
 * database is unreachable the record is tried again, and any other failure is thrown at once.
 * The job keeps its lock meanwhile (that lives in Redis); if it still lost it, the retry's
 * `uncertain` is replaced by this known outcome when it lands.
 */
export async function recordAcceptedSend(
  record: () => Promise<void>,
  onRetry: (error: unknown, waitMs: number) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  for (const waitMs of WAITS_MS) {
    try {
      return await record()
    } catch (error) {
      if (!isConnectionLost(error)) throw error
      onRetry(error, waitMs)
      await sleep(waitMs)
    }
  }
  return record()
}
