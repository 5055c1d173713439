// What the Accounts page reads from /v1/admin (src/http/admin-schemas.ts has the server's side).

/** The roles likeness knows; the server refuses any other. */
export const ROLES = ['investigator', 'supervisor', 'auditor', 'operator', 'dpo', 'admin'] as const;
export const CLIENT_TYPES = ['law-enforcement', 'government', 'ngo', 'private'] as const;

export interface ClientRow { id: string; name: string; type: string; jurisdiction: string; galleries: string[] }
export interface GalleryRow { id: string; name: string }
export interface UserRow { id: string; name: string; clientName: string; roles: string[]; createdAt: string; disabledAt?: string }
export interface KeyRow { prefix: string; userName: string | null; createdAt: string; expiresAt: string; revokedAt: string | null }
export interface IssuedKey { key: string; keyPrefix: string; keyExpiresAt: string }
/** A new second factor: the TOTP secret, its otpauth:// URI and one-time recovery codes. */
export interface SecondFactor { secret: string; uri: string; recoveryCodes: string[] }

/** What every section of the page shares: the lists as last read, and a way to read them again. */
export interface AccountsState {
  clients: ClientRow[];
  galleries: GalleryRow[];
  users: UserRow[];
  /** Reads the lists again and redraws the sections from them. */
  reload(): Promise<void>;
  /** Shows a key's secret, once: it is not kept anywhere the page could show it again. */
  showKey(owner: string, issued: IssuedKey): void;
  /** Shows a new second factor, once, like a key. */
  showSecondFactor(owner: string, enrolled: SecondFactor): void;
}
