import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { simpleParser } from 'mailparser'
import nodemailer, { type Transporter } from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer/index.js'
import pg from 'pg'
import { pino } from 'pino'
import { SMTPServer } from 'smtp-server'
import { loadConfig } from '../services/config.js'
import { MATCH_RETENTION_DAYS } from '../services/jobs/prune-matches.js'
import { MAIL_TEXT_ENCODING } from '../services/mail/transport.js'
import { startRuntime } from '../services/runtime.js'
import { queueDueDigests } from '../services/usecases/queue-due-digests.js'
import { type Row, recordScenario } from './report.js'

// deliver: N due digests end to end — scheduler tick → queued → rendered → accepted by an SMTP
// server on loopback → recorded as sent — against the ceiling of the same SMTP server fed by
// bare pooled Nodemailer in the same run.

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const PAPERS_PER_DIGEST = 5
const HISTORY_DAYS = 5
const LINES = 1_000
const PAPERS_PER_DAY = 200

/**
 * Real digests differ from one reader to the next, so the ceiling re-sends many of those the
 * shipped path sent, in turn: one message sent over and over stays in the CPU caches, and
 * measured 2 % faster on average than the varied ones on this machine.
 */
const KEPT_MESSAGES = 256

/**
 * An SMTP server that accepts everything, counts, and keeps the first KEPT_MESSAGES messages
 * (the ceiling re-sends them); the greeting delay is why pools matter.
 */
