import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * At most one request per client in flight on a route, on top of its rate limit: a rate
 * limit bounds requests a minute, not how many one client has the server working on at once.
 * Clients are counted as the rate limit counts them (IPv6 by /64 network).
 */
export class OneInFlightPerClient {
  private readonly busy = new Set<string>()

  /** Runs `work` for the request, or answers 429 with Retry-After when its client has one running. */
  async run<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    work: () => Promise<T>,
  ): Promise<T | FastifyReply> {
    const client = normalizeIP(request.ip)
    if (this.busy.has(client)) {
      return reply
        .code(429)
        .header('retry-after', 1)
        .send({ error: 'one request at a time: wait for the previous answer, then try again' })
    }
    this.busy.add(client)
    try {
      return await work()
    } finally {
      this.busy.delete(client)
    }
  }
}
