import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { listPapers, type PaperRow } from '../../db/repositories/papers.js'
import { MAX_BODY_BYTES, UnreadableInputError } from '../../sources/index.js'
import { ingest } from '../../usecases/ingest.js'
import type { HttpDeps } from '../deps.js'
import { requireAdmin } from '../plugins/admin-auth.js'
import { apiSchemas } from '../schemas.js'

export const papersRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  api.get('/api/papers', { schema: apiSchemas.listPapers }, async (request) => {
    const { since, limit } = request.query
    const papers = await listPapers(deps.database.db, {
      since: since === undefined ? undefined : new Date(since),
      limit,
    })
    return { papers: papers.map(toJson) }
  })

  // Its own context: the body is kept as raw bytes whatever the content type, because the
  // format is detected from the content, not from what the client claims.
  await app.register(async (upload) => {
    upload.removeAllContentTypeParsers()
    upload.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
      (_request, body, done) => done(null, body),
    )
    upload.withTypeProvider<ZodTypeProvider>().post(
      '/api/papers',
      {
        onRequest: requireAdmin(deps.config.adminToken),
        bodyLimit: MAX_BODY_BYTES,
        schema: apiSchemas.ingestPapers,
      },
      async (request, reply) => {
        const body = request.body
        if (!Buffer.isBuffer(body) || body.length === 0) {
          return reply.code(400).send({
            error: 'the body is empty: send Paperboy JSON, Hugging Face JSON, arXiv Atom or RSS',
          })
        }
        try {
          const report = await ingest(
            { kind: 'body', body, label: 'POST /api/papers' },
            { deliver: request.query.deliver !== 'false' },
            deps.ingestDeps,
          )
          return {
            format: report.format,
            new: report.new,
            updated: report.updated,
            unchanged: report.unchanged,
            rejected: [...report.rejected],
          }
        } catch (error) {
          if (error instanceof UnreadableInputError)
            return reply.code(400).send({ error: error.message })
          throw error
        }
      },
    )
  })
}

function toJson(p: PaperRow) {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: [...p.authors],
    categories: [...p.categories],
    publishedAt: p.publishedAt?.toISOString() ?? null,
    url: p.url,
    upvotes: p.upvotes,
    organization: p.organization,
    aiKeywords: [...p.aiKeywords],
    version: p.version,
    sources: [...p.sources],
    firstSeenAt: p.firstSeenAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }
}
