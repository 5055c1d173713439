import type { Generated } from 'kysely';

// Column types as SQLite stores them; JSON columns are TEXT, embeddings are float32 BLOBs.
export interface GalleriesTable { id: string; name: string; created_at: string }

export interface SourcesTable {
  id: string;
  name: string;
  gallery_id: string;
  kind: string;
  uri: string;
  legal_basis: string;
  special_category_condition: string | null;
  jurisdictions: string;
  retention_days: number;
  controller: string | null;
  status: string;
  created_at: string;
}

export interface ImagesTable {
  id: string;
  source_id: string;
  sha256: string;
  perceptual_hash: string;
  path: string | null;
  url: string | null;
  page_url: string | null;
  width: number;
  height: number;
  collected_at: string;
}

export interface FacesTable {
  vector_key: Generated<number>;
  id: string;
  image_id: string;
  gallery_id: string;
  box: string;
  landmarks: string;
  quality: string;
  model_id: string;
  expires_at: string;
  status: string;
  created_at: string;
}

export interface FaceEmbeddingsTable { vector_key: number; vector: Buffer }

export interface Database {
  galleries: GalleriesTable;
  sources: SourcesTable;
  images: ImagesTable;
  faces: FacesTable;
  face_embeddings: FaceEmbeddingsTable;
}
