import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod'

/**
 * Requests are validated by the routes' zod schemas (schemas.ts), and the OpenAPI document at
 * /docs is rendered from the same schemas, so it shows exactly what is enforced. Response
 * schemas document the answers; responses are serialised as they are.
 */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  app.setValidatorCompiler(validatorCompiler)
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
    transform: (document) =>
      jsonSchemaTransform({
        ...document,
        schema: {
          ...document.schema,
          hide: !(
            document.url.startsWith('/api/') || ['/healthz', '/readyz'].includes(document.url)
          ),
        },
      }),
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
}
