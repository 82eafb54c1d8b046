import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { findSubscriberIdByEmail } from '../../services/db/repositories/subscribers.js'
import { papers } from '../../services/db/schema/index.js'
import type { Runtime } from '../../services/runtime.js'
import { runDigests } from '../../services/usecases/run-digests.js'
import { postFormAction } from './html.js'
import { eventually, linksIn, pathOf } from './runtime.js'
import type { TestSmtpServer } from './smtp.js'

// What a person and an operator do, through the real HTTP API and the `digest run` use case.

function appOf(runtime: Runtime) {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

/** Subscribes through the JSON API and follows the link in the confirmation email; returns the subscriber's id. */
export async function subscribeConfirmed(
  runtime: Runtime,
  smtp: TestSmtpServer,
  email: string,
  body: Record<string, unknown>,
): Promise<number> {
  const app = appOf(runtime)
  const before = smtp.to(email).length
  const response = await app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    payload: { email, ...body },
  })
  expect(response.statusCode).toBe(202)
  await eventually('confirmation email', async () => smtp.to(email).length > before)
  const link = linksIn(smtp.to(email).at(-1)?.parsed.text).find((l) =>
    l.includes('/confirm?token='),
  )
  expect((await followConfirmLink(app, link ?? '')).statusCode).toBe(200)
  return (await findSubscriberIdByEmail(runtime.database.db, email)) ?? 0
}

/**
 * What a person does with the link in a confirmation email: open it (a page that changes
 * nothing), then press its one button, which POSTs. Returns the answer to the POST.
 */
export async function followConfirmLink(app: FastifyInstance, link: string) {
  const page = await app.inject({ url: pathOf(link), headers: { accept: 'text/html' } })
  expect(page.statusCode, page.body).toBe(200)
  const action = postFormAction(page.body, '/confirm')
  expect(action, 'the confirmation page has a button that posts').toBeDefined()
  return app.inject({
    method: 'POST',
    url: action ?? '',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  })
}

/** Posts papers to the admin API and waits until every new one is matched. */
export async function ingestMatched(
  runtime: Runtime,
  adminToken: string,
  body: string,
): Promise<{ new: number }> {
  const response = await appOf(runtime).inject({
    method: 'POST',
    url: '/api/papers',
    payload: body,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
  })
  expect(response.statusCode).toBe(200)
  await matchingFinished(runtime)
  return response.json() as { new: number }
}

/** `digest run` (scheduled, or `--now` for one address): queues the digests and waits until each job is done. */
export async function runDigestsAndWait(
  runtime: Runtime,
  now: () => Date,
  options: { now: boolean; email?: string },
): Promise<string[]> {
  const ids = await runDigests({ db: runtime.database.db, queues: runtime.queues, now }, options)
  for (const id of ids) {
    await eventually(`digest job ${id}`, async () => {
      const job = await runtime.queues.mail.getJob(id)
      return job && ((await job.isCompleted()) || (await job.isFailed()))
    })
  }
  return ids
}

/** Waits until the worker has matched every ingested paper. */
export async function matchingFinished(runtime: Runtime): Promise<void> {
  await eventually('matching to finish', async () => {
    const pending = await runtime.database.db
      .select({ id: papers.id })
      .from(papers)
      .where(eq(papers.matchState, 'pending'))
    return pending.length === 0
  })
}

/** The digest emails an address received (not confirmations or notices). */
export function digestEmails(smtp: TestSmtpServer, email: string) {
  return smtp.to(email).filter((m) => /new papers? on/.test(m.parsed.subject ?? ''))
}
