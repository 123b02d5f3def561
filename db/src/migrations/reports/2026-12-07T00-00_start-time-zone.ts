import { sql, type Kysely } from 'kysely';

// What a starting PMS does with its PRACTICE_TIME_ZONE: `reports.start_time_zone(zone)` sets it when
// the database has none yet (the first start, recomputing the A/R rollups for it) and otherwise
// changes nothing; it returns the zone in force, which the PMS compares with its own and refuses to
// start on a difference. Changing a zone that is set is `reports.use_time_zone`, run on purpose
// (`pnpm reports:time-zone`), never as a side effect of a start: two PMS processes configured with
// different zones would otherwise undo each other's at every start, each time recomputing the
// rollups while writers of A/R wait.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    create function reports.start_time_zone(new_zone text, out zone text, out was_set boolean)
    language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    begin
      -- The row lock makes concurrent first starts take turns: the second sees the first's zone.
      zone := (select p.time_zone from reports.practice p for update);
      was_set := zone is null;
      if was_set then
        perform reports.use_time_zone(new_zone);
        zone := new_zone;
      end if;
    end
    $fn$`,
    )
    .execute(db);
  await sql`revoke all on function reports.start_time_zone(text) from public`.execute(db);
  await sql`grant execute on function reports.start_time_zone(text) to chartbridge_pms`.execute(db);
}
