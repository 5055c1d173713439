import type { Principal } from '../../domain/accounts.ts';
import type { Store } from '../../ports/store.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import { ANY } from '../policy/policy.ts';
import { grantedGalleries } from '../policy/search-rules.ts';

/** Whether a user's client may see the faces of a gallery: granted in the policy file or the store. */
export class GalleryAccess {
  constructor(private readonly store: Store, private readonly policy: PolicyService) {}

  async granted(who: Principal, galleryId: string): Promise<boolean> {
    const fromPolicy = this.fromPolicy(who);
    if (fromPolicy.includes(ANY) || fromPolicy.includes(galleryId)) return true;
    const gallery = await this.store.galleries.findById(galleryId);
    if (gallery && fromPolicy.includes(gallery.name)) return true;
    return (await this.store.accounts.clients.grantedGalleryIds(who.client.id)).includes(galleryId);
  }

  /** Whether the client is granted at least one gallery that exists. */
  async anyGranted(who: Principal): Promise<boolean> {
    if ((await this.store.accounts.clients.grantedGalleryIds(who.client.id)).length > 0) return true;
    const fromPolicy = new Set(this.fromPolicy(who));
    if (fromPolicy.size === 0) return false;
    return (await this.store.galleries.list()).some((g) => fromPolicy.has(ANY) || fromPolicy.has(g.id) || fromPolicy.has(g.name));
  }

  private fromPolicy(who: Principal): string[] {
    const client = { id: who.client.id, name: who.client.name, type: who.client.type, jurisdiction: who.client.jurisdiction };
    return grantedGalleries(this.policy.policy, client);
  }
}
