import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { digests, lineMatches, papers, subscribers } from '../../services/db/schema/index.js'
import { queueDueDigests } from '../../services/usecases/queue-due-digests.js'
import {
  LostJobRecovery,
  RECOVER_AFTER_MS,
  RECOVER_WITHIN_MS,
} from '../../services/usecases/recover-lost-jobs.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { digestEmails, subscribeConfirmed } from '../helpers/flows.js'
import { sampleValue } from '../helpers/prometheus.js'
import { clearPrefix, eventually } from '../helpers/runtime.js'

// Redis losing its data (FLUSHALL, a restart without persistence) must not lose a digest or a
// paper: the database knows what is owed, and the tick's sweep queues it again. Only this
// file's own queue prefix is wiped, never the shared Redis.

const ADMIN_TOKEN = 'admin-token-for-recovery-tests-123'
let clock = new Date()
const env = deliveryEnvironment('recovery', { adminToken: ADMIN_TOKEN, now: () => clock })
const later = (ms: number) => new Date(clock.getTime() + ms)

describe('work Redis lost is queued again from the database', () => {
  it('matches a paper whose match job was lost, once it is older than the grace period', async () => {
    const { runtime } = env
    const recovery = new LostJobRecovery()
    const deps = { db: runtime.database.db, queues: runtime.queues, now: () => clock }
    await subscribeConfirmed(runtime, env.smtp, 'lost@example.org', { interests: ['turbine'] })
    await runtime.queues.match.pause()
    const response = await runtime.app?.inject({
      method: 'POST',
      url: '/api/papers',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        papers: [{ id: '2606.00001', title: 'Turbine wakes', abstract: 'Wind turbine wakes.' }],
      }),
    })
    expect(response?.statusCode).toBe(200)
    await clearPrefix(runtime.config.queuePrefix)

    expect(await recovery.sweep(deps)).toEqual({ digests: 0, papers: 0 })
    clock = later(RECOVER_AFTER_MS + 60_000)
    expect(await recovery.sweep(deps)).toEqual({ digests: 0, papers: 1 })
    await eventually('the recovered match', async () => {
      const [paper] = await runtime.database.db
        .select()
        .from(papers)
        .where(eq(papers.id, '2606.00001'))
      return paper?.matchState === 'matched'
    })
    expect(await runtime.database.db.select().from(lineMatches)).toHaveLength(1)
  })

  it('sends a pending digest whose job was lost exactly once, and settles a lost `sending` one as uncertain', async () => {
    const { runtime, smtp } = env
    clock = new Date()
    const db = runtime.database.db
    const recovery = new LostJobRecovery()
    const deps = { db, queues: runtime.queues, now: () => clock }
    await db.update(subscribers).set({ nextSendAt: new Date(clock.getTime() - 60_000) })
    await runtime.queues.mail.pause()
    const { queued } = await queueDueDigests(deps)
    expect(queued).toHaveLength(1)
    await clearPrefix(runtime.config.queuePrefix)
    const [opened] = await db.select().from(digests)
    expect(opened?.status).toBe('pending')

    // Opened just now: its job may simply be waiting its turn.
    clock = new Date(Math.max(clock.getTime(), (opened?.createdAt ?? clock).getTime()))
    expect((await recovery.sweep(deps)).digests).toBe(0)
    clock = later(RECOVER_AFTER_MS + 60_000)
    expect((await recovery.sweep(deps)).digests).toBe(1)
    await eventually('the recovered digest to be sent', async () => {
      const [row] = await db.select().from(digests)
      return row?.status === 'sent'
    })
    expect(digestEmails(smtp, 'lost@example.org')).toHaveLength(1)
    // Sent: nothing more to recover, and another sweep sends nothing.
    clock = later(RECOVER_AFTER_MS + 60_000)
    expect((await recovery.sweep(deps)).digests).toBe(0)

    // The next day's digest: a worker died mid-send and Redis lost its job, so its row stays
    // `sending` until recovered, and whether the email went out is unknowable.
    clock = later(24 * 3600_000)
    await db.update(subscribers).set({ nextSendAt: new Date(clock.getTime() - 60_000) })
    await runtime.queues.mail.pause()
    expect((await queueDueDigests(deps)).queued).toHaveLength(1)
    await clearPrefix(runtime.config.queuePrefix)
    const [next] = await db.select().from(digests).where(eq(digests.status, 'pending'))
    await db
      .update(digests)
      .set({ status: 'sending' })
      .where(eq(digests.id, next?.id ?? 0))
    clock = later(RECOVER_AFTER_MS + 60_000)
    expect((await recovery.sweep(deps)).digests).toBe(1)
    await eventually('the interrupted digest to be settled', async () => {
      const [row] = await db
        .select()
        .from(digests)
        .where(eq(digests.id, next?.id ?? 0))
      return row?.status === 'uncertain'
    })
    expect(digestEmails(smtp, 'lost@example.org')).toHaveLength(1)

    // Every digest state is visible to monitoring, read from the database when scraped.
    const metrics = await runtime.app?.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const exposition = metrics?.body ?? ''
    expect(sampleValue(exposition, 'paperboy_digests_by_status', { status: 'sent' })).toBe(1)
    expect(sampleValue(exposition, 'paperboy_digests_by_status', { status: 'uncertain' })).toBe(1)
    expect(sampleValue(exposition, 'paperboy_digests_by_status', { status: 'pending' })).toBe(0)
    expect(sampleValue(exposition, 'paperboy_suppressed_addresses')).toBe(0)
  })

  it('leaves a digest still unfinished after two days to the operator instead of sending it late', async () => {
    const { runtime, smtp } = env
    const db = runtime.database.db
    const recovery = new LostJobRecovery()
    const deps = { db, queues: runtime.queues, now: () => clock }
    clock = later(24 * 3600_000)
    await db.update(subscribers).set({ nextSendAt: new Date(clock.getTime() - 60_000) })
    await runtime.queues.mail.pause()
    expect((await queueDueDigests(deps)).queued).toHaveLength(1)
    await clearPrefix(runtime.config.queuePrefix)
    const emailsBefore = digestEmails(smtp, 'lost@example.org').length

    clock = later(RECOVER_WITHIN_MS + 60_000)
    expect((await recovery.sweep(deps)).digests).toBe(0)
    const stuck = await db.select().from(digests).where(eq(digests.status, 'pending'))
    expect(stuck).toHaveLength(1)
    expect(digestEmails(smtp, 'lost@example.org')).toHaveLength(emailsBefore)
  })
})
