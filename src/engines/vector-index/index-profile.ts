import { DEFAULT_CUTOVER } from './adaptive-index.ts';
import { USEARCH_DEFAULTS } from './usearch-index.ts';
import type { IndexProfile, Quantisation } from '../../ports/vector-index.ts';

export const DEFAULT_INDEX_PROFILE: IndexProfile = {
  quantisation: USEARCH_DEFAULTS.quantisation,
  connectivity: USEARCH_DEFAULTS.connectivity,
  expansionAdd: USEARCH_DEFAULTS.expansionAdd,
  expansionSearch: USEARCH_DEFAULTS.expansionSearch,
  cutover: DEFAULT_CUTOVER,
};

export const QUANTISATIONS: readonly Quantisation[] = ['f32', 'f16', 'i8'];

/** Names the first setting that is out of range, or undefined when the profile is usable. */
export function profileProblem(profile: Partial<IndexProfile>): string | undefined {
  const whole = (value: number | undefined, min: number, max: number) =>
    value === undefined || (Number.isInteger(value) && value >= min && value <= max);
  if (profile.quantisation !== undefined && !QUANTISATIONS.includes(profile.quantisation)) {
    return `quantisation must be one of ${QUANTISATIONS.join(', ')}, got ${JSON.stringify(profile.quantisation)}`;
  }
  if (!whole(profile.connectivity, 4, 128)) return `connectivity must be a whole number from 4 to 128, got ${profile.connectivity}`;
  if (!whole(profile.expansionAdd, 8, 4096)) return `expansionAdd must be a whole number from 8 to 4096, got ${profile.expansionAdd}`;
  if (!whole(profile.expansionSearch, 8, 4096)) return `expansionSearch must be a whole number from 8 to 4096, got ${profile.expansionSearch}`;
  if (!whole(profile.cutover, 0, 1_000_000_000)) return `cutover must be a whole number of 0 or more, got ${profile.cutover}`;
  return undefined;
}

/** The profiles of every gallery: one default, overridden per gallery name. */
export class IndexProfiles {
  constructor(
    private readonly base: IndexProfile = DEFAULT_INDEX_PROFILE,
    private readonly byGallery: Readonly<Record<string, Partial<IndexProfile>>> = {},
  ) {}

  forGallery(name: string | undefined): IndexProfile {
    const override = name === undefined ? undefined : this.byGallery[name];
    return override ? { ...this.base, ...override } : this.base;
  }
}
