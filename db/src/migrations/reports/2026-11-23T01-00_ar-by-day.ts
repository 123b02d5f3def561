import { sql, type Kysely } from 'kysely';

// A/R per day as a rollup, so a trend of days in A/R (a year of month-ends, a quarter of weeks)
// adds up a few thousand rows instead of walking every claim's balance spans.
//
// A claim counts in A/R on a day when a span of its balance covers the day and the claim was first
// submitted by the end of that practice-local day (reports/inArOn). The submission's local day
// depends on the practice's time zone, so unlike the other derived rows this rollup is computed for
// one zone, stored in reports.practice:
//
//   reports.practice      one row: the practice time zone the A/R rollups are computed for (null
//                         until a PMS sets it at start with reports.use_time_zone)
//   reports.ar_day        per day, payer, provider and location: the change in A/R that day (each
//                         span adds its balance on the day it starts counting and takes it off on
//                         the day it ends) and in A/R over 90 days (a span counts there from the
//                         91st day after the date of service); A/R on a day is the sum up to it
//   reports.ar_day_total  the same per day, payer and location (no provider filter)
//
// A statement trigger on reports.ar_span keeps both current: whatever recomputes a claim's spans
// (a posting's trigger, a bulk recompute) takes the old spans' changes off and adds the new ones'.
// A report reads the rollups only when the zone stored is its own, and the spans otherwise.

const AR_ROLLUPS: ReadonlyArray<{ readonly table: string; readonly keys: readonly string[] }> = [
  { table: 'reports.ar_day', keys: ['day', 'payer_id', 'provider_id', 'location_id'] },
  { table: 'reports.ar_day_total', keys: ['day', 'payer_id', 'location_id'] },
];

/**
 * One statement adding (sign 1) or taking off (-1) the A/R changes of the spans in `spans` (a
 * relation with reports.ar_span's columns) to or from both rollups, for the zone in `zone`.
 */
function arRollupStatement(spans: string, sign: 1 | -1): string {
  const minus = sign < 0 ? '-' : '';
  const inserts = AR_ROLLUPS.map(({ table, keys }) => {
    const positions = keys.map((_, i) => i + 1).join(', ');
    return `insert into ${table} as r (${keys.join(', ')}, total_cents, over_90_cents)
    select ${keys.join(', ')}, ${minus}sum(total), ${minus}sum(over_90) from delta group by ${positions} order by ${positions}
    on conflict (${keys.join(', ')}) do update set total_cents = r.total_cents + excluded.total_cents, over_90_cents = r.over_90_cents + excluded.over_90_cents`;
  });
  const [first, second] = inserts;
  return `
  with counted as (
    -- A span counts from its first day, or its claim's local submission day if later; not at all
    -- when it ends by then. Over 90 days it counts from the 91st day after the date of service if later still.
    select s.payer_id, s.provider_id, s.location_id, s.to_day, s.balance_cents, c.counts_from, greatest(c.counts_from, s.service_date + 91) as over_90_from
      from ${spans} s
      cross join lateral (select greatest(s.from_day, (s.first_submitted_at at time zone zone)::date) as counts_from) c
     where s.to_day is null or s.to_day > c.counts_from
  ),
  delta (day, payer_id, provider_id, location_id, total, over_90) as (
    select counts_from, payer_id, provider_id, location_id, balance_cents, 0::bigint from counted
    union all
    select to_day, payer_id, provider_id, location_id, -balance_cents, 0 from counted where to_day is not null
    union all
    select over_90_from, payer_id, provider_id, location_id, 0, balance_cents from counted where to_day is null or to_day > over_90_from
    union all
    select to_day, payer_id, provider_id, location_id, 0, -balance_cents from counted where to_day > over_90_from
  ),
  first_rollup as (${first})
  ${second};`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table reports.practice (
      singleton boolean primary key default true check (singleton),
      time_zone text
    )`.execute(db);
  await sql`insert into reports.practice default values`.execute(db);

  for (const { table, keys } of AR_ROLLUPS) {
    const columns = keys.map((key) => `${key} ${key === 'day' ? 'date not null' : key === 'provider_id' ? 'uuid not null' : 'uuid'}`);
    await sql.raw(`create table ${table} (${columns.join(', ')}, total_cents bigint not null, over_90_cents bigint not null)`).execute(db);
    await sql
      .raw(`create unique index ${table.replace('reports.', '')}_key on ${table} (${keys.join(', ')}) nulls not distinct`)
      .execute(db);
  }
  // A report filtered to one provider reads that provider's days only.
  await sql`create index ar_day_provider_idx on reports.ar_day (provider_id, day)`.execute(db);

  // Inserted and deleted spans (ar_span rows are never updated: a claim's are replaced whole).
  await sql
    .raw(
      `
    create function reports.ar_spans_changed() returns trigger
    language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    declare
      zone text := (select time_zone from reports.practice);
    begin
      if zone is null then
        return null;
      end if;
      if tg_op = 'INSERT' then
        ${arRollupStatement('new_rows', 1)}
      else
        ${arRollupStatement('old_rows', -1)}
      end if;
      return null;
    end
    $fn$`,
    )
    .execute(db);
  await sql`create trigger ar_span_insert after insert on reports.ar_span referencing new table as new_rows for each statement execute function reports.ar_spans_changed()`.execute(
    db,
  );
  await sql`create trigger ar_span_delete after delete on reports.ar_span referencing old table as old_rows for each statement execute function reports.ar_spans_changed()`.execute(
    db,
  );

  // Sets the practice's time zone and, when it changes, recomputes both rollups from the spans for
  // it (the same zone again returns at once, without locking). The share lock on the spans waits for the transactions recomputing claims to finish and holds
  // new ones back until this one commits, so every span is counted once, in the new zone. Returns
  // whether it recomputed.
  await sql
    .raw(
      `
    create function reports.use_time_zone(new_zone text) returns boolean
    language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    declare
      zone text := new_zone;
    begin
      -- The usual start: the zone is already this one. No lock, no catalog scan.
      if (select time_zone from reports.practice) is not distinct from new_zone and new_zone is not null then
        return false;
      end if;
      if new_zone is null or not exists (select 1 from pg_timezone_names where lower(name) = lower(new_zone)) then
        raise exception 'unknown time zone: %', new_zone using errcode = '22023';
      end if;
      lock table reports.ar_span in share mode;
      if (select time_zone from reports.practice for update) is not distinct from new_zone then
        return false;
      end if;
      update reports.practice set time_zone = new_zone;
      delete from reports.ar_day;
      delete from reports.ar_day_total;
      ${arRollupStatement('reports.ar_span', 1)}
      return true;
    end
    $fn$`,
    )
    .execute(db);

  await sql`revoke all on function reports.ar_spans_changed() from public`.execute(db);
  await sql`revoke all on function reports.use_time_zone(text) from public`.execute(db);
  // The PMS sets the zone of its configuration when it starts.
  await sql`grant usage on schema reports to chartbridge_pms`.execute(db);
  await sql`grant execute on function reports.use_time_zone(text) to chartbridge_pms`.execute(db);
  await sql`grant select on reports.practice, reports.ar_day, reports.ar_day_total to chartbridge_reports`.execute(db);
}
