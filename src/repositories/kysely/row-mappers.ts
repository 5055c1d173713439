import type { FaceRecord, Gallery, ImageRecord, LegalBasis, Source, SourceKind } from '../../domain/types.ts';
import type { Selectable } from 'kysely';
import type { FacesTable, GalleriesTable, ImagesTable, SourcesTable } from './schema.ts';

export const galleryFromRow = (r: GalleriesTable): Gallery => ({ id: r.id, name: r.name, createdAt: r.created_at });

export const sourceFromRow = (r: SourcesTable): Source => ({
  id: r.id,
  name: r.name,
  galleryId: r.gallery_id,
  kind: r.kind as SourceKind,
  uri: r.uri,
  legalBasis: r.legal_basis as LegalBasis,
  specialCategoryCondition: r.special_category_condition,
  jurisdictions: JSON.parse(r.jurisdictions) as string[],
  retentionDays: r.retention_days,
  controller: r.controller,
  status: r.status as Source['status'],
  createdAt: r.created_at,
});

export const sourceToRow = (s: Source): SourcesTable => ({
  id: s.id,
  name: s.name,
  gallery_id: s.galleryId,
  kind: s.kind,
  uri: s.uri,
  legal_basis: s.legalBasis,
  special_category_condition: s.specialCategoryCondition,
  jurisdictions: JSON.stringify(s.jurisdictions),
  retention_days: s.retentionDays,
  controller: s.controller,
  status: s.status,
  created_at: s.createdAt,
});

export const imageFromRow = (r: ImagesTable): ImageRecord => ({
  id: r.id,
  sourceId: r.source_id,
  sha256: r.sha256,
  perceptualHash: r.perceptual_hash,
  path: r.path,
  url: r.url,
  pageUrl: r.page_url,
  width: r.width,
  height: r.height,
  collectedAt: r.collected_at,
  policyDecision: r.policy_decision ?? null,
});

export const imageToRow = (i: ImageRecord): ImagesTable => ({
  id: i.id,
  source_id: i.sourceId,
  sha256: i.sha256,
  perceptual_hash: i.perceptualHash,
  path: i.path,
  url: i.url,
  page_url: i.pageUrl,
  width: i.width,
  height: i.height,
  collected_at: i.collectedAt,
  policy_decision: i.policyDecision ?? null,
});

/** The columns of a face record, to select by name: a store may keep more in the row (the embedding). */
export const FACE_COLUMNS = [
  'vector_key', 'id', 'image_id', 'gallery_id', 'box', 'landmarks', 'quality', 'model_id', 'expires_at', 'status', 'created_at',
] as const satisfies readonly (keyof FacesTable)[];

export const faceFromRow = (r: Selectable<FacesTable>): FaceRecord => ({
  id: r.id,
  imageId: r.image_id,
  galleryId: r.gallery_id,
  vectorKey: r.vector_key,
  box: JSON.parse(r.box) as FaceRecord['box'],
  landmarks: JSON.parse(r.landmarks) as FaceRecord['landmarks'],
  quality: JSON.parse(r.quality) as FaceRecord['quality'],
  modelId: r.model_id,
  expiresAt: r.expires_at,
  status: r.status as FaceRecord['status'],
  createdAt: r.created_at,
});

/** A new face's row, without its vector key (the store hands it out) and without its embedding. */
export const faceToRow = (f: Omit<FaceRecord, 'vectorKey'>): Omit<FacesTable, 'vector_key'> => ({
  id: f.id,
  image_id: f.imageId,
  gallery_id: f.galleryId,
  box: JSON.stringify(f.box),
  landmarks: JSON.stringify(f.landmarks),
  quality: JSON.stringify(f.quality),
  model_id: f.modelId,
  expires_at: f.expiresAt,
  status: f.status,
  created_at: f.createdAt,
});

/** Float32 little-endian bytes, the layout every platform we run on uses natively. */
export const embeddingToBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

export const embeddingFromBlob = (b: Uint8Array): Float32Array => {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
};
