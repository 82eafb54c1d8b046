import { loadConfig } from '../config.js'
import { UnreadableInputError } from '../sources/index.js'
import type { IngestSource } from '../sources/ingest-source.js'
import { type CliIo, parse, UsageError } from './args.js'
import { openCliContext } from './context.js'
import { DEFAULT_TIMEOUT_SECONDS, parseTimeout } from './deadline.js'
import { readInputFile } from './read-input.js'

export const INGEST_USAGE = `Usage:
  paperboy ingest --source hf-daily [--date YYYY-MM-DD]
  paperboy ingest --source arxiv --query "cat:cs.AI AND ti:safety" [--max N]
  paperboy ingest --source arxiv-rss --category cs.AI
  paperboy ingest --file PATH        (--file - reads standard input)

Stores the papers (new ones are matched against every subscriber) and prints how many were
new, updated, unchanged and rejected, with the reason for each rejected one.

Options:
  --wait             return only when matching of the new papers has finished
  --no-deliver       store without matching (backfills): these papers are never emailed
  --timeout SECONDS  give up waiting (for the server, and for --wait) after this long, saying
                     what is still pending (default ${DEFAULT_TIMEOUT_SECONDS})
  -h, --help         show this help`

const DATE = /^\d{4}-\d{2}-\d{2}$/

export async function ingestCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    source: { type: 'string' },
    date: { type: 'string' },
    query: { type: 'string' },
    max: { type: 'string' },
    category: { type: 'string' },
    file: { type: 'string' },
    wait: { type: 'boolean' },
    'no-deliver': { type: 'boolean' },
    timeout: { type: 'string' },
  })
  if (values.help) {
    io.out(INGEST_USAGE)
    return 0
  }
  const deadline = parseTimeout(values.timeout)
  const source = await sourceFrom(values, io)
  const context = await openCliContext(loadConfig(), {
    command: 'ingest',
    deadline,
    notice: (line) => io.err(line),
  })
  try {
    const report = await context.ingest(source, { deliver: !values['no-deliver'] }, (m) =>
      io.progress(m),
    )
    if (report.notModified) {
      io.out(`${report.source}: not modified since the last fetch; nothing to do`)
      return 0
    }
    io.out(
      `${report.source} (${report.format}): ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected`,
    )
    for (const item of report.rejected) {
      io.out(`  rejected #${item.index}${item.id ? ` (${item.id})` : ''}: ${item.reason}`)
    }
    if (values['no-deliver'] && report.new > 0) io.out('  stored without delivery (--no-deliver)')
    if (values.wait && report.matchJobId) {
      await context.waitFor('match', [report.matchJobId], (m) => io.progress(m))
      io.out(`  matching finished for ${report.toMatch.length} new paper(s)`)
    }
    const stored = report.new + report.updated + report.unchanged
    return stored === 0 && report.rejected.length > 0 ? 1 : 0
  } catch (error) {
    if (error instanceof UnreadableInputError)
      throw new UsageError(`cannot read ${describe(source)}: ${error.message}`, 1)
    throw error
  } finally {
    await context.close()
  }
}

async function sourceFrom(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
): Promise<IngestSource> {
  const str = (name: string) =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined
  const file = str('file')
  const kind = str('source')
  if (file && kind) throw new UsageError('give either --file or --source, not both')
  if (file) {
    if (file === '-' && process.stdin.isTTY)
      io.err('reading papers from standard input (end with Ctrl-D)')
    return { kind: 'body', body: await readInputFile(file), label: file === '-' ? 'stdin' : file }
  }
  switch (kind) {
    case 'hf-daily': {
      const date = str('date')
      if (
        date !== undefined &&
        (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      ) {
        throw new UsageError(`--date must be a date like 2026-06-12 (got "${date}")`)
      }
      return { kind: 'hf-daily', date }
    }
    case 'arxiv': {
      const query = str('query')
      if (!query)
        throw new UsageError('--source arxiv needs --query, e.g. --query "cat:cs.AI AND ti:safety"')
      const max = str('max') ?? '100'
      if (!/^\d+$/.test(max) || Number(max) < 1 || Number(max) > 10_000) {
        throw new UsageError(`--max must be a whole number from 1 to 10000 (got "${max}")`)
      }
      return { kind: 'arxiv', query, max: Number(max) }
    }
    case 'arxiv-rss': {
      const category = str('category')
      if (
        !category ||
        !/^[A-Za-z-]+(\.[A-Za-z-]+)?(\+[A-Za-z-]+(\.[A-Za-z-]+)?)*$/.test(category)
      ) {
        throw new UsageError('--source arxiv-rss needs --category, e.g. --category cs.AI')
      }
      return { kind: 'arxiv-rss', category }
    }
    case undefined:
      throw new UsageError(
        'say what to ingest: --file PATH or --source hf-daily|arxiv|arxiv-rss (see --help)',
      )
    default:
      throw new UsageError(`--source must be hf-daily, arxiv or arxiv-rss (got "${kind}")`)
  }
}

function describe(source: IngestSource): string {
  return source.kind === 'body' ? source.label : source.kind
}
