import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { UiServices } from '../api-services.ts';

const Transparency = Type.Object({
  categories: Type.Array(Type.Object({
    kind: Type.String(), legalBasis: Type.String(), specialCategoryCondition: Type.Union([Type.String(), Type.Null()]),
    jurisdictions: Type.Array(Type.String()), retentionDays: Type.Integer(), sources: Type.Integer(),
  })),
  retentionCapDays: Type.Integer(),
  faces: Type.Integer(),
});

/** Public, no key: what anyone is entitled to know before asking about their own face. */
export const transparencyRoutes: FastifyPluginAsyncTypebox<{ services: UiServices }> = async (app, { services }) => {
  app.get('/transparency', {
    schema: {
      tags: ['public'], operationId: 'getTransparency', summary: 'Categories of source, legal bases, jurisdictions and retention (no key needed)',
      security: [], response: { 200: Transparency },
    },
  }, async () => services.transparency.summary());
};
