import { sql, type Kysely } from 'kysely';

// The newest `encounter.documented` event of an encounter holds the date of service its
// documentation stands for (`Encounter.documentation.serviceDate`): found by encounter, newest first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index outbox_documented_by_encounter_idx on ehr.outbox (aggregate_id, created_at desc, id desc) where event_type = 'encounter.documented'`.execute(
    db,
  );
}
