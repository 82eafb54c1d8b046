import type { Redis } from 'ioredis'
import type { Config } from '../config.js'
import type { DatabaseHandle } from '../db/client.js'
import type { Links } from '../links.js'
import type { Metrics } from '../metrics.js'
import type { Queues } from '../queue/queues.js'
import type { IngestDeps } from '../usecases/ingest.js'
import type { TopicAdminDeps } from '../usecases/manage-topics.js'
import type { PreviewWindows } from '../usecases/preview-window.js'
import type { FeedbackDeps } from '../usecases/record-feedback.js'
import type { TopicNames } from '../usecases/topic-names.js'
import type { PageRenderer } from './pages/page-renderer.js'

/** Everything the HTTP layer needs, taken from buildServices by startRuntime. */
export interface HttpDeps {
  readonly config: Config
  readonly database: DatabaseHandle
  /** A fail-fast connection: rate limits and readiness must not hang when Redis is away. */
  readonly redis: Redis
  readonly queues: Queues
  readonly pages: PageRenderer
  readonly links: Links
  readonly secret: string
  readonly now: () => Date
  readonly topicNames: TopicNames
  /** How the admin API adds, edits and retires topics (same path as `paperboy topics`). */
  readonly topicAdmin: TopicAdminDeps
  /** How POST /api/papers stores what it receives (same path as `paperboy ingest`). */
  readonly ingestDeps: IngestDeps
  /** The recent papers interest previews are evaluated against, kept current on ingest. */
  readonly previewWindows: PreviewWindows
  readonly metrics: Metrics
  /** How webhook reports of bounces and complaints are recorded. */
  readonly feedback: FeedbackDeps
  /** Set only when mail goes to the dev outbox instead of SMTP. */
  readonly outboxDir: string | undefined
}