async function sinkServer() {
  let accepted = 0
  const kept: Buffer[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] | undefined = kept.length < KEPT_MESSAGES ? [] : undefined
      stream.on('data', (chunk: Buffer) => chunks?.push(chunk))
      stream.on('end', () => {
        accepted++
        if (chunks && kept.length < KEPT_MESSAGES) kept.push(Buffer.concat(chunks))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    kept: () => kept,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function seed(url: string, subscribers: number, now: Date) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const day = (d: number) => new Date(now.getTime() - d * 86_400_000)
  try {
    // A running deployment keeps MATCH_RETENTION_DAYS of papers and line matches: day 0 is
    // today's ingest, the rest the days before. Paper i of day d is 'bench.<d>.<i>'.
    await client.query(
      `INSERT INTO papers (id, title, abstract, authors, categories, first_seen_at, match_state)
       SELECT 'bench.' || d || '.' || i, 'Diffusion models for benchmark paper ' || i,
              repeat('A realistic abstract about diffusion models, agents and evaluation. ', 12),
              ARRAY['A. Author', 'B. Author', 'C. Author'], ARRAY['cs.LG'],
              $1::timestamptz - d * interval '1 day', 'matched'
       FROM generate_series(0, $2::int) d CROSS JOIN generate_series(1, $3::int) i`,
      [now, MATCH_RETENTION_DAYS, PAPERS_PER_DAY],
    )
    await client.query(
      `INSERT INTO subscribers (email, status, next_send_at, confirmed_at)
       SELECT 'reader' || i || '@bench.example', 'active', $1, $2 FROM generate_series(1, $3) i`,
      [new Date(now.getTime() - 60_000), day(HISTORY_DAYS + 1), subscribers],
    )
    // As the worker stores them: each reader has PAPERS_PER_DIGEST interest lines, written
    // before their first digest; every day each line matched one paper, once for everyone
    // who has it, and the claim joins lines to readers.
    await client.query(
      `INSERT INTO interests (subscriber_id, position, query, created_at)
       SELECT s.id, j, 'diffusion model ' || ((s.id * $1 + j) % $2), $3
       FROM subscribers s CROSS JOIN generate_series(0, $1 - 1) j`,
      [PAPERS_PER_DIGEST, LINES, day(HISTORY_DAYS + 1)],
    )
    await client.query(
      `INSERT INTO line_matches (line, paper_id, words, matched_at)
       SELECT 'diffusion model ' || l, 'bench.' || d || '.' || (1 + l % $1), '["diffusion model"]'::jsonb,
              $4::timestamptz - d * interval '1 day' - interval '1 hour'
       FROM generate_series(0, $2::int) d CROSS JOIN generate_series(0, $3 - 1) l`,
      [PAPERS_PER_DAY, MATCH_RETENTION_DAYS, LINES, now],
    )
    // Each reader had HISTORY_DAYS digests before this one, each carrying what their lines
    // matched that day. The claim checks every paper against them, and the planner should see
    // tables of the size they have in service, not empty ones.
    await client.query(
      `INSERT INTO digests (subscriber_id, period, status, subject, message_id, created_at, sent_at)
       SELECT s.id, to_char(($1::timestamptz - d * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'sent',
              'Earlier papers', '<history-' || s.id || '-' || d || '@bench.example>',
              $1::timestamptz - d * interval '1 day', $1::timestamptz - d * interval '1 day'
       FROM subscribers s CROSS JOIN generate_series(1, $2::int) d`,
      [now, HISTORY_DAYS],
    )
    await client.query(
      `INSERT INTO matches (subscriber_id, paper_id, reasons, matched_at, digest_id)
       SELECT g.subscriber_id, l.paper_id, jsonb_build_array(jsonb_build_object(
                'kind', 'interest', 'line', l.line, 'words', l.words)), l.matched_at, g.id
       FROM digests g
       JOIN interests i ON i.subscriber_id = g.subscriber_id
       JOIN line_matches l ON l.line = i.query
         AND l.matched_at = g.sent_at - interval '1 hour'
       ON CONFLICT DO NOTHING`,
    )
    await client.query(`UPDATE subscribers SET last_digest_at = $1`, [day(1)])
    // Statistics, as autovacuum keeps them on a running database: without them the planner
    // takes these freshly filled tables for empty ones.
    await client.query('ANALYZE')
  } finally {
    await client.end()
  }
}

/** What the shipped path handed to Nodemailer for one digest, recovered from what arrived. */
async function sentMessage(raw: Buffer): Promise<Mail.Options> {
  const parsed = await simpleParser(raw)
  const unsubscribe = parsed.headerLines.find((l) => l.key === 'list-unsubscribe')
  return {
    from: parsed.from?.text ?? 'bench@localhost',
    subject: parsed.subject ?? '',
    html: parsed.html || '',
    text: parsed.text ?? '',
    textEncoding: MAIL_TEXT_ENCODING,
    headers: {
      'List-Unsubscribe': unsubscribe?.line.replace(/^[^:]*:\s*/, '') ?? '',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
  }
}

/**
 * The ceilings: bare pooled Nodemailer re-sending the varied messages in turn, and one of them
 * over and over, as many messages each as the shipped path sent. Each sends half its messages
 * before the other and half after (A B B A), so that neither gains from running later, in a
 * warmer process; the pool's connections are open before any timing.
 */
async function ceilings(smtpUrl: string, count: number, varied: readonly Mail.Options[]) {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: Number.POSITIVE_INFINITY,
  })
  try {
    const one = varied.slice(0, 1)
    await sendAll(transport, 100, varied)
    const half = Math.ceil(count / 2)
    let variedSeconds = await sendAll(transport, half, varied)
    let oneSeconds = await sendAll(transport, half, one)
    oneSeconds += await sendAll(transport, count - half, one)
    variedSeconds += await sendAll(transport, count - half, varied)
    return { varied: count / variedSeconds, one: count / oneSeconds }
  } finally {
    transport.close()
  }
}

/** Seconds to send `count` messages through `transport`, `messages` in turn. */
async function sendAll(
  transport: Transporter,
  count: number,
  messages: readonly Mail.Options[],
): Promise<number> {
  const started = performance.now()
  let next = 0
  // 20 in flight, as the worker has digests in flight; the pool queues what its connections
  // cannot take yet.
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < count) {
        const message = messages[next % messages.length] as Mail.Options
        next++
        await transport.sendMail({ ...message, to: `reader${next}@bench.example` })
      }
    }),
  )
  return (performance.now() - started) / 1000
}

