import { pathInSource } from '../faces/path-in-source.ts';
import type { SubjectRequest } from '../../domain/subjects.ts';
import type { Store } from '../../ports/store.ts';

export interface ReportFace {
  faceId: string;
  score: number;
  image: { path: string | null; url: string | null; pageUrl: string | null; sha256: string };
  source: { name: string; kind: string; legalBasis: string; specialCategoryCondition: string | null; jurisdictions: string[]; controller: string | null };
  gallery: string;
  collectedAt: string;
  expiresAt: string;
  recipients: Array<{ client: string; clientType: string; at: string }>;
}

export interface ReportRecipient {
  client: string;
  clientType: string;
  searches: number;
  faces: number;
  firstAt: string;
  lastAt: string;
}

/** GDPR Art. 15 for one subject: every face matched at the strict threshold, where it came from, who saw it. */
export interface AccessReport {
  requestId: string;
  kind: SubjectRequest['kind'];
  generatedAt: string;
  receivedAt: string;
  dueAt: string;
  threshold: { score: number; falseMatchRate: number; source: string };
  faces: ReportFace[];
  recipients: ReportRecipient[];
  excluded: Array<{ faceId: string; reason: string; at: string }>;
  suppression: { templateKept: boolean; statement: string };
  retentionCapDays: number;
}

const SUPPRESSION_KEPT = 'A template of your face is kept in a suppression list, used only to stop your face from being collected or returned by a search again.';
const SUPPRESSION_NONE = 'No template of your face is kept. If you object or ask for erasure, one is kept for the sole purpose of keeping your face out of likeness.';

/** Builds the report of an approved request from the faces fixed at approval, minus the DPO's exclusions. */
export class AccessReportBuilder {
  constructor(private readonly store: Store, private readonly retentionCapDays: number) {}

  async build(request: SubjectRequest, threshold: { falseMatchRate: number; source: string }, suppressed: boolean, now: Date): Promise<AccessReport> {
    const excluded = new Set(request.exclusions.map((e) => e.faceId));
    const matches = (request.matches ?? []).filter((m) => !excluded.has(m.faceId));
    const records = (await Promise.all(matches.map((m) => this.store.faces.findById(m.faceId)))).filter((f) => !!f);
    const provenance = await this.store.faces.provenanceByVectorKeys(records.map((f) => f.vectorKey));
    const galleries = new Map((await this.store.galleries.list()).map((g) => [g.id, g.name]));
    const recipients = await this.store.rights.recipients(matches.map((m) => m.faceId));
    const scoreOf = new Map(matches.map((m) => [m.faceId, m.score]));
    const faces: ReportFace[] = provenance.map(({ face, image, source }) => ({
      faceId: face.id,
      score: scoreOf.get(face.id)!,
      image: { path: pathInSource(image.path, source), url: image.url, pageUrl: image.pageUrl, sha256: image.sha256 },
      source: {
        name: source.name, kind: source.kind, legalBasis: source.legalBasis, specialCategoryCondition: source.specialCategoryCondition,
        jurisdictions: source.jurisdictions, controller: source.controller,
      },
      gallery: galleries.get(face.galleryId) ?? face.galleryId,
      collectedAt: image.collectedAt,
      expiresAt: face.expiresAt,
      recipients: recipients.filter((r) => r.faceId === face.id).map((r) => ({ client: r.clientName, clientType: r.clientType, at: r.at })),
    }));
    return {
      requestId: request.id,
      kind: request.kind,
      generatedAt: now.toISOString(),
      receivedAt: request.receivedAt,
      dueAt: request.dueAt,
      threshold: { score: request.threshold ?? NaN, falseMatchRate: threshold.falseMatchRate, source: threshold.source },
      faces,
      recipients: summarise(recipients),
      excluded: request.exclusions.map((e) => ({ faceId: e.faceId, reason: e.reason, at: e.at })),
      suppression: { templateKept: suppressed, statement: suppressed ? SUPPRESSION_KEPT : SUPPRESSION_NONE },
      retentionCapDays: this.retentionCapDays,
    };
  }
}

function summarise(rows: Awaited<ReturnType<Store['rights']['recipients']>>): ReportRecipient[] {
  const byClient = new Map<string, ReportRecipient & { searchIds: Set<string>; faceIds: Set<string> }>();
  for (const r of rows) {
    const entry = byClient.get(r.clientId) ?? {
      client: r.clientName, clientType: r.clientType, searches: 0, faces: 0, firstAt: r.at, lastAt: r.at, searchIds: new Set(), faceIds: new Set(),
    };
    entry.searchIds.add(r.searchId);
    entry.faceIds.add(r.faceId);
    if (r.at < entry.firstAt) entry.firstAt = r.at;
    if (r.at > entry.lastAt) entry.lastAt = r.at;
    byClient.set(r.clientId, entry);
  }
  return [...byClient.values()].map(({ searchIds, faceIds, ...rest }) => ({ ...rest, searches: searchIds.size, faces: faceIds.size }));
}
