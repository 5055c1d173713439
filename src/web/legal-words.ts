// The catalogue's slugs (src/domain/types.ts, src/services/policy/policy.ts) in the words of the GDPR,
// for people who read a page rather than a configuration file.

const LEGAL_BASES: Record<string, string> = {
  consent: 'Consent (GDPR Art. 6(1)(a))',
  contract: 'Performance of a contract (Art. 6(1)(b))',
  'legal-obligation': 'A legal obligation (Art. 6(1)(c))',
  'vital-interests': 'Vital interests (Art. 6(1)(d))',
  'public-task': 'A task in the public interest (Art. 6(1)(e))',
  'legitimate-interests': 'Legitimate interests (Art. 6(1)(f))',
};

const SPECIAL_CATEGORY_CONDITIONS: Record<string, string> = {
  'explicit-consent': 'explicit consent (Art. 9(2)(a))',
  'employment-social-protection': 'employment and social protection law (Art. 9(2)(b))',
  'vital-interests': 'vital interests (Art. 9(2)(c))',
  'not-for-profit-body': 'a not-for-profit body’s members (Art. 9(2)(d))',
  'manifestly-made-public': 'made public by the person themselves (Art. 9(2)(e))',
  'legal-claims': 'legal claims and the courts (Art. 9(2)(f))',
  'substantial-public-interest': 'substantial public interest (Art. 9(2)(g))',
  'health-or-social-care': 'health or social care (Art. 9(2)(h))',
  'public-health': 'public health (Art. 9(2)(i))',
  'archiving-research-statistics': 'archiving, research or statistics (Art. 9(2)(j))',
};

/** A slug the table does not know still reads as words, not as a token. */
const asWords = (slug: string): string => slug.replace(/[-_]+/g, ' ');

export const legalBasisText = (slug: string): string => LEGAL_BASES[slug] ?? asWords(slug);

export const specialCategoryText = (slug: string): string => `Special category: ${SPECIAL_CATEGORY_CONDITIONS[slug] ?? asWords(slug)}`;
