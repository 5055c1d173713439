import { Type } from '@sinclair/typebox';
import { CLIENT_TYPES, ROLES } from '../domain/accounts.ts';

// The shapes of /v1/admin: every field bounded, names as the accounts service takes them
// (letters, digits, . _ @ -), roles and client types from their closed lists.

export const AccountName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w.@-]+$' });
export const GalleryName = Type.String({ minLength: 1, maxLength: 200 });
/** The public part of a key, with or without its `lk_`. */
export const KeyPrefix = Type.String({ pattern: '^(lk_)?[0-9a-f]{12}$' });
const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Roles = Type.Array(RoleName, { minItems: 1, maxItems: ROLES.length, uniqueItems: true, description: `among ${ROLES.join(', ')}` });
const KeyDays = Type.Integer({ minimum: 1, maximum: 3650, description: 'days until the key expires (90 when left out)' });
export const PageLimit = Type.Integer({ minimum: 1, maximum: 500, default: 100 });

export const AdminClient = Type.Object({
  id: Type.String(), name: Type.String(), type: Type.String(), jurisdiction: Type.String(), createdAt: Type.String(),
  galleries: Type.Array(Type.String(), { description: 'the galleries the client\'s users may search' }),
});

export const NewClient = Type.Object({
  name: AccountName,
  type: Type.Union(CLIENT_TYPES.map((t) => Type.Literal(t))),
  jurisdiction: Type.String({ minLength: 2, maxLength: 6, description: 'ISO 3166 code, e.g. FR or US-IL' }),
}, { additionalProperties: false });

export const AdminUser = Type.Object({
  id: Type.String(), name: Type.String(), clientId: Type.String(), clientName: Type.String(),
  roles: Type.Array(Type.String()), createdAt: Type.String(),
  disabledAt: Type.Optional(Type.String({ description: 'set while the user is disabled: none of their keys authenticates' })),
});

export const NewUser = Type.Object({
  name: AccountName, client: AccountName, roles: Roles, keyDays: Type.Optional(KeyDays),
}, { additionalProperties: false });

export const RolesChange = Type.Object({ roles: Roles }, { additionalProperties: false });

export const KeyRequest = Type.Object({ days: Type.Optional(KeyDays) }, { additionalProperties: false });

export const IssuedKey = Type.Object({
  key: Type.String({ description: 'the whole key, shown in this answer only: it is stored hashed and cannot be recovered' }),
  keyPrefix: Type.String(),
  keyExpiresAt: Type.String(),
});

export const CreatedUser = Type.Object({ user: AdminUser, ...IssuedKey.properties });

export const AdminKey = Type.Object({
  prefix: Type.String(), userId: Type.String(), userName: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(), expiresAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]),
});

/** A second factor's enrolment, shown once: the authenticator's secret and URI, the recovery codes. */
export const SecondFactor = Type.Object({
  secret: Type.String(),
  uri: Type.String(),
  recoveryCodes: Type.Array(Type.String()),
}, { $id: 'SecondFactor' });
