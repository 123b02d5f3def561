import { sql, type Kysely } from 'kysely';

// The audit schema is shared: both subgraph roles may use it (the tables and their insert-only
// grants come with the audit trail itself). Runs after the pms and ehr migrations, which create the roles.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`grant usage on schema audit to chartbridge_pms, chartbridge_ehr`.execute(db);
}
