import { sql, type Kysely } from 'kysely';

// The bookable hours the scheduling tests give themselves, away from the seed's.

/** Test hours: the provider is available at the location 07:00-20:00 every day of the week. */
export async function openEveryDay(db: Kysely<unknown>, provider: string, location: string): Promise<void> {
  await sql`
    insert into pms.availability (provider_id, location_id, weekday, start_time, end_time)
    select ${provider}, ${location}, d, '07:00', '20:00' from generate_series(0, 6) d`.execute(db);
}

/** The day a week from today in the time zone `zone` (`YYYY-MM-DD`): always in the future. */
export async function aWeekAhead(db: Kysely<unknown>, zone: string): Promise<string> {
  const { rows } = await sql<{ day: string }>`select ((now() at time zone ${zone})::date + 7)::text as day`.execute(db);
  const [row] = rows;
  if (!row) throw new Error('PostgreSQL answered no day');
  return row.day;
}
