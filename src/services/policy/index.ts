// The policy module's public face: load the document once, then ask PolicyService.
export { loadPolicy, parsePolicyText, POLICY_FILE, type LoadedPolicy } from './load-policy.ts';
export { PolicyService } from './policy-service.ts';
export { ALLOW, deny, denialError, enforce, type Decision, type Denial } from './decision.ts';
export { defaultPolicy, ANY, ROLES, SPECIAL_CATEGORY_CONDITIONS, type Policy, type ClientBan, type RateLimit } from './policy.ts';
export { jurisdictionCovers } from './jurisdiction.ts';
export type { ClientFacts } from './client-rules.ts';
export type { SourceFacts, FaceCollectionFacts } from './collection-rules.ts';
export type { SearchFacts, SearchCounts, GalleryRef, VolumeLimits } from './search-rules.ts';
