import type { FastifyPluginAsync } from 'fastify'
import type { HttpDeps } from '../deps.js'
import { pageScript, pageStylesheet } from '../pages/page-renderer.js'

/** The pages' one stylesheet and one optional script, served with a validator so browsers cache them. */
export const staticRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app) => {
  const css = pageStylesheet()
  const js = pageScript()
  app.get('/static/style.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  )
  app.get('/static/form.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(js),
  )
}
