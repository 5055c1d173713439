// The key lives in sessionStorage only: gone when the tab closes, never written to disk by us.
export interface Me {
  user: { id: string; name: string; roles: string[] };
  client: { id: string; name: string; type: string; jurisdiction: string };
  keyPrefix: string;
}

const KEY = 'likeness.key';
const ME = 'likeness.me';

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function me(): Me | null {
  const raw = sessionStorage.getItem(ME);
  return raw ? (JSON.parse(raw) as Me) : null;
}

export function signIn(key: string, who: Me): void {
  sessionStorage.setItem(KEY, key);
  sessionStorage.setItem(ME, JSON.stringify(who));
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ME);
}

export function hasRole(...roles: string[]): boolean {
  return me()?.user.roles.some((r) => roles.includes(r)) ?? false;
}
