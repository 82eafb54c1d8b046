import { writeFile } from 'node:fs/promises'
import { loadConfig } from '../config.js'
import { NoSuchSubscriberError } from '../usecases/digests.js'
import { type CliIo, parse, UsageError } from './args.js'
import { openCliContext } from './context.js'

const DIGEST_USAGE = `Usage: paperboy digest run [--now] [--email ADDR] [--wait]

Queues the digests that are due now (what the scheduler does every minute).

Options:
  --now           send at once to every active subscriber with pending matches, whatever the
                  hour, as an extra digest (each paper still goes out once)
  --email ADDR    only this subscriber
  --wait          return when the digests are sent or have failed, and print a summary
  -h, --help      show this help`

const PREVIEW_USAGE = `Usage: paperboy preview --email ADDR [--out FILE]

Renders that subscriber's next digest without sending it or marking anything delivered:
the HTML to FILE (or the plain text to stdout without --out).`

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
  })
  if (values.help) {
    io.out(DIGEST_USAGE)
    return 0
  }
  const context = await openCliContext(loadConfig())
  try {
    const ids = await context.runDigests({ now: Boolean(values.now), email: values.email })
    io.out(`${ids.length} digest(s) queued`)
    if (!values.wait) return 0
    const summary = await context.waitFor('mail', ids, (m) => io.progress(m))
    const parts = Object.entries(summary.results).map(([result, n]) => `${n} ${result}`)
    io.out(`done: ${[...parts, `${summary.failed.length} failed`].join(', ')}`)
    for (const failure of summary.failed) io.out(`  failed ${failure}`)
    return summary.failed.length > 0 ? 1 : 0
  } catch (error) {
    if (error instanceof NoSuchSubscriberError) throw new UsageError(error.message, 1)
    throw error
  } finally {
    await context.close()
  }
}

export async function previewCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { email: { type: 'string' }, out: { type: 'string' } })
  if (values.help) {
    io.out(PREVIEW_USAGE)
    return 0
  }
  if (!values.email) throw new UsageError('preview needs --email ADDR')
  const context = await openCliContext(loadConfig())
  try {
    const preview = await context.preview(values.email)
    if (values.out) {
      await writeFile(values.out, preview.html)
      io.out(`${preview.subject} (${preview.total} paper(s)); HTML written to ${values.out}`)
    } else {
      io.out(`Subject: ${preview.subject}\n\n${preview.text}`)
    }
    return 0
  } catch (error) {
    if (error instanceof NoSuchSubscriberError) throw new UsageError(error.message, 1)
    throw error
  } finally {
    await context.close()
  }
}
