import { eq } from 'drizzle-orm'
import { expect } from 'vitest'
import { findSubscriberIdByEmail } from '../../services/db/repositories/subscribers.js'
import { papers } from '../../services/db/schema/index.js'
import type { Runtime } from '../../services/runtime.js'
import { eventually, linksIn, pathOf } from './runtime.js'
import type { TestSmtpServer } from './smtp.js'

// What a person and an operator do before a digest can go out, through the real HTTP API.

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
  expect((await app.inject({ url: pathOf(link ?? '') })).statusCode).toBe(200)
  return (await findSubscriberIdByEmail(runtime.database.db, email)) ?? 0
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
  await eventually('matching to finish', async () => {
    const pending = await runtime.database.db
      .select({ id: papers.id })
      .from(papers)
      .where(eq(papers.matchState, 'pending'))
    return pending.length === 0
  })
  return response.json() as { new: number }
}
