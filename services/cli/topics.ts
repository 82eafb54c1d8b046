import { loadConfig } from '../config.js'
import { interestLines } from '../domain/preferences.js'
import type { TopicAction, TopicView } from '../usecases/manage-topics.js'
import { type CliIo, parse, UsageError } from './args.js'
import { openCliContext } from './context.js'
import { DEFAULT_TIMEOUT_SECONDS, parseTimeout } from './deadline.js'
import { readInputFile } from './read-input.js'

export const TOPICS_USAGE = `Usage:
  paperboy topics list
  paperboy topics add --slug SLUG --name NAME [--description TEXT] (--line QUERY ... | --lines-from FILE)
  paperboy topics edit --slug SLUG [--name NAME] [--description TEXT] [--line QUERY ... | --lines-from FILE]
  paperboy topics retire --slug SLUG

Manages the topics subscribers can follow; every change reaches the subscribe form, the API
and the matching of new papers at once, in every running process. A slug is lower-case
letters, digits and hyphens, and never changes. Interest lines use the query language of
subscribers' interests; --line may be given many times, and --lines-from reads one line each
from FILE (- for standard input), blank lines skipped. An edit replaces the lines as a whole.
A retired topic leaves the form and matches nothing new; its followers keep it until they next
save their preferences. The built-in topic trending cannot be edited or retired.

Options:
  --timeout SECONDS  give up waiting for the server after this long (default ${DEFAULT_TIMEOUT_SECONDS})
  -h, --help         show this help`

const OPTIONS = {
  slug: { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  line: { type: 'string', multiple: true },
  'lines-from': { type: 'string' },
  timeout: { type: 'string' },
} as const

export async function topicsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.out(TOPICS_USAGE)
    return sub === undefined ? 2 : 0
  }
  if (!['list', 'add', 'edit', 'retire'].includes(sub)) {
    throw new UsageError(
      `unknown topics command "${sub}": use list, add, edit or retire (try: paperboy topics --help)`,
    )
  }
  const { values } = parse(rest, OPTIONS)
  if (values.help) {
    io.out(TOPICS_USAGE)
    return 0
  }
  const action = await actionFrom(sub, values, io)
  const context = await openCliContext(loadConfig(), {
    command: `topics ${sub}`,
    deadline: parseTimeout(values.timeout),
    notice: (line) => io.err(line),
  })
  try {
    const result = await context.topics(action)
    if (!result.ok) throw new UsageError(result.refusal.message, 1)
    if (action.kind === 'list') {
      for (const topic of result.topics) io.out(describeTopic(topic))
      return 0
    }
    const [topic] = result.topics
    if (!topic) throw new Error('the topic change answered no topic')
    const past = { add: 'added', edit: 'edited', retire: 'retired' }[action.kind]
    io.out(`${past} ${describeTopic(topic)}`)
    return 0
  } finally {
    await context.close()
  }
}

type Values = {
  slug?: string | undefined
  name?: string | undefined
  description?: string | undefined
  line?: string[] | undefined
  'lines-from'?: string | undefined
}

async function actionFrom(sub: string, values: Values, io: CliIo): Promise<TopicAction> {
  if (sub === 'list') {
    const stray = (['slug', 'name', 'description', 'line', 'lines-from'] as const).find(
      (o) => values[o] !== undefined,
    )
    if (stray) throw new UsageError(`topics list takes no --${stray}`)
    return { kind: 'list' }
  }
  const { slug } = values
  if (!slug) throw new UsageError(`topics ${sub} needs --slug SLUG`)
  if (sub === 'retire') {
    const stray = (['name', 'description', 'line', 'lines-from'] as const).find(
      (o) => values[o] !== undefined,
    )
    if (stray) throw new UsageError(`topics retire takes only --slug (got --${stray})`)
    return { kind: 'retire', slug }
  }
  const lines = await linesFrom(values, io)
  const body: Record<string, unknown> = {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.description === undefined ? {} : { description: values.description }),
    ...(lines === undefined ? {} : { interests: lines }),
  }
  if (sub === 'add') {
    if (values.name === undefined) throw new UsageError('topics add needs --name NAME')
    if (lines === undefined) {
      throw new UsageError('topics add needs interest lines: --line QUERY or --lines-from FILE')
    }
    return { kind: 'add', body: { slug, ...body } }
  }
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      'topics edit needs something to change: --name, --description, --line or --lines-from',
    )
  }
  return { kind: 'edit', slug, body }
}

async function linesFrom(values: Values, io: CliIo): Promise<string[] | undefined> {
  const file = values['lines-from']
  if (file !== undefined && values.line !== undefined) {
    throw new UsageError('give either --line or --lines-from, not both')
  }
  if (file === undefined) return values.line
  if (file === '-' && process.stdin.isTTY) {
    io.err('reading interest lines from standard input, one a line (end with Ctrl-D)')
  }
  return interestLines((await readInputFile(file)).toString('utf8'))
}

/** `robotics  Robotics (5 lines)`, its state, then its lines indented. */
function describeTopic(topic: TopicView): string {
  const state = topic.builtIn
    ? 'built in'
    : topic.retiredAt
      ? `retired ${topic.retiredAt.slice(0, 10)}`
      : `${topic.interests.length} line(s)`
  return [
    `${topic.slug}: ${topic.name} (${state})`,
    ...topic.interests.map((l) => `    ${l}`),
  ].join('\n')
}
