import type { Clock } from '../../ports/clock.ts';
import { decideClient, type ClientFacts } from './client-rules.ts';
import { decideImageCollection, decideSourceDeclaration, type FaceCollectionFacts, type SourceFacts } from './collection-rules.ts';
import type { Decision } from './decision.ts';
import type { Policy } from './policy.ts';
import { decideSearch, grantedGalleries, searchLimits, type SearchFacts, type VolumeLimits } from './search-rules.ts';

/**
 * The one place where likeness decides what it may collect, whom it serves and which searches
 * it runs (docs/architecture.md, "Policy"). Every answer is allow, or deny with the rule's id and a sentence
 * a refused user can act on. Time comes from the injected clock, so date edges are testable.
 */
export class PolicyService {
  constructor(
    readonly policy: Policy,
    private readonly clock: Clock,
  ) {}

  decideSourceDeclaration(source: SourceFacts): Decision {
    return decideSourceDeclaration(this.policy, source);
  }

  /** One face of an image: the source is asked again, since the policy may have changed since it was declared. */
  decideImageCollection(facts: FaceCollectionFacts): Decision {
    return decideImageCollection(this.policy, facts);
  }

  decideClient(client: ClientFacts, at: Date = this.clock.now()): Decision {
    return decideClient(this.policy, client, at);
  }

  decideSearch(facts: SearchFacts, at: Date = this.clock.now()): Decision {
    return decideSearch(this.policy, facts, at);
  }

  searchLimits(client: ClientFacts, roles: readonly string[]): { user: VolumeLimits; client: VolumeLimits } {
    return searchLimits(this.policy, client, roles);
  }

  grantedGalleries(client: ClientFacts): string[] {
    return grantedGalleries(this.policy, client);
  }

  get keepProbes(): boolean {
    return this.policy.searches.keepProbes;
  }

  get maxRetentionDays(): number {
    return this.policy.collection.maxRetentionDays;
  }

  /** Whether faces need an age estimate at all, so ingestion can skip the model when minors may be indexed. */
  get needsAgeEstimate(): boolean {
    return !this.policy.collection.indexMinors;
  }
}
