import { writeFile } from 'node:fs/promises'
import { loadConfig } from '../config.js'
import { NoSuchSubscriberError } from '../usecases/subscriber-by-address.js'
import { type CliIo, parse, UsageError } from './args.js'
import { openCliContext } from './context.js'
import { DEFAULT_TIMEOUT_SECONDS, parseTimeout } from './deadline.js'
import type { JobSummary } from './wait-for-jobs.js'

const DIGEST_USAGE = `Usage: paperboy digest run [--now] [--email ADDR] [--wait] [--timeout SECONDS]

Queues the digests that are due now (what the scheduler does every minute).

Options:
  --now              send at once to every active subscriber with pending matches, whatever
                     the hour, as an extra digest (each paper still goes out once)
  --email ADDR       only this subscriber
  --wait             return when the digests are sent or have failed, and print a summary
  --timeout SECONDS  give up waiting (for the server, and for --wait) after this long, saying
                     what is still pending (default ${DEFAULT_TIMEOUT_SECONDS})
  -h, --help         show this help`

const PREVIEW_USAGE = `Usage: paperboy preview --email ADDR [--out FILE] [--timeout SECONDS]

Renders that subscriber's next digest without sending it or marking anything delivered:
the HTML to FILE (or the plain text to stdout without --out). With nothing pending it says so
and writes nothing.`

export async function digestCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args
  if (sub === '-h' || sub === '--help' || sub === undefined) {
    io.out(DIGEST_USAGE)
    return sub === undefined ? 2 : 0
  }
  if (sub !== 'run')
    throw new UsageError(`unknown digest command "${sub}" (try: paperboy digest run --help)`)
  const { values } = parse(rest, {
    now: { type: 'boolean' },
    email: { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
  })
  if (values.help) {
    io.out(DIGEST_USAGE)
    return 0
  }
  const deadline = parseTimeout(values.timeout)
  const context = await openCliContext(loadConfig(), {
    command: 'digest run',
    deadline,
    notice: (line) => io.err(line),
  })
  try {
    const ids = await context.runDigests({ now: Boolean(values.now), email: values.email })
    io.out(`${ids.length} digest(s) queued`)
    if (!values.wait) return 0
    if (ids.length > 0 && (await context.sendingStatus()).paused) {
      io.err(
        'digest sending is paused for complaints (paperboy sending status): these digests wait until `paperboy sending resume`',
      )
    }
    const summary = await context.waitFor('mail', ids, (m) => io.progress(m))
    io.out(`done: ${describeSummary(summary)}`)
    for (const failure of summary.failed) io.out(`  failed ${failure}`)
    return summary.failed.length > 0 ? 1 : 0
  } catch (error) {
    if (error instanceof NoSuchSubscriberError) throw new UsageError(error.message, 1)
    throw error
  } finally {
    await context.close()
  }
}

/** `1 sent, 0 failed`, with any other result between: sent and failed are always named. */
export function describeSummary(summary: JobSummary): string {
  const { failed: failedResults = 0, ...results } = summary.results
  const counts = { sent: 0, ...results, failed: summary.failed.length + failedResults }
  return Object.entries(counts)
    .map(([result, n]) => `${n} ${result}`)
    .join(', ')
}

export async function previewCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    email: { type: 'string' },
    out: { type: 'string' },
    timeout: { type: 'string' },
  })
  if (values.help) {
    io.out(PREVIEW_USAGE)
    return 0
  }
  if (!values.email) throw new UsageError('preview needs --email ADDR')
  const deadline = parseTimeout(values.timeout)
  const context = await openCliContext(loadConfig(), {
    command: 'preview',
    deadline,
    notice: (line) => io.err(line),
  })
  try {
    const { total, rendered } = await context.preview(values.email)
    if (!rendered) {
      io.out(
        `nothing pending for ${values.email}: their next digest would be empty${values.out ? `; ${values.out} not written` : ''}`,
      )
      return 0
    }
    if (values.out) {
      await writeFile(values.out, rendered.html)
      io.out(`${rendered.subject} (${total} paper(s)); HTML written to ${values.out}`)
    } else {
      io.out(`Subject: ${rendered.subject}\n\n${rendered.text}`)
    }
    return 0
  } catch (error) {
    if (error instanceof NoSuchSubscriberError) throw new UsageError(error.message, 1)
    throw error
  } finally {
    await context.close()
  }
}
