import type { Redis } from 'ioredis'

/**
 * Topics change rarely and are read often (every email names them), so each process keeps a
 * copy: a change is announced on one Redis channel per deployment (its queue prefix), and
 * every process drops its copy when it hears it. A process that was disconnected at that moment
 * misses the message; its copy's short lifetime bounds how stale it can be.
 */
export const topicChangesChannel = (queuePrefix: string) => `${queuePrefix}:topics-changed`

export async function announceTopicChange(
  redis: Redis,
  queuePrefix: string,
  slug: string,
): Promise<void> {
  await redis.publish(topicChangesChannel(queuePrefix), slug)
}

/**
 * Calls `onChange` whenever any process announces a topic change. `connection` becomes a
 * subscriber connection (it can do nothing else); ioredis subscribes again after a reconnect.
 */
export async function listenForTopicChanges(
  connection: Redis,
  queuePrefix: string,
  onChange: (slug: string) => void,
): Promise<void> {
  const channel = topicChangesChannel(queuePrefix)
  connection.on('message', (from: string, slug: string) => {
    if (from === channel) onChange(slug)
  })
  await connection.subscribe(channel)
}
