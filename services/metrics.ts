import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Database } from './db/client.js'
import { countDeliveries } from './db/repositories/delivery-counts.js'
import { digestStatus } from './db/schema/index.js'
import type { Mailer } from './mail/transport.js'
import type { Queues } from './queue/queues.js'
import type { Role } from './roles.js'

/**
 * Every Prometheus series this process exposes at /metrics, in one registry per process. Each
 * series carries the process's `role` (all, api, worker, scheduler), so the api's request
 * latency and a worker's digests are told apart when both are scraped.
 */
export interface Metrics {
  readonly registry: Registry
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>
  readonly jobDuration: Histogram<'queue' | 'outcome'>
  readonly papersIngested: Counter<'kind'>
  readonly matchesMade: Counter
  readonly digests: Counter<'result'>
  readonly smtpDuration: Histogram<'outcome'>
  /** Bounces and complaints reported after sending (webhooks, delivery reports). */
  readonly mailFeedback: Counter<'provider' | 'type'>
}

export function createMetrics(queues: Queues | undefined, role: Role, db?: Database): Metrics {
  const registry = new Registry()
  registry.setDefaultLabels({ role })
  // Unprefixed: process_cpu_seconds_total, nodejs_heap_size_used_bytes… are the names the
  // usual Node.js dashboards query.
  collectDefaultMetrics({ register: registry })
  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'paperboy_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'paperboy_job_duration_seconds',
      help: 'Time a job spent in its processor, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    papersIngested: new Counter({
      name: 'paperboy_papers_ingested_total',
      help: 'Papers stored by ingestion: new, updated, unchanged, rejected',
      labelNames: ['kind'],
      registers: [registry],
    }),
    matchesMade: new Counter({
      name: 'paperboy_matches_total',
      help: 'Matches recorded for new papers: one per (interest line, paper) and one per (topic, paper), however many subscribers share them',
      registers: [registry],
    }),
    digests: new Counter({
      name: 'paperboy_digests_total',
      help: 'Digest jobs by result: sent, empty, skipped, uncertain, failed, bounced',
      labelNames: ['result'],
      registers: [registry],
    }),
    smtpDuration: new Histogram({
      name: 'paperboy_smtp_send_duration_seconds',
      help: 'Time for the SMTP server to accept (or refuse) a message',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    mailFeedback: new Counter({
      name: 'paperboy_mail_feedback_total',
      help: 'Bounces and complaints reported after sending, by provider (ses, postmark, mailgun, sendgrid, dsn, arf) and type (hard_bounce, soft_bounce, complaint)',
      labelNames: ['provider', 'type'],
      registers: [registry],
    }),
  }
  if (queues) {
    // Read from Redis when scraped, so every process reports the shared queues as they are
    // (the same numbers under each role: aggregate with max, not sum).
    new Gauge({
      name: 'paperboy_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset()
        for (const queue of [
          queues.mail,
          queues.match,
          queues.ingest,
          queues.tick,
          queues.commands,
        ]) {
          const counts = await queue.getJobCounts(
            'waiting',
            'active',
            'delayed',
            'failed',
            'completed',
            'prioritized',
          )
          for (const [state, count] of Object.entries(counts))
            this.set({ queue: queue.name, state }, count)
        }
      },
    })
  }
  if (db) {
    // What the database says is owed and done, whatever Redis holds: a digest stuck `pending`
    // or `sending`, or piling up `uncertain`, shows here. The same in every role (use max).
    // Both gauges are read in one statement per scrape: prom-client collects them side by side.
    let reading: { at: number; counts: ReturnType<typeof countDeliveries> } | undefined
    const counts = () => {
      if (reading === undefined || Date.now() - reading.at > 1_000) {
        reading = { at: Date.now(), counts: countDeliveries(db) }
      }
      return reading.counts
    }
    new Gauge({
      name: 'paperboy_digests_by_status',
      help: 'Digest rows by status: pending, sending, sent, empty, uncertain, failed',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const { digests } = await counts()
        for (const status of digestStatus.enumValues) this.set({ status }, digests[status] ?? 0)
      },
    })
    new Gauge({
      name: 'paperboy_suppressed_addresses',
      help: 'Addresses that bounced (a 5xx reply): nothing more is sent to them',
      registers: [registry],
      async collect() {
        this.set((await counts()).suppressed)
      },
    })
  }
  return metrics
}

/** The mailer, timed. */
export function timedMailer(mailer: Mailer, metrics: Metrics): Mailer {
  return {
    kind: mailer.kind,
    close: () => mailer.close(),
    async send(message) {
      const stop = metrics.smtpDuration.startTimer()
      try {
        const info = await mailer.send(message)
        stop({ outcome: 'accepted' })
        return info
      } catch (error) {
        stop({ outcome: 'refused' })
        throw error
      }
    },
  }
}
