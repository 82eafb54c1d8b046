import type { Logger } from '../logger.js'
import type { IngestJob } from '../queue/queues.js'
import { parseScheduledSource } from '../sources/ingest-source.js'
import { type IngestDeps, ingest } from '../usecases/ingest.js'

/**
 * One scheduled run over INGEST_SOURCES. A failing source is logged and the others still run;
 * the job fails (and BullMQ retries it) only when every source failed.
 */
export async function runScheduledIngest(job: IngestJob, deps: IngestDeps & { logger: Logger }) {
  const reports = []
  const failures: string[] = []
  for (const entry of job.sources) {
    try {
      const report = await ingest(parseScheduledSource(entry), { deliver: true }, deps)
      deps.logger.info(
        {
          source: report.source,
          new: report.new,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: report.rejected.length,
        },
        'scheduled ingest done',
      )
      reports.push(report)
    } catch (error) {
      failures.push(`${entry}: ${(error as Error).message}`)
      deps.logger.error({ source: entry, err: error }, 'scheduled ingest failed')
    }
  }
  if (reports.length === 0 && failures.length > 0) throw new Error(failures.join('; '))
  return { sources: reports.length, failures }
}
