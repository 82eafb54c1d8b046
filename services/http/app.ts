import formbody from '@fastify/formbody'
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from '../logger.js'
import type { HttpDeps } from './deps.js'
import { registerErrorHandling } from './plugins/errors.js'
import { registerOpenApi } from './plugins/openapi.js'
import { adminQueuesRoutes } from './routes/admin-queues.js'
import { adminSendingRoutes } from './routes/admin-sending.js'
import { adminTopicsRoutes } from './routes/admin-topics.js'
import { confirmRoutes } from './routes/confirm.js'
import { devOutboxRoutes } from './routes/dev-outbox.js'
import { digestRoutes } from './routes/digest-page.js'
import { feedbackWebhookRoutes } from './routes/feedback-webhooks.js'
import { feedRoutes } from './routes/feeds.js'
import { healthRoutes } from './routes/health.js'
import { interestPreviewRoutes } from './routes/interest-preview.js'
import { metricsPlugin } from './routes/metrics.js'
import { papersRoutes } from './routes/papers.js'
import { preferencesRoutes } from './routes/preferences.js'
import { staticRoutes } from './routes/static.js'
import { subscribeRoutes } from './routes/subscribe.js'
import { triageRoutes } from './routes/triage.js'
import { unsubscribeRoutes } from './routes/unsubscribe.js'

/** Forms are a few KB at most (25 interests of 200 characters); anything far larger is abuse. */
export const BODY_LIMIT_BYTES = 32 * 1024

/** The whole HTTP surface as one Fastify instance; startRuntime listens, tests use inject(). */
export async function buildApp(deps: HttpDeps, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger carries more than FastifyBaseLogger declares; the widening is safe.
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: fastifyTrustProxy(deps.config.trustProxy),
    bodyLimit: BODY_LIMIT_BYTES,
  })
  registerErrorHandling(app, deps)
  await registerOpenApi(app, deps.config.publicUrl)
  await app.register(
    helmet,
    securityHeaders(deps.config.publicUrl, { remoteImages: deps.config.digestThumbnails }),
  )
  await app.register(formbody)
  await app.register(rateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: `${deps.config.queuePrefix}-rate-limit-`,
  })
  await app.register(metricsPlugin, { metrics: deps.metrics, config: deps.config })
  await app.register(healthRoutes, { deps })
  await app.register(staticRoutes, { deps })
  await app.register(subscribeRoutes, { deps })
  await app.register(confirmRoutes, { deps })
  await app.register(preferencesRoutes, { deps })
  await app.register(unsubscribeRoutes, { deps })
  await app.register(papersRoutes, { deps })
  await app.register(adminTopicsRoutes, { deps, topics: deps.topicAdmin })
  await app.register(digestRoutes, { deps })
  await app.register(triageRoutes, { deps })
  await app.register(feedRoutes, { deps })
  await app.register(interestPreviewRoutes, { deps })
  await app.register(feedbackWebhookRoutes, { deps })
  await app.register(adminSendingRoutes, { deps })
  await app.register(adminQueuesRoutes, {
    queues: deps.queues,
    adminToken: deps.config.adminToken,
    publicUrl: deps.config.publicUrl,
  })
  // The outbox lists every email with its signed links: a development aid, never served in production.
  if (deps.outboxDir && !deps.config.production) {
    await app.register(devOutboxRoutes, { deps, outboxDir: deps.outboxDir })
  }
  return app
}

/**
 * Helmet's options. Upgrading requests to https and HSTS only make sense when people reach the
 * app over https: over plain HTTP on a LAN name, `upgrade-insecure-requests` sends the page's
 * CSS, script and form posts to an https port that is not there.
 */
export function securityHeaders(
  publicUrl: string,
  options: { remoteImages?: boolean } = {},
): FastifyHelmetOptions {
  const https = new URL(publicUrl).protocol === 'https:'
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Digest pages show papers' thumbnails from the sources' servers (https only, checked
        // on ingest); helmet's no-referrer policy keeps the page's signed link from them.
        imgSrc: options.remoteImages ? ["'self'", 'data:', 'https:'] : ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // null removes one of helmet's default directives.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    hsts: https,
  }
}

/** TRUST_PROXY as Fastify takes it; a hop count becomes the function Fastify's types ask for. */
function fastifyTrustProxy(value: boolean | string | number) {
  return typeof value === 'number' ? (_address: string, hop: number) => hop < value : value
}
