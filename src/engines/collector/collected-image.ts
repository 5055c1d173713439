const IMAGE_TYPES = /^(image\/|application\/octet-stream)/i;

/** Servers that send no type are given the benefit of the doubt; the decoder has the last word. */
export function isImageType(contentType: string | undefined): boolean {
  return contentType === undefined || IMAGE_TYPES.test(contentType.trim());
}

export function isHtmlType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^(text\/html|application\/xhtml\+xml)\b/i.test(contentType.trim());
}

/** Directives of an X-Robots-Tag header meant for every crawler or for `token`. */
export function robotsHeaderTokens(header: string | undefined, token: string): string[] {
  if (!header) return [];
  return header.split(/,(?=\s*[a-z0-9_-]+\s*:)/i).flatMap((part) => {
    const m = /^\s*([a-z0-9_-]+)\s*:\s*(.*)$/i.exec(part);
    const known = ['noindex', 'nofollow', 'none', 'noimageindex', 'all', 'index', 'follow', 'unavailable_after'];
    if (m && !known.includes(m[1]!.toLowerCase())) {
      return m[1]!.toLowerCase() === token ? tokens(m[2]!) : [];
    }
    return tokens(part);
  });
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[\s,]+/).filter(Boolean);
}
