// The browser holds no credential a script can read: the session is an HttpOnly cookie set by
// POST /v1/session. What this module keeps, in memory only, is who is signed in (for the menus)
// and the session's CSRF token (sent with every change); after a page load both are fetched
// again from GET /v1/session (docs/architecture.md, "Authentication").
export interface Me {
  user: { id: string; name: string; roles: string[] };
  client: { id: string; name: string; type: string; jurisdiction: string };
}

/** What POST and GET /v1/session answer. */
export interface SessionInfo extends Me {
  csrfToken: string;
}

let current: SessionInfo | null = null;

export function me(): Me | null {
  return current;
}

export function csrfToken(): string | null {
  return current?.csrfToken ?? null;
}

export function signedIn(session: SessionInfo): void {
  current = session;
}

/** Forgets the session here; the server ends it with DELETE /v1/session. */
export function forget(): void {
  current = null;
}

export function hasRole(...roles: string[]): boolean {
  return me()?.user.roles.some((r) => roles.includes(r)) ?? false;
}
