import { Type, type TSchema } from '@sinclair/typebox';

// Response and request shapes: validated on the way in, and on the way out they decide which
// fields leave the server (anything not listed here is dropped, never leaked).

export const ErrorBody = Type.Object({
  code: Type.String({ description: 'Stable error code from the likeness catalogue, e.g. LIKENESS_NO_FACE' }),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, { $id: 'Error' });

// What each error status means on every route; the body's code says which error exactly.
const ERROR_MEANINGS: Record<number, string> = {
  400: 'The input is invalid', 401: 'No valid API key', 403: 'Refused by your role or by the policy', 404: 'Not found',
  409: 'Conflicts with the current state', 413: 'Too large', 415: 'Not a media type this route takes',
  422: 'The image cannot be used (no face, corrupt, too small)', 429: 'A rate limit or quota is reached',
};

export const errorResponses = (...statuses: number[]): Record<number, TSchema> =>
  Object.fromEntries(statuses.map((s) => [s, Type.Ref('Error', { description: ERROR_MEANINGS[s] ?? 'Error' })]));

export const Box = Type.Object({ x: Type.Number(), y: Type.Number(), width: Type.Number(), height: Type.Number() });

export const Gallery = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() });

export const Source = Type.Object({
  id: Type.String(),
  name: Type.String(),
  galleryId: Type.String(),
  kind: Type.String(),
  uri: Type.String(),
  legalBasis: Type.String(),
  specialCategoryCondition: Type.Union([Type.String(), Type.Null()]),
  jurisdictions: Type.Array(Type.String()),
  retentionDays: Type.Integer(),
  controller: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  createdAt: Type.String(),
});

export const DeclareSource = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  gallery: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  kind: Type.String(),
  uri: Type.String({ maxLength: 2000 }),
  legalBasis: Type.String(),
  jurisdictions: Type.Array(Type.String(), { minItems: 1, maxItems: 50 }),
  retentionDays: Type.Integer(),
  specialCategoryCondition: Type.Optional(Type.String()),
  controller: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const UploadResult = Type.Object({
  source: Type.String(),
  facesIndexed: Type.Integer(),
  images: Type.Array(Type.Object({
    filename: Type.String(),
    sha256: Type.String(),
    status: Type.Union([Type.Literal('ingested'), Type.Literal('skipped'), Type.Literal('refused')]),
    refusals: Type.Optional(Type.Array(Type.Object({
      face: Type.Union([Type.Integer(), Type.Literal('image')]), ruleId: Type.String(), reason: Type.String(),
    }))),
    faces: Type.Array(Type.Object({ id: Type.String(), box: Box, detectionScore: Type.Number(), expiresAt: Type.String() })),
  })),
});

const ProbeFace = Type.Object({
  faceId: Type.Optional(Type.String({ description: 'the stored face a pivot started from' })),
  box: Box,
  detectionScore: Type.Number(),
  faceIndex: Type.Integer(),
  facesInImage: Type.Integer(),
  warnings: Type.Array(Type.String(), { description: 'small-face, blurred, turned, low-detection-score: the calibration may not hold for this face' }),
});

const ShownImage = Type.Object({
  url: Type.Union([Type.String(), Type.Null()]),
  pageUrl: Type.Union([Type.String(), Type.Null()]),
  path: Type.Union([Type.String(), Type.Null()]),
  collectedAt: Type.String(),
});
const ShownSource = Type.Object({ id: Type.String(), name: Type.String(), legalBasis: Type.String(), jurisdictions: Type.Array(Type.String()) });

const Candidate = Type.Object({
  faceId: Type.String(),
  score: Type.Number({ description: 'Cosine similarity of the probe face and this face' }),
  falseMatchRate: Type.Number({ description: 'Share of different-person pairs that score this high or higher' }),
  falseMatchRateIsUpperBound: Type.Boolean(),
  expectedFalseMatches: Type.Number({ description: 'searchedFaces x falseMatchRate: strangers expected at this score in this search' }),
  extrapolated: Type.Boolean({ description: 'the rate comes from the fitted tail beyond the measured rates' }),
  box: Box,
  galleryId: Type.String(),
  image: ShownImage,
  source: ShownSource,
  alsoAt: Type.Array(Type.Object({ faceId: Type.String(), galleryId: Type.String(), image: ShownImage, source: ShownSource }),
    { description: 'other copies of this photo (same bytes or near-identical), collapsed into this candidate' }),
});

// Present only on a partial answer of a sharded store (docs/scaling.md, "A shard that does not answer").
const partialAnswer = {
  partial: Type.Optional(Type.Literal(true, { description: 'some shards of the store did not answer and the policy allows a partial answer' })),
  missingShards: Type.Optional(Type.Array(Type.String(), {
    description: 'the shards that did not answer (foreign servers of the coordinator): their faces were not compared nor counted in searchedFaces',
  })),
};

const SingleSearchResult = Type.Object({
  searchId: Type.String(),
  galleries: Type.Array(Type.String()),
  searchedFaces: Type.Integer({ description: 'faces compared: the size of the galleries searched' }),
  threshold: Type.Number(),
  extrapolated: Type.Boolean(),
  probe: ProbeFace,
  fusedFrom: Type.Optional(Type.Array(ProbeFace, { description: 'the face of each photo of a fused probe' })),
  candidates: Type.Array(Candidate),
  ...partialAnswer,
});

const GroupSearchResult = Type.Object({
  galleries: Type.Array(Type.String()),
  searchedFaces: Type.Integer(),
  probes: Type.Array(Type.Object({
    face: ProbeFace,
    searchId: Type.String(),
    threshold: Type.Number(),
    extrapolated: Type.Boolean(),
    candidates: Type.Array(Candidate),
    ...partialAnswer,
  })),
  ...partialAnswer,
});

export const SearchResult = Type.Union([SingleSearchResult, GroupSearchResult]);

export const CompareResult = Type.Object({
  score: Type.Number(),
  threshold: Type.Number(),
  match: Type.Boolean(),
  falseMatchRate: Type.Number(),
  falseMatchRateIsUpperBound: Type.Boolean(),
  a: ProbeFace,
  b: ProbeFace,
});

export const Face = Type.Object({
  id: Type.String(),
  imageId: Type.String(),
  galleryId: Type.String(),
  box: Box,
  quality: Type.Object({ size: Type.Number(), detectionScore: Type.Number(), sharpness: Type.Number(), yaw: Type.Number(), roll: Type.Number() }),
  modelId: Type.String(),
  expiresAt: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
});

export const SearchRecord = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  caseNumber: Type.String(),
  purpose: Type.String(),
  galleries: Type.Array(Type.String()),
  probeSha256: Type.String(),
  threshold: Type.Number(),
  results: Type.Array(Type.Object({ faceId: Type.String(), score: Type.Number() })),
  at: Type.String(),
});

export const AuditEntry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  client: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});

export const Page = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) });
