import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI 3 from the routes' schemas, served at /openapi.json, browsable at /docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'likeness',
        version,
        description: 'Face search over declared sources. Every search is made by a known user of a vetted client, '
          + 'for a stated case and purpose, and leaves a hash-chained audit entry. Errors are `{ code, message }`.',
      },
      // Relative: the document describes the server it is fetched from, whatever name or proxy reaches it.
      servers: [{ url: '/', description: 'The server this document is served by' }],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'lk_<prefix>_<secret>' } } },
      // Every route needs a key unless its schema says `security: []`.
      security: [{ apiKey: [] }],
    },
    // Shared schemas keep their $id as their name (the `Error` body) instead of def-0, def-1...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
