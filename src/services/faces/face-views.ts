import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Actor } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { ConfinedFiles } from '../../ports/confined-files.ts';
import type { FaceProvenance, Store } from '../../ports/store.ts';
import type { ImageTools } from '../../ports/image-tools.ts';
import type { Authoriser } from '../authorisation/authoriser.ts';
import { pathInSource } from './path-in-source.ts';

export interface FaceView extends FaceProvenance {
  /** Whether a crop can be cut: only directory sources keep their images, on the operator's disk. */
  cropAvailable: boolean;
}

/**
 * What a reviewer looks at for one face: where it came from, and its crop. The crop is cut from
 * the source's own file on each request and never stored, as no image bytes are kept unless the
 * source says so (docs/architecture.md, "Image bytes are not kept"); faces from uploads have no crop.
 */
export class FaceViews {
  constructor(
    private readonly store: Store,
    private readonly files: ConfinedFiles,
    private readonly authoriser: Authoriser,
    private readonly images: ImageTools,
    /** The most bytes read of one image file (limits.maxImageBytes). */
    private readonly maxBytes: number,
  ) {}

  async view(who: Actor, id: string): Promise<FaceView> {
    const found = await this.provenance(id);
    await this.authoriser.require(who, 'face.read', { galleryId: found.face.galleryId });
    return { ...found, image: { ...found.image, path: pathInSource(found.image.path, found.source) }, cropAvailable: croppablePath(found) !== null };
  }

  async crop(who: Actor, id: string): Promise<Buffer> {
    const found = await this.provenance(id);
    await this.authoriser.require(who, 'face.crop', { galleryId: found.face.galleryId });
    const path = croppablePath(found);
    if (!path) throw new LikenessError('LIKENESS_NOT_FOUND', 'No image is kept for this face: it came from an upload');
    // docs/architecture.md, "Paths": only a regular file inside the source's folder, and only the
    // image that was ingested: a file swapped since would show someone else's face under this id.
    const bytes = await this.files.read(found.source.uri, path, this.maxBytes);
    if (createHash('sha256').update(bytes).digest('hex') !== found.image.sha256) {
      throw new LikenessError('LIKENESS_IMAGE_CHANGED', 'The file on disk is no longer the image this face was found in: no crop is cut from it');
    }
    return this.images.cropFace(bytes, found.face.box);
  }

  private async provenance(id: string): Promise<FaceProvenance> {
    const face = await this.store.faces.findById(id);
    const found = face && (await this.store.faces.provenanceByVectorKeys([face.vectorKey]))[0];
    if (!found) throw new LikenessError('LIKENESS_NOT_FOUND', `No face ${id}`);
    return found;
  }
}

/** The image's path if it lies inside its directory source's declared folder, else null. */
function croppablePath({ image, source }: FaceProvenance): string | null {
  // Uploads into a directory source carry a relative "upload/<name>" path and no kept bytes.
  if (source.kind !== 'directory' || !image.path || !isAbsolute(image.path)) return null;
  const path = resolve(image.path);
  const inside = relative(resolve(source.uri), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? path : null;
}
