import type { Kysely } from 'kysely';
import type { SessionRecord, UserCredentials } from '../../domain/accounts.ts';
import type { CredentialRepository, SessionRepository } from '../../ports/accounts-store.ts';
import type { Database, SessionsTable, UserCredentialsTable } from './schema.ts';

const credentialsFromRow = (r: UserCredentialsTable): UserCredentials => ({
  userId: r.user_id, passwordHash: r.password_hash, passwordSetAt: r.password_set_at, totpSecret: r.totp_secret,
  totpEnrolledAt: r.totp_enrolled_at, totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
});

const sessionFromRow = (r: SessionsTable): SessionRecord => ({
  id: r.id, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
});

const EMPTY = { password_hash: null, password_set_at: null, totp_secret: null, totp_enrolled_at: null, totp_last_step: null };

export class KyselyCredentialRepository implements CredentialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(userId: string): Promise<UserCredentials | undefined> {
    const row = await this.db.selectFrom('user_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row && credentialsFromRow(row);
  }

  async setPassword(userId: string, hash: string, at: string): Promise<void> {
    const set = { password_hash: hash, password_set_at: at };
    await this.db.insertInto('user_credentials').values({ ...EMPTY, user_id: userId, ...set })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(set)).execute();
  }

  async setTotp(userId: string, secretBase32: string | null, at: string): Promise<void> {
    const set = { totp_secret: secretBase32, totp_enrolled_at: secretBase32 === null ? null : at, totp_last_step: null };
    await this.db.insertInto('user_credentials').values({ ...EMPTY, user_id: userId, ...set })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(set)).execute();
  }

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    // One conditional update: of two sign-ins racing with the same code, one changes the row.
    const result = await this.db.updateTable('user_credentials').set({ totp_last_step: step })
      .where('user_id', '=', userId).where('totp_secret', 'is not', null)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async replaceRecoveryCodes(userId: string, hashes: readonly string[], at: string): Promise<void> {
    await this.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (hashes.length === 0) return;
    await this.db.insertInto('recovery_codes').values(hashes.map((hash) => ({ user_id: userId, hash, created_at: at, used_at: null }))).execute();
  }

  async unusedRecoveryCodes(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('recovery_codes').select('hash').where('user_id', '=', userId).where('used_at', 'is', null).execute();
    return rows.map((r) => r.hash);
  }

  async useRecoveryCode(userId: string, hash: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('recovery_codes').set({ used_at: at })
      .where('user_id', '=', userId).where('hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: SessionRecord): Promise<void> {
    await this.db.insertInto('sessions').values({
      id: s.id, user_id: s.userId, created_at: s.createdAt, last_seen_at: s.lastSeenAt, expires_at: s.expiresAt, revoked_at: s.revokedAt,
    }).execute();
  }

  async find(id: string): Promise<SessionRecord | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).where('last_seen_at', '<', at).execute();
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeForUser(userId: string, at: string): Promise<number> {
    const result = await this.db.updateTable('sessions').set({ revoked_at: at })
      .where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteEndedBefore(cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
