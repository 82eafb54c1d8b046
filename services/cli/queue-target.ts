import type { Config } from '../config.js'
import { answers } from '../embedded-redis.js'
import { type EmbeddedServerInfo, findEmbeddedServer, SERVER_FILE } from '../embedded-server.js'
import { redactUrl } from '../queue/redis.js'

/** Where a CLI command puts its jobs. */
export interface QueueTarget {
  readonly redisUrl: string
  readonly queuePrefix: string
  /** The server holding the embedded database; the work is handed to it. */
  readonly server: EmbeddedServerInfo | undefined
}

/**
 * The queues of the server that holds DATA_DIR's embedded database, as its server.json
 * records them: only that server can do the work, so its Redis and prefix win over this
 * environment's (which are named on stderr when they differ). Otherwise this environment's.
 */
export async function queueTargetOf(
  config: Config,
  env: NodeJS.ProcessEnv,
  notice: (line: string) => void,
): Promise<QueueTarget> {
  const server = config.databaseUrl ? undefined : findEmbeddedServer(config.dataDir)
  if (!server) return { redisUrl: config.redisUrl, queuePrefix: config.queuePrefix, server }
  const serverFile = `${config.dataDir.replace(/\/+$/, '')}/${SERVER_FILE}`
  const differences = [
    env.QUEUE_PREFIX && env.QUEUE_PREFIX !== server.queuePrefix
      ? `QUEUE_PREFIX=${server.queuePrefix} (not ${env.QUEUE_PREFIX})`
      : undefined,
    env.REDIS_URL && env.REDIS_URL !== server.redisUrl
      ? `REDIS_URL=${redactUrl(server.redisUrl)} (not ${redactUrl(env.REDIS_URL)})`
      : undefined,
  ].filter(Boolean)
  if (differences.length > 0) {
    notice(
      `the server (pid ${server.pid}) holds ${config.dataDir}; using its ${differences.join(' and ')}, from ${serverFile}`,
    )
  }
  if (!(await answers(server.redisUrl))) {
    throw new Error(
      `the server (pid ${server.pid}) holding ${config.dataDir} uses Redis at ${redactUrl(server.redisUrl)}, which does not answer; restart the server, or stop it to work on ${config.dataDir} directly`,
    )
  }
  return { redisUrl: server.redisUrl, queuePrefix: server.queuePrefix, server }
}
