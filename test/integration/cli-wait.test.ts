import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmSubscriber, subscribe } from '../../services/db/repositories/subscribers.js'
import { DEFAULT_PREFERENCES } from '../../services/domain/preferences.js'
import { runCli, useCliEnvironment } from '../helpers/cli.js'
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../helpers/database.js'
import { clearPrefix, uniquePrefix } from '../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'

// The CLI on its own (no server running): it opens the database and does the work in-process.

const prefix = uniquePrefix('cli-wait')
let database: TestDatabase
let smtp: TestSmtpServer
let workDir: string

const cli = runCli

beforeAll(async () => {
  database = await createTestDatabase('cli_wait')
  smtp = await startSmtpServer()
  workDir = await mkdtemp(join(tmpdir(), 'paperboy-cli-wait-'))
  useCliEnvironment({
    database,
    queuePrefix: prefix,
    dataDir: workDir,
    extra: { SMTP_URL: smtp.url },
  })
  expect((await cli('migrate')).code).toBe(0)
  // Closed before the CLI runs: the embedded database serves one holder at a time.
  const handle = await openTestDatabase(database)
  try {
    const now = new Date()
    const { subscriberId } = await subscribe(
      handle.db,
      'ada@example.org',
      { ...DEFAULT_PREFERENCES, interests: ['agent*'] },
      now,
    )
    await confirmSubscriber(handle.db, subscriberId, now)
  } finally {
    await handle.close()
  }
})

afterAll(async () => {
  await smtp?.close()
  await clearPrefix(prefix)
  await database?.drop()
})

describe('the CLI waiting on its own', () => {
  it('previews nothing for a subscriber with nothing pending', async () => {
    const out = join(workDir, 'next.html')
    const result = await cli('preview', '--email', 'ada@example.org', '--out', out)
    expect(result.out).toBe(
      `nothing pending for ada@example.org: their next digest would be empty; ${out} not written`,
    )
    expect(result.code).toBe(0)
    expect(existsSync(out)).toBe(false)
  })

  it('gives up on --wait at --timeout, saying what is pending and why its last attempt failed', async () => {
    const ingested = await cli('ingest', '--file', 'samples/arxiv-papers.json', '--wait')
    expect(ingested.out).toContain('matching finished for 14 new paper(s)')

    smtp.rejectRecipient = () => [451, 'Mailbox busy, try again later']
    const result = await cli('digest', 'run', '--now', '--wait', '--timeout', '10')
    expect(result.out).toBe('1 digest(s) queued')
    const [jobId] = result.stderr.join('\n').match(/digest-\d+-now-\w+/) ?? []
    const cause = `attempt 1 of 10 failed: Can't send mail - all recipients were rejected: 451 Mailbox busy, try again later`
    expect(result.stderr).toContain(`${jobId}: ${cause}; retrying`)
    expect(result.stderr.at(-1)).toBe(
      `paperboy: timed out after 10 s: 1 of 1 mail job(s) still pending (${jobId}: delayed, ${cause}); 0 finished, 0 failed so far`,
    )
    expect(result.code).toBe(1)
  }, 60_000)
})
