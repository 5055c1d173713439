import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { pageCsp } from './security-headers.ts';

// Swagger UI sets one inline style of its own (on the SVG sprite it injects); this is its hash,
// so /docs needs no 'unsafe-inline'. A new Swagger UI version may change it: the browser test
// test/browser/pages-under-csp.test.ts reports any violation.
const SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

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
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'lk_<prefix>_<secret>: for programs' },
          session: { type: 'apiKey', in: 'cookie', name: 'likeness_session', description: 'a person\'s session (POST /v1/session); changes also need X-CSRF-Token' },
        },
      },
      // Every route needs a key or a session unless its schema says `security: []`.
      security: [{ apiKey: [] }, { session: [] }],
    },
    // Shared schemas keep their $id as their name (the `Error` body) instead of def-0, def-1...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: pageCsp({ styleSrc: ["'self'", SWAGGER_UI_STYLE] }) });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
