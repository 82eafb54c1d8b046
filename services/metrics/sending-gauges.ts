import { Gauge, type Registry } from 'prom-client'
import type { Database } from '../db/client.js'
import { readPause } from '../db/repositories/feedback.js'

/**
 * `paperboy_sending_paused` and `paperboy_complaint_rate`, read from the database's one pause
 * row when scraped (a primary-key read), so every process reports the deployment's state.
 * The rate is the one worked out at the last complaint.
 */
export function registerSendingGauges(registry: Registry, database: () => Promise<Database>) {
  let reading: ReturnType<typeof readPause> | undefined
  // Both gauges are collected in one scrape: one read serves them.
  const read = async () => {
    reading ??= database().then(readPause)
    try {
      return await reading
    } finally {
      setImmediate(() => {
        reading = undefined
      })
    }
  }
  new Gauge({
    name: 'paperboy_sending_paused',
    help: '1 while digest sending is paused because the complaint rate passed its threshold',
    registers: [registry],
    async collect() {
      this.set((await read()).paused ? 1 : 0)
    },
  })
  new Gauge({
    name: 'paperboy_complaint_rate',
    help: 'Complaints per digest sent over the complaint window, as of the last complaint (0.003 is 0.3 %)',
    registers: [registry],
    async collect() {
      this.set((await read()).rate)
    },
  })
}
