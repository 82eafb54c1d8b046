import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextSendTime } from '../../services/domain/schedule.js'
import { killAll } from '../helpers/processes.js'
import { sampleValue } from '../helpers/prometheus.js'
import { ADMIN_TOKEN, Cluster, until } from './cluster.js'
import { type ClockSettings, clockAt } from './fake-clock.js'
import { type FaultySmtp, startFaultySmtp } from './faulty-smtp.js'
import {
  type PrivatePostgres,
  type PrivateRedis,
  startPrivatePostgres,
  startPrivateRedis,
} from './private-servers.js'
import { report, type Tally, tallyScenario } from './tally.js'
import {
  seedSubscribers,
  type WorkPaper,
  type WorkSubscriber,
  workPapers,
  workSubscribers,
} from './workload.js'

// Delivery under faults, end to end: split roles as separate processes on a PostgreSQL and a
// Redis of the suite's own, an SMTP server that misbehaves on demand, and a few hundred
// subscribers. Every scenario counts, per subscriber, duplicates (a second digest for the
// period, a paper twice) and losses (a matched paper never delivered and not recorded as
// carried by an `uncertain` digest), and asserts there are none.

const MODE = process.env.FAULTS === 'short' ? 'short' : 'full'
const SUBSCRIBERS = Number(process.env.FAULTS_SUBSCRIBERS ?? (MODE === 'short' ? 120 : 300))
/** A scenario of both versions. */
const bothVersions = (name: string, run: () => Promise<void>, timeout: number) =>
  it(name, run, timeout)
/** A scenario only the full version runs (the short one combines or leaves it out). */
const fullOnly = (name: string, run: () => Promise<void>, timeout: number) => {
  if (MODE === 'full') it(name, run, timeout)
}

let postgres: PrivatePostgres
let redis: PrivateRedis
let papers: WorkPaper[]
const tallies: Tally[] = []

beforeAll(async () => {
  ;[postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()])
  papers = workPapers()
}, 120_000)

afterAll(async () => {
  await killAll()
  report(tallies, MODE)
  await Promise.all([postgres?.close(), redis?.close()])
}, 60_000)

interface Context {
  readonly cluster: Cluster
  readonly smtp: FaultySmtp
  readonly people: readonly WorkSubscriber[]
  /** Resolves once this share of the expected digests has been accepted. */
  delivered(share: number): Promise<void>
}

interface Scenario {
  readonly name: string
  readonly people?: (count: number) => WorkSubscriber[]
  /** Knobs (FAULT_*) per worker; two workers unless told otherwise. */
  readonly workers?: readonly Record<string, string>[]
  readonly schedulers?: number
  readonly knobs?: Record<string, string>
  /** Papers in, and matched; the default posts them all. */
  readonly ingest?: (ctx: Context) => Promise<void>
  /** Opens the period: every subscriber due now unless told otherwise. */
  readonly due?: (ctx: Context) => Promise<void>
  readonly fault?: (ctx: Context) => Promise<void>
  readonly check?: (ctx: Context, tally: Tally) => Promise<void> | void
}

const twoWorkers = [{}, {}]

