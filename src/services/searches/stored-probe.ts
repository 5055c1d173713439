import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { ProbeTemplate } from '../search-service.ts';
import { probeWarnings } from './probe-choice.ts';

export interface StoredProbe extends Omit<ProbeTemplate, 'face'> {
  template: Float32Array;
  /** The SHA-256 of the photo the face was found in, recorded as the probe's. */
  imageSha256: string;
}

/**
 * A pivot: the stored embedding of an indexed face as the probe. Only an active face of a gallery
 * the actor may search; any other id is "not found", so a pivot cannot probe for faces outside
 * the actor's grants.
 */
export async function storedProbe(store: Store, faceId: string, searchableGalleryIds: ReadonlySet<string>): Promise<StoredProbe> {
  const notFound = new LikenessError('LIKENESS_NOT_FOUND', `No face ${faceId} in the galleries you may search`);
  const face = await store.faces.findById(faceId);
  if (!face || face.status !== 'active' || !searchableGalleryIds.has(face.galleryId)) throw notFound;
  const [stored] = await store.faces.embeddingsByVectorKeys([face.vectorKey]);
  const [provenance] = await store.faces.provenanceByVectorKeys([face.vectorKey]);
  if (!stored || !provenance) throw notFound;
  const area = (b: { width: number; height: number }) => b.width * b.height;
  const inImage = (await store.faces.findByImage(face.imageId)).filter((f) => f.status === 'active').sort((a, b) => area(b.box) - area(a.box));
  return {
    template: stored.embedding,
    imageSha256: provenance.image.sha256,
    probe: {
      faceId: face.id,
      box: face.box,
      detectionScore: face.quality.detectionScore,
      faceIndex: Math.max(0, inImage.findIndex((f) => f.id === face.id)),
      facesInImage: Math.max(1, inImage.length),
      warnings: probeWarnings(face.quality),
    },
  };
}
