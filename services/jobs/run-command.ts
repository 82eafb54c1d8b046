import type { CommandJob } from '../queue/queues.js'
import { type IngestDeps, type IngestSource, ingest } from '../usecases/ingest.js'

/** Runs a CLI command inside the server that holds the embedded database. */
export async function runCommand(job: CommandJob, deps: IngestDeps) {
  const source: IngestSource =
    job.source.kind === 'body'
      ? { kind: 'body', body: Buffer.from(job.source.base64, 'base64'), label: job.source.label }
      : job.source
  return ingest(source, { deliver: job.deliver }, deps)
}

export function toCommandSource(source: IngestSource): CommandJob['source'] {
  return source.kind === 'body'
    ? { kind: 'body', base64: Buffer.from(source.body).toString('base64'), label: source.label }
    : source
}
