import { sql, type Kysely } from 'kysely';

// Provider productivity counts a period's encounters per provider and month: with the provider and the
// status carried along, the count reads the index alone.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index encounter_service_date_idx on pms.encounter (service_date) include (provider_id, status)`.execute(db);
}
