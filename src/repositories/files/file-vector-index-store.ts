import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexProfile } from '../../ports/vector-index.ts';
import type { VectorIndex } from '../../ports/vector-index.ts';
import type { IndexManifest, VectorIndexStore } from '../../ports/vector-index-store.ts';

/** How an index kind is made new and read back from its file. */
export interface VectorIndexCodec {
  create(dimension: number, profile?: IndexProfile): VectorIndex;
  load(path: string, profile?: IndexProfile): VectorIndex;
  /** Memory-maps the file read-only; an index kind that cannot is loaded instead. */
  view?(path: string, profile?: IndexProfile): VectorIndex;
}

/**
 * One index file per gallery in the data directory, with a manifest beside it. The index is
 * written first and the manifest second: a crash between the two leaves a manifest that
 * understates what the index holds, and catching up re-adds (replaces) those few faces.
 */
export class FileVectorIndexStore implements VectorIndexStore {
  constructor(private readonly dir: string, private readonly codec: VectorIndexCodec) {
    mkdirSync(dir, { recursive: true });
  }

  create(dimension: number, profile?: IndexProfile): VectorIndex {
    return this.codec.create(dimension, profile);
  }

  load(galleryId: string, mode: 'load' | 'view' = 'load', profile?: IndexProfile): { index: VectorIndex; manifest: IndexManifest } | undefined {
    const { index, manifest } = this.paths(galleryId);
    if (!existsSync(index) || !existsSync(manifest)) return undefined;
    const opened = mode === 'view' && this.codec.view ? this.codec.view(index, profile) : this.codec.load(index, profile);
    return { index: opened, manifest: JSON.parse(readFileSync(manifest, 'utf8')) as IndexManifest };
  }

  save(galleryId: string, index: VectorIndex, manifest: IndexManifest): void {
    index.save(this.paths(galleryId).index);
    this.saveManifest(galleryId, manifest);
  }

  saveManifest(galleryId: string, manifest: IndexManifest): void {
    const path = this.paths(galleryId).manifest;
    writeFileSync(`${path}.tmp`, JSON.stringify(manifest, null, 2));
    renameSync(`${path}.tmp`, path);
  }

  drop(galleryId: string): void {
    const { index, manifest } = this.paths(galleryId);
    rmSync(manifest, { force: true });
    rmSync(index, { force: true });
  }

  files(): string[] {
    return readdirSync(this.dir).map((f) => join(this.dir, f));
  }

  private paths(galleryId: string): { index: string; manifest: string } {
    if (!/^[A-Za-z0-9_-]+$/.test(galleryId)) throw new Error(`unsafe gallery id for a file name: ${galleryId}`);
    return { index: join(this.dir, `${galleryId}.index`), manifest: join(this.dir, `${galleryId}.manifest.json`) };
  }
}
