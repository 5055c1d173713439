import { sql, type Kysely } from 'kysely';

// Every image records the policy decision that let it in, so a later policy change or an
// access report can tell under which rule set it was collected.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE images ADD COLUMN policy_decision TEXT`.execute(db);
}