export async function runDeliver(options: { quick: boolean }): Promise<void> {
  const subscribers = options.quick ? 2_000 : 20_000
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  const name = `paperboy_bench_deliver_${randomBytes(4).toString('hex')}`
  await admin.query(`CREATE DATABASE ${name}`)
  const dbUrl = new URL(ADMIN_URL)
  dbUrl.pathname = `/${name}`
  const smtp = await sinkServer()
  const prefix = `pbbench-${randomBytes(3).toString('hex')}`
  const now = new Date()
  try {
    const config = loadConfig({
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL,
      SMTP_URL: smtp.url,
      QUEUE_PREFIX: prefix,
      APP_SECRET: 'bench-secret-bench-secret-bench-secret',
      MAIL_RATE_PER_SECOND: '100000',
      INGEST_CRON: 'off',
      LOG_LEVEL: 'silent',
    })
    // Migrate with an API-only runtime, then seed, then start the workers.
    const setup = await startRuntime({
      config,
      role: 'all',
      logger: pino({ level: 'silent' }),
      listen: false,
    })
    await setup.close()
    await seed(dbUrl.toString(), subscribers, now)
    const runtime = await startRuntime({
      config,
      role: 'worker',
      logger: pino({ level: 'silent' }),
      listen: false,
    })
    const client = new pg.Client({ connectionString: dbUrl.toString() })
    await client.connect()
    // The digests of this run are those after the seeded history.
    const history = await client.query<{ last: string }>('SELECT max(id) AS last FROM digests')
    const after = Number(history.rows[0]?.last ?? 0)
    const started = performance.now()
    const { queued } = await queueDueDigests({
      db: runtime.database.db,
      queues: runtime.queues,
      now: () => now,
    })
    const queuedMs = performance.now() - started
    let sent = 0
    while (sent < queued.length) {
      await new Promise((r) => setTimeout(r, 200))
      const result = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM digests
         WHERE id > $1 AND status IN ('sent','failed','uncertain','empty')`,
        [after],
      )
      sent = Number(result.rows[0]?.n)
      if (performance.now() - started > 600_000)
        throw new Error(`only ${sent} of ${queued.length} digests settled in 10 minutes`)
    }
    const seconds = (performance.now() - started) / 1000
    const statuses = await client.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM digests WHERE id > $1 GROUP BY status',
      [after],
    )
    const sample = await client.query<{ subject: string }>(
      "SELECT subject FROM digests WHERE id > $1 AND status = 'sent' LIMIT 1",
      [after],
    )
    await client.end()
    await runtime.close()
    const shipped = queued.length / seconds
    const kept = smtp.kept()
    if (kept.length === 0) throw new Error('no digest reached the SMTP server')
    // The messages the shipped path sent, so both sides move the same bytes. As many messages
    // as the shipped path sent: a short ceiling run swings with the machine.
    const varied = await Promise.all(kept.map(sentMessage))
    const { varied: bare, one: repeated } = await ceilings(smtp.url, queued.length, varied)
    const averageKb = kept.reduce((n, m) => n + m.length, 0) / kept.length / 1024
    const rows: Row[] = [
      {
        metric: 'environment',
        value: `node ${process.version}`,
        unit: '',
        note: `${queued.length.toLocaleString('en-US')} due subscribers, ${PAPERS_PER_DIGEST} matches each`,
      },
      {
        metric: 'tick: find due + queue',
        value: queuedMs,
        unit: 'ms',
        note: 'one range query, addBulk, next-send times moved on',
      },
      {
        metric: 'end to end: tick → sent',
        value: seconds,
        unit: 's',
        note: statuses.rows.map((r) => `${r.n} ${r.status}`).join(', '),
      },
      {
        metric: 'shipped path',
        value: shipped,
        unit: 'digests/s',
        note: `composed, rendered, sent, recorded; subject e.g. "${sample.rows[0]?.subject ?? ''}"`,
      },
      {
        metric: 'SMTP ceiling (bare pooled Nodemailer)',
        value: bare,
        unit: 'messages/s',
        note: `5 pooled connections, the same server, the first ${kept.length} digests above re-sent in turn (${Math.round(averageKb)} KB each as sent)`,
      },
      { metric: 'shipped / ceiling', value: shipped / bare, unit: '×', note: 'goal ≥ 0.5' },
      {
        metric: 'SMTP ceiling, one digest re-sent',
        value: repeated,
        unit: 'messages/s',
        note: `the same, one message over and over (the ceiling before ${kept.length} were kept); the two alternate halves`,
      },
      {
        metric: 'shipped / one-digest ceiling',
        value: shipped / repeated,
        unit: '×',
        note: 'for comparison with earlier runs',
      },
    ]
    recordScenario(options.quick ? 'deliver (quick)' : 'deliver', rows)
  } finally {
    await smtp.close()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
    await dropQueueKeys(prefix)
  }
}

/** The run's jobs stay in Redis (completed ones are kept for a day): they go with the run. */
async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL)
  try {
    // A scan stream's chunks are untyped; each is the batch of key names one SCAN returned.
    for await (const chunk of redis.scanStream({ match: `${prefix}:*`, count: 1_000 })) {
      const keys = chunk as string[]
      if (keys.length > 0) await redis.unlink(...keys)
    }
  } finally {
    redis.disconnect()
  }
}