async function runScenario(scenario: Scenario): Promise<Tally> {
  const startedAt = Date.now()
  const phases: string[] = []
  const phase = (what: string) =>
    phases.push(`${what} ${((Date.now() - startedAt) / 1000).toFixed(1)}s`)
  const smtp = await startFaultySmtp()
  const cluster = await Cluster.create({
    postgresUrl: postgres.url,
    redisUrl: redis.url,
    smtpUrl: smtp.url,
    name: scenario.name.replace(/\W+/g, '_').slice(0, 20).toLowerCase(),
  })
  const people = scenario.people?.(SUBSCRIBERS) ?? workSubscribers(papers, SUBSCRIBERS)
  const ctx: Context = {
    cluster,
    smtp,
    people,
    async delivered(share) {
      const target = Math.ceil(people.length * share)
      await until(
        `${target} digests delivered`,
        async () => smtp.accepted.length >= target,
        120_000,
      )
    },
  }
  try {
    await seedSubscribers(cluster.databaseUrl, people)
    await Promise.all([
      cluster.startApi(),
      ...(scenario.workers ?? twoWorkers).map((knobs) =>
        cluster.start('worker', { knobs: { ...scenario.knobs, ...knobs } }),
      ),
      ...Array.from({ length: scenario.schedulers ?? 1 }, () =>
        cluster.start('scheduler', { knobs: { ...scenario.knobs } }),
      ),
    ])
    phase('started')
    await (scenario.ingest ?? ((c) => c.cluster.ingest(papers).then(() => undefined)))(ctx)
    await until(
      'every paper matched',
      async () =>
        (await cluster.query(`SELECT 1 FROM papers WHERE match_state = 'pending' LIMIT 1`))
          .length === 0,
      120_000,
    )
    phase('matched')
    await (
      scenario.due ??
      (() => cluster.query('UPDATE subscribers SET next_send_at = now()').then(() => undefined))
    )(ctx)
    await Promise.all([
      scenario.fault?.(ctx),
      until(
        'every digest settled',
        async () => {
          const [row] = await cluster.query<{ open: string; total: string }>(
            `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending')) AS open, count(*) AS total FROM digests`,
          )
          return Number(row?.open) === 0 && Number(row?.total) >= people.length
        },
        240_000,
      ),
    ])
    phase('settled')
    process.stdout.write(`${scenario.name}: ${phases.join(', ')}\n`)
    // Anything still in flight (a late retry, a second sender) has time to show up.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const tally = await tallyScenario({
      scenario: scenario.name,
      cluster,
      people,
      accepted: smtp.accepted,
      startedAt,
    })
    tallies.push(tally)
    // What the database recorded is what monitoring sees.
    const metrics = await fetch(`${cluster.apiUrl}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.text())
    expect(sampleValue(metrics, 'paperboy_digests_by_status', { status: 'uncertain' })).toBe(
      tally.uncertain,
    )
    expect(sampleValue(metrics, 'paperboy_digests_by_status', { status: 'pending' })).toBe(0)
    expect(sampleValue(metrics, 'paperboy_suppressed_addresses')).toBe(tally.suppressed)
    await scenario.check?.(ctx, tally)
    expect({ duplicates: tally.duplicates, losses: tally.losses }, tally.detail.join('\n')).toEqual(
      {
        duplicates: 0,
        losses: 0,
      },
    )
    return tally
  } finally {
    await cluster.stopAll()
    await smtp.close()
  }
}

const TIMEOUT = 420_000

/** A scenario only the short version runs: the full one runs its faults one at a time. */
const shortOnly = (name: string, run: () => Promise<void>, timeout: number) => {
  if (MODE === 'short') it(name, run, timeout)
}

/** Holds every DATA reply, SIGKILLs the first worker, then lets the server answer again. */
async function killWorkerBeforeAccept(ctx: Context): Promise<void> {
  await ctx.delivered(0.2)
  ctx.smtp.onData = () => ({ kind: 'stall' })
  await until('sends held', async () => ctx.smtp.stalled() >= 4, 30_000)
  ctx.cluster.workers[0]?.child.kill('SIGKILL')
  await ctx.cluster.workers[0]?.exited
  ctx.smtp.onData = () => ({ kind: 'accept' })
  ctx.smtp.release()
  await ctx.cluster.start('worker')
}

/** The first worker SIGKILLs itself once SMTP accepted its 15th message, before recording it. */
const crashingWorkers: Record<string, string>[] = [{ FAULT_CRASH_AFTER_SENDS: '15' }, {}]
async function restartCrashedWorker(ctx: Context): Promise<void> {
  await ctx.cluster.workers[0]?.exited
  await ctx.cluster.start('worker')
}

describe('delivery under faults: no duplicates, no losses', () => {
  fullOnly(
    'no fault (the baseline the counting is checked against)',
    async () => {
      const tally = await runScenario({ name: 'no fault' })
      expect(tally.uncertain).toBe(0)
      expect(tally.delivered).toBe(tally.expected)
    },
    TIMEOUT,
  )

  fullOnly(
    '1a. a worker SIGKILLed while the SMTP server holds its DATA reply',
    async () => {
      await runScenario({
        name: '1a worker killed before SMTP accepted',
        fault: killWorkerBeforeAccept,
      })
    },
    TIMEOUT,
  )

  fullOnly(
    '1b. a worker SIGKILLed after SMTP accepted, before the outcome was recorded',
    async () => {
      const tally = await runScenario({
        name: '1b worker killed after SMTP accepted',
        workers: crashingWorkers,
        fault: restartCrashedWorker,
      })
      // The digests the dead worker had handed over are the ones it could not record.
      expect(tally.uncertain).toBeGreaterThan(0)
    },
    TIMEOUT,
  )

  fullOnly(
    '2a. Redis restarted mid-delivery',
    async () => {
      await runScenario({
        name: '2a Redis restarted',
        fault: async (ctx) => {
          await ctx.delivered(0.3)
          await redis.restart()
        },
      })
    },
    TIMEOUT,
  )

  fullOnly(
    '2b. Redis FLUSHALL mid-delivery: the database knows what is owed',
    async () => {
      await runScenario({
        name: '2b Redis FLUSHALL',
        fault: async (ctx) => {
          await ctx.delivered(0.3)
          await redis.flushAll()
        },
      })
    },
    TIMEOUT,
  )

  fullOnly(
    '3a. PostgreSQL restarted (immediate: like a crash) mid-delivery',
    async () => {
      await runScenario({
        name: '3a PostgreSQL restarted mid-delivery',
        fault: async (ctx) => {
          await ctx.delivered(0.3)
          await postgres.restart('immediate')
        },
      })
    },
    TIMEOUT,
  )

  fullOnly(
    '3b. PostgreSQL restarted mid-ingest',
    async () => {
      await runScenario({
        name: '3b PostgreSQL restarted mid-ingest',
        ingest: async (ctx) => {
          await ctx.cluster.ingest(papers.slice(0, 10), 5)
          await Promise.all([
            postgres.restart('immediate'),
            ctx.cluster.ingest(papers.slice(10), 5),
          ])
        },
      })
    },
    TIMEOUT,
  )

  const transient: [number, string][] = [
    [421, '4.7.0 try again later'],
    [451, '4.7.1 greylisted, try again later'],
    [454, '4.7.0 temporary authentication failure'],
  ]
  const refusesForAWhile = (ctx: Context) => {
    const until = Date.now() + 6_000
    let n = 0
    ctx.smtp.onRcpt = () => (Date.now() < until ? transient[n++ % transient.length] : undefined)
  }
  const refusedFor = (people: readonly WorkSubscriber[]) =>
    new Set(people.filter((_, i) => i % 10 === 4).map((p) => p.email))
  const refusesSome = (ctx: Context, refused: ReadonlySet<string>) => {
    const before = ctx.smtp.onRcpt
    ctx.smtp.onRcpt = (to) => (refused.has(to) ? [550, '5.1.1 no such user'] : before(to))
  }
  const dropsFirstTries = (ctx: Context) => {
    const tries = new Map<string, number>()
    ctx.smtp.onData = (to) => {
      const n = (tries.get(to) ?? 0) + 1
      tries.set(to, n)
      return n === 1 && to.length % 3 === 0 ? { kind: 'drop' } : { kind: 'accept' }
    }
  }
  const suppressedOnce = (ctx: Context, refused: ReadonlySet<string>, tally: Tally) => {
    expect(tally.suppressed).toBe(refused.size)
    for (const email of refused) {
      expect(ctx.smtp.attempts.get(email), email).toBe(1)
      expect(ctx.smtp.accepted.filter((m) => m.to === email)).toEqual([])
    }
  }

  fullOnly(
    '4a. SMTP answering 421/451/454 for a while: everything is delivered later',
    async () => {
      const tally = await runScenario({
        name: '4a SMTP 421/451/454',
        due: dueNowWith(refusesForAWhile),
      })
      expect(tally.delivered).toBe(tally.expected)
    },
    TIMEOUT,
  )

  fullOnly(
    '4b. SMTP 550 for some recipients: suppressed, nothing more sent to them',
    async () => {
      let refused: ReadonlySet<string> = new Set()
      await runScenario({
        name: '4b SMTP 550 for some',
        due: dueNowWith((ctx) => {
          refused = refusedFor(ctx.people)
          refusesSome(ctx, refused)
        }),
        check: (ctx, tally) => suppressedOnce(ctx, refused, tally),
      })
    },
    TIMEOUT,
  )

  fullOnly(
    '4c. SMTP connection dropped mid-DATA',
    async () => {
      await runScenario({ name: '4c SMTP dropped mid-DATA', due: dueNowWith(dropsFirstTries) })
    },
    TIMEOUT,
  )

  shortOnly(
    'A. workers SIGKILLed before and after SMTP accepted, then Redis FLUSHALL',
    async () => {
      const tally = await runScenario({
        name: 'A: 1a + 1b + 2b',
        workers: [{}, { FAULT_CRASH_AFTER_SENDS: '15' }],
        fault: async (ctx) => {
          await ctx.cluster.workers[1]?.exited
          await killWorkerBeforeAccept(ctx)
          await ctx.cluster.start('worker')
          await ctx.delivered(0.6)
          await redis.flushAll()
        },
      })
      expect(tally.uncertain).toBeGreaterThan(0)
    },
    TIMEOUT,
  )

  shortOnly(
    'B. SMTP 421/451/454 for a while, 550 for some, connections dropped mid-DATA, PostgreSQL restarted',
    async () => {
      let refused: ReadonlySet<string> = new Set()
      await runScenario({
        name: 'B: 4a + 4b + 4c + 3a',
        due: dueNowWith((ctx) => {
          refused = refusedFor(ctx.people)
          refusesForAWhile(ctx)
          refusesSome(ctx, refused)
          dropsFirstTries(ctx)
        }),
        fault: async (ctx) => {
          await ctx.delivered(0.4)
          await postgres.restart('immediate')
        },
        check: (ctx, tally) => suppressedOnce(ctx, refused, tally),
      })
    },
    TIMEOUT,
  )

  bothVersions(
    '5a. two schedulers, and the clock running through Berlin’s spring-forward (02:00 skipped)',
    async () => {
      await runScenario(
        clockScenario({
          name: '5a 2 schedulers, Berlin DST skip',
          timezone: 'Europe/Berlin',
          hours: [2, 3],
          // 01:00 UTC on 29 March 2026: Berlin's clocks go from 02:00 to 03:00.
          transition: '2026-03-29T01:00:00Z',
          day: '2026-03-29',
        }),
      )
    },
    TIMEOUT,
  )

  fullOnly(
    '5b. two schedulers, New York’s fall-back (01:00 twice) and the clock stepping back an hour',
    async () => {
      await runScenario(
        clockScenario({
          name: '5b 2 schedulers, New York DST repeat',
          timezone: 'America/New_York',
          hours: [1, 2],
          // 06:00 UTC on 1 November 2026: New York's clocks go from 02:00 back to 01:00.
          transition: '2026-11-01T06:00:00Z',
          day: '2026-11-01',
          // From 00:40 EDT, before the first 01:00.
          startMinutesBefore: 80,
          // At transition + 30 min (fake), back to transition - 30 min.
          stepBackAfterMs: 27_500,
        }),
      )
    },
    TIMEOUT,
  )
})

function dueNowWith(prepare: (ctx: Context) => void) {
  return async (ctx: Context) => {
    prepare(ctx)
    await ctx.cluster.query('UPDATE subscribers SET next_send_at = now()')
  }
}

/**
 * Workers and two schedulers on a clock standing 20 minutes before a DST change until the
 * period is opened, then running 240 times real speed to an hour past it; every subscriber is due at a local hour the change skips or repeats, and must get
 * exactly one digest for that day. With `stepBackAfterMs`, the clock also steps back an hour
 * after the change (an NTP correction), so the repeated hour is lived through again.
 */
function clockScenario(options: {
  name: string
  timezone: string
  hours: readonly number[]
  transition: string
  /** How long before the change the clock starts (default 20 minutes). */
  startMinutesBefore?: number
  /** The local date of the change: the one period everybody gets a digest for. */
  day: string
  stepBackAfterMs?: number
}): Scenario {
  const transition = Date.parse(options.transition)
  const settings: ClockSettings = {
    start: new Date(transition - (options.startMinutesBefore ?? 20) * 60_000).toISOString(),
    // A fake minute every 250 ms: the tick (every real second) runs every 4 fake minutes.
    rate: 240,
    ...(options.stepBackAfterMs ? { stepAtMs: options.stepBackAfterMs, stepMs: -3600_000 } : {}),
  }
  const file = join(tmpdir(), `paperboy-faults-clock-${process.pid}-${Date.now()}`)
  let runningSince: number | undefined
  const fakeNow = () => clockAt(settings, runningSince, Date.now())
  return {
    name: options.name,
    schedulers: 2,
    people: (count) =>
      workSubscribers(papers, count, (i) => ({
        timezone: options.timezone,
        hour: options.hours[i % options.hours.length] ?? 0,
      })),
    knobs: { FAULT_CLOCK: JSON.stringify(settings), FAULT_CLOCK_FILE: file },
    due: async (ctx) => {
      const now = fakeNow()
      for (const hour of options.hours) {
        const due = nextSendTime(
          { frequency: 'daily', weekday: 'mon', hour, timezone: options.timezone },
          now,
        )
        // Due on the day of the change, within an hour of it.
        expect(Math.abs(due.getTime() - Date.parse(options.transition))).toBeLessThanOrEqual(
          3600_000,
        )
        await ctx.cluster.query('UPDATE subscribers SET next_send_at = $1 WHERE hour = $2', [
          due,
          hour,
        ])
      }
      runningSince = Date.now()
      writeFileSync(file, String(runningSince))
    },
    check: async (ctx) => {
      // One period, the day of the change, in the subscribers' zone.
      const periods = await ctx.cluster.query<{ period: string }>(
        'SELECT DISTINCT period FROM digests',
      )
      expect(periods.map((p) => p.period)).toEqual([options.day])
    },
    fault: async () => {
      // Runs the clock on past the change (and past the step back) before counting.
      const end = transition + 60 * 60_000
      await until('the clock past the change', async () => fakeNow().getTime() > end, 240_000)
      rmSync(file, { force: true })
    },
  }
}
