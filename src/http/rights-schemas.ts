import { Type } from '@sinclair/typebox';

// Shapes of the data subject's door and the DPO's desk. Like schemas.ts, they decide which fields
// leave the server: a field the services add must be listed here to be sent.

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Verification = Type.Object({
  liveness: Type.Object({ score: Type.Number(), passed: Type.Boolean(), modelId: Type.String() }),
  document: nullable(Type.Object({ score: Type.Number(), matched: Type.Boolean(), threshold: Type.Number() })),
});

export const SubjectRequest = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'access, erasure or objection' }),
  contact: Type.String(),
  status: Type.String({ description: 'received, approved, rejected or completed' }),
  receivedAt: Type.String(),
  dueAt: Type.String(),
  originalDueAt: Type.String({ description: 'The due date with no extension' }),
  extension: nullable(Type.Object({ by: Type.String(), at: Type.String(), reason: Type.String(), dueAt: Type.String() })),
  verification: Verification,
  decision: nullable(Type.Object({ by: Type.String(), at: Type.String(), reason: nullable(Type.String()) })),
  matches: nullable(Type.Array(Type.Object({ faceId: Type.String(), score: Type.Number() }), {
    description: 'Faces matched at the strict threshold when the request was approved; null before',
  })),
  threshold: nullable(Type.Number()),
  exclusions: Type.Array(Type.Object({ faceId: Type.String(), reason: Type.String(), by: Type.String(), at: Type.String() })),
  completedAt: nullable(Type.String()),
  modelId: Type.String(),
});

export const OpenRequests = Type.Object({
  requests: Type.Array(Type.Composite([SubjectRequest, Type.Object({ overdue: Type.Boolean(), daysLeft: Type.Integer() })])),
});

export const ExecutionOutcome = Type.Object({
  request: SubjectRequest,
  erased: Type.Array(Type.String(), { description: 'Ids of the faces erased' }),
  suppressed: Type.Boolean({ description: 'Whether a suppression template now keeps the face out' }),
  invisibleAfterMs: nullable(Type.Number()),
});

const SourceFacts = Type.Object({
  name: Type.String(), kind: Type.String(), legalBasis: Type.String(), specialCategoryCondition: nullable(Type.String()),
  jurisdictions: Type.Array(Type.String()), controller: nullable(Type.String()),
});

export const AccessReport = Type.Object({
  requestId: Type.String(),
  kind: Type.String(),
  generatedAt: Type.String(),
  receivedAt: Type.String(),
  dueAt: Type.String(),
  threshold: Type.Object({ score: Type.Number(), falseMatchRate: Type.Number(), source: Type.String() }),
  faces: Type.Array(Type.Object({
    faceId: Type.String(),
    score: Type.Number(),
    image: Type.Object({ path: nullable(Type.String()), url: nullable(Type.String()), pageUrl: nullable(Type.String()), sha256: Type.String() }),
    source: SourceFacts,
    gallery: Type.String(),
    collectedAt: Type.String(),
    expiresAt: Type.String(),
    recipients: Type.Array(Type.Object({ client: Type.String(), clientType: Type.String(), at: Type.String() })),
  })),
  recipients: Type.Array(Type.Object({
    client: Type.String(), clientType: Type.String(), searches: Type.Integer(), faces: Type.Integer(), firstAt: Type.String(), lastAt: Type.String(),
  })),
  excluded: Type.Array(Type.Object({ faceId: Type.String(), reason: Type.String(), at: Type.String() })),
  suppression: Type.Object({ templateKept: Type.Boolean(), statement: Type.String() }),
  retentionCapDays: Type.Integer(),
});

export const RecordsOfProcessing = Type.Object({
  generatedAt: Type.String(),
  purposes: Type.Array(Type.String()),
  retentionCapDays: Type.Integer(),
  sources: Type.Array(Type.Object({
    name: Type.String(), kind: Type.String(), gallery: Type.String(), legalBasis: Type.String(), specialCategoryCondition: nullable(Type.String()),
    jurisdictions: Type.Array(Type.String()), retentionDays: Type.Integer(), controller: nullable(Type.String()), status: Type.String(),
  })),
  recipients: Type.Array(Type.Object({ clientType: Type.String(), clients: Type.Integer(), searches: Type.Integer() })),
  subjectRequests: Type.Object({ open: Type.Integer(), overdue: Type.Integer() }),
  suppressionEntries: Type.Integer(),
  erasures: Type.Integer(),
});

/** What a requester sees with their access code: the receipt, then the report of an approved access request. */
export const RequestStatus = Type.Object({
  requestId: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  receivedAt: Type.String(),
  dueAt: Type.String(),
  report: Type.Optional(AccessReport),
});
