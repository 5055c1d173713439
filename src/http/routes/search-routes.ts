import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiServices } from '../api-services.ts';
import { principalOf, requireRole } from '../auth.ts';
import { LikenessError } from '../../errors.ts';
import { listField, numberField, readMultipart, singleFile } from '../multipart-form.ts';
import { CompareResult, errorResponses, SearchResult } from '../schemas.ts';
import { file, files, multipartBody, numeric, text } from './multipart-schema.ts';
import { MAX_FUSED_PHOTOS } from '../../services/searches/accountable-search-service.ts';

const refusals = errorResponses(400, 401, 403, 404, 413, 415, 422, 429);
const CASE_NUMBER_CHARS = 100;
const PURPOSE_CHARS = 1000;
const THRESHOLD_HELP = 'minimum cosine similarity, from the calibrated threshold up to 1: a search may be stricter, never looser '
  + '(default: the lowest at which the policy\'s expected false matches hold over the faces searched)';

export const searchRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  const investigator = { onRequest: requireRole('investigator') };

  app.post('/search', {
    ...investigator,
    schema: {
      tags: ['search'], operationId: 'searchFaces',
      summary: 'Search the granted galleries for the face of a probe image, several photos of one person, or a stored face',
      description: 'Accountable: the case number and purpose are recorded with the user, the client and the probe\'s SHA-256 '
        + '(the probe itself is not kept) before the results are returned. No candidate above the threshold is a normal answer. '
        + 'Several `image` parts are fused into one probe of one person; `faceId` searches from a face already in a gallery '
        + '(it is not a candidate itself); `faces=all` searches every face of one photo and answers `probes`. '
        + 'searchedFaces is the number of faces compared; each candidate\'s expectedFalseMatches = searchedFaces x falseMatchRate. '
        + 'On a sharded store whose policy allows partial answers, `partial: true` and `missingShards` say which shards did not answer; '
        + 'their faces were not compared and are not counted in searchedFaces.',
      consumes: ['multipart/form-data'],
      body: multipartBody({
        image: files('the probe image; repeat the part for several photos of the same person', MAX_FUSED_PHOTOS),
        faceId: text('search from this stored face instead of an image', 100),
        faces: text('"all" to search every face of the photo', 10),
        caseNumber: text('the case this search serves', CASE_NUMBER_CHARS),
        purpose: text('why this search is made', PURPOSE_CHARS),
        galleries: text('gallery names, comma separated (default: every gallery granted to your client)', 2000),
        maxResults: numeric('integer', { minimum: 1, maximum: 1000 }),
        threshold: numeric('number', { minimum: -1, maximum: 1 }, THRESHOLD_HELP),
        faceIndex: numeric('integer', { minimum: 0 }, 'which face of the probe, 0 = largest (default: the most prominent)'),
      }, ['caseNumber', 'purpose']),
      response: { 200: SearchResult, ...refusals },
    },
  }, async (request) => {
    const form = await readMultipart(request);
    const input = {
      caseNumber: form.fields.get('caseNumber'),
      purpose: form.fields.get('purpose'),
      galleries: listField(form, 'galleries'),
      maxResults: numberField(form, 'maxResults', (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number from 1 to 1000'),
      threshold: numberField(form, 'threshold', (n) => n >= -1 && n <= 1, 'a cosine similarity from -1 to 1'),
      faceIndex: numberField(form, 'faceIndex', (n) => Number.isInteger(n) && n >= 0, '0 (largest face) or more'),
    };
    const who = principalOf(request);
    const images = (form.files.get('image') ?? []).map((f) => f.bytes);
    const faceId = form.fields.get('faceId')?.trim();
    const faces = form.fields.get('faces')?.trim();
    if (faces !== undefined && faces !== 'all') throw new LikenessError('LIKENESS_BAD_INPUT', `faces must be "all", got "${faces}"`);
    if (faceId) {
      if (images.length > 0 || faces) throw new LikenessError('LIKENESS_BAD_INPUT', 'Send either faceId or images, not both');
      return services.searches.search(who, { faceId }, input);
    }
    if (images.length === 0) throw new LikenessError('LIKENESS_BAD_INPUT', 'Send a probe image in the field "image", or a faceId');
    if (faces === 'all') {
      if (images.length !== 1 || input.faceIndex !== undefined) throw new LikenessError('LIKENESS_BAD_INPUT', 'faces=all takes exactly one image and no faceIndex');
      return services.searches.searchEveryFace(who, images[0]!, input);
    }
    return services.searches.search(who, images.length === 1 ? images[0]! : images, input);
  });

  app.post('/compare', {
    ...investigator,
    schema: {
      tags: ['search'], operationId: 'compareFaces',
      summary: 'Compare the largest faces of two images (1:1)',
      consumes: ['multipart/form-data'],
      body: multipartBody({
        a: file('first image'), b: file('second image'),
        threshold: numeric('number', { minimum: -1, maximum: 1 }, THRESHOLD_HELP),
        caseNumber: text('the case number it serves (required by the default policy)', CASE_NUMBER_CHARS), purpose: text('why it is made', PURPOSE_CHARS),
      }, ['a', 'b']),
      response: { 200: CompareResult, ...refusals },
    },
  }, async (request) => {
    const form = await readMultipart(request);
    return services.searches.compare(principalOf(request), singleFile(form, 'a').bytes, singleFile(form, 'b').bytes, {
      threshold: numberField(form, 'threshold', (n) => n >= -1 && n <= 1, 'a cosine similarity from -1 to 1'),
      caseNumber: form.fields.get('caseNumber'),
      purpose: form.fields.get('purpose'),
    });
  });
};
