// ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision (US-IL, GB-SCT).
const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

export function isJurisdiction(code: string): boolean {
  return JURISDICTION.test(code);
}

/**
 * Whether a rule about `rule` reaches `code`. A country covers its subdivisions, a subdivision
 * covers only itself: excluding US excludes US-IL, excluding US-IL leaves US (the whole
 * country is not in Illinois) and US-CA alone.
 */
export function jurisdictionCovers(rule: string, code: string): boolean {
  const r = rule.toUpperCase();
  const c = code.toUpperCase();
  return c === r || c.startsWith(`${r}-`);
}

/** The first code of `codes` that one of `rules` covers, with the rule that did. */
export function firstCovered(rules: readonly string[], codes: readonly string[]): { rule: string; code: string } | undefined {
  for (const code of codes) {
    const rule = rules.find((r) => jurisdictionCovers(r, code));
    if (rule !== undefined) return { rule, code };
  }
  return undefined;
}
