import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/**
 * OpenAPI for the JSON API, built from the route schemas, browsable at /docs. The schemas are
 * documentation: requests are validated by the same zod schemas the forms use (one set of
 * rules and messages), and responses are serialised as they are.
 */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  app.setValidatorCompiler(() => () => true)
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Paperboy API',
        description:
          'Subscriptions, topics, interest previews and papers. Admin routes take `Authorization: Bearer $ADMIN_TOKEN`.',
        version: '0.1.0',
      },
      servers: [{ url: publicUrl }],
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
    },
    // Only the JSON API and the operational endpoints; the HTML pages are not an API.
    transform: ({ schema, url }) => ({
      schema: {
        ...schema,
        hide: !(url.startsWith('/api/') || ['/healthz', '/readyz'].includes(url)),
      },
      url,
    }),
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
}
