import { Writable } from 'node:stream'
import { Queue, QueueEvents } from 'bullmq'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { startWorker } from '../../services/workers/start-worker.js'
import { migratedTestDatabase } from '../helpers/database.js'
import { clearPrefix, TEST_REDIS, uniquePrefix } from '../helpers/runtime.js'

const database = migratedTestDatabase('job_cause')
const prefix = uniquePrefix('cause')
const connections: Redis[] = []
const connection = () => {
  const redis = new Redis(TEST_REDIS, { maxRetriesPerRequest: null })
  connections.push(redis)
  return redis
}

afterAll(async () => {
  for (const redis of connections) redis.disconnect()
  await clearPrefix(prefix)
})

describe('a job that fails in the database', () => {
  it("fails with the database's own message, in BullMQ and in the log, not with the SQL", async () => {
    const logged: string[] = []
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          logged.push(chunk.toString())
          done()
        },
      }),
    )
    const queue = new Queue('statuses', { connection: connection(), prefix })
    const events = new QueueEvents('statuses', { connection: connection(), prefix })
    await events.waitUntilReady()
    // The statement the embedded database refused: a list of statuses cast to an array.
    const worker = startWorker(
      'statuses',
      () => database.db.execute(sql`SELECT ${'sent,sent'}::text[] AS statuses`),
      { connection: connection(), prefix, logger },
    )
    try {
      const job = await queue.add('finish', {})
      const failure = await job.waitUntilFinished(events).catch((error: Error) => error.message)
      expect(failure).toBe('malformed array literal: "sent,sent"')

      const stored = await queue.getJob(job.id ?? '')
      expect(stored?.failedReason).toBe('malformed array literal: "sent,sent"')
      expect(JSON.stringify(stored?.stacktrace)).not.toMatch(/Failed query|SELECT|params/)
      const line = logged.map((l) => JSON.parse(l)).find((l) => l.msg === 'job failed')
      expect(line?.err).toBe('malformed array literal: "sent,sent"')
    } finally {
      await worker.close()
      await events.close()
      await queue.close()
    }
  })
})
