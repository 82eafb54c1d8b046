import closeWithGrace from 'close-with-grace'
import { buildServices } from '../build-services.js'
import { ConfigError, loadConfig } from '../config.js'
import { describeError } from '../describe-error.js'
import { createLogger } from '../logger.js'
import { ROLES, type Role } from '../roles.js'
import { startRuntime } from '../runtime.js'
import { type CliIo, parse, terminalIo, UsageError } from './args.js'
import { bouncesCommand, sendingCommand } from './bounces.js'
import { digestCommand, previewCommand } from './digest.js'
import { ingestCommand } from './ingest.js'
import { topicsCommand } from './topics.js'

const USAGE = `Usage: paperboy <command> [options]

Commands:
  serve [--role all|api|worker|scheduler]   run the service (default role: all, in one process)
  migrate                                   apply the database migrations and add the shipped topics
  ingest (--source NAME ... | --file PATH)  store papers from a source or a file (see ingest --help)
  digest run [--now] [--email ADDR] [--wait] [--timeout SECONDS]
                                            queue the digests that are due, or send them now
  preview --email ADDR [--out FILE]         render a subscriber's next digest without sending it
  topics list|add|edit|retire [options]     manage the topics subscribers follow (see topics --help)
  bounces --file PATH|-                     record a bounce or complaint report received by mail
  sending status|resume                     whether complaints paused digests; lift the pause

Options:
  -h, --help                                show help for a command

Configuration comes from environment variables; see README.md.`

/** The `paperboy` command. Returns the exit status; never throws for expected failures. */
export async function main(argv: string[], io: CliIo = terminalIo()): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, io)
      case 'migrate':
        return await migrate(rest, io)
      case 'ingest':
        return await ingestCommand(rest, io)
      case 'digest':
        return await digestCommand(rest, io)
      case 'preview':
        return await previewCommand(rest, io)
      case 'topics':
        return await topicsCommand(rest, io)
      case 'bounces':
        return await bouncesCommand(rest, io)
      case 'sending':
        return await sendingCommand(rest, io)
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE)
        return command === undefined ? 2 : 0
      default:
        throw new UsageError(`unknown command "${command}" (try: paperboy --help)`)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`paperboy: ${error.message}`)
      return error.exitCode
    }
    if (error instanceof ConfigError) {
      io.err(`paperboy: ${error.message}`)
      return 2
    }
    io.err(`paperboy: ${describeError(error)}`)
    return 1
  }
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { role: { type: 'string' } })
  if (values.help) {
    io.out(
      'Usage: paperboy serve [--role all|api|worker|scheduler]\n\nRuns the API, the workers and the scheduler (all), or one of them.',
    )
    return 0
  }
  const role = (values.role ?? 'all') as Role
  if (!ROLES.includes(role))
    throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${role}")`)
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  const runtime = await startRuntime({ config, role, logger, startRedisIfMissing: role === 'all' })
  logger.info(
    { role, address: runtime.address, database: runtime.database.kind, mail: runtime.mailer?.kind },
    runtime.address ? `Paperboy listening on ${config.publicUrl}` : `Paperboy ${role} started`,
  )
  await new Promise<void>((resolve) => {
    closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
      if (err) logger.error({ err }, 'shutting down after an error')
      else logger.info({ signal }, 'shutting down')
      await runtime.close()
      resolve()
    })
  })
  return 0
}

async function migrate(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {})
  if (values.help) {
    io.out(
      'Usage: paperboy migrate\n\nApplies the migrations in migrations/ to DATABASE_URL (or the embedded database) and adds the shipped topics.',
    )
    return 0
  }
  const services = buildServices(loadConfig(), { holder: 'paperboy migrate' })
  try {
    const database = await services.prepareDatabase()
    io.out(`migrations applied (${database.kind})`)
    return 0
  } finally {
    await services.close()
  }
}
