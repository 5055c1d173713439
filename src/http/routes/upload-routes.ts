import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LikenessError } from '../../errors.ts';
import type { ApiServices } from '../api-services.ts';
import { permit, principalOf } from '../auth.ts';
import { readMultipart } from '../multipart-form.ts';
import { errorResponses, UploadResult } from '../schemas.ts';
import { file, multipartBody } from './multipart-schema.ts';

export const uploadRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  app.post('/sources/:source/images', {
    onRequest: permit(services.authoriser, 'image.write'),
    schema: {
      tags: ['catalogue'], operationId: 'uploadImages',
      summary: 'Upload images into a source',
      description: 'One or many files in the field `images`. All or nothing: if any file is refused, none is stored.',
      consumes: ['multipart/form-data'],
      params: Type.Object({ source: Type.String() }),
      body: multipartBody({ images: { type: 'array', items: file('an image (JPEG, PNG, WebP, ...)') } }, ['images']),
      response: { 201: UploadResult, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
    },
  }, async (request, reply) => {
    const form = await readMultipart(request);
    const images = [...form.files.values()].flat();
    if (images.length === 0) throw new LikenessError('LIKENESS_BAD_INPUT', 'Send one or more image files in the field "images"');
    const results = await services.uploads.upload(principalOf(request), request.params.source, images);
    const facesIndexed = results.filter((r) => r.status === 'ingested').reduce((n, r) => n + r.faces.length, 0);
    return reply.status(201).send({ source: request.params.source, facesIndexed, images: results });
  });
};
