// Words that mark the way into an account. The collector never logs in, so it never even
// opens these pages: a login page is where a site says "not for everyone".
const LOGIN_WORDS = /(^|[^a-z])(log[-_]?in|log[-_]?on|sign[-_]?in|sign[-_]?on|sign[-_]?up|register|auth|oauth2?|sso|session|account|my[-_]?account|password|wp-login|wp-admin|admin)([^a-z]|$)/i;

export function looksLikeLogin(url: URL): boolean {
  return LOGIN_WORDS.test(decodeSafely(url.pathname)) || LOGIN_WORDS.test(decodeSafely(url.search));
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
