import { sql, type QueryExecutorProvider, type QueryResult } from 'kysely';

// The reports schema's derived tables (migrations/reports): triggers keep them current row by row;
// a bulk load sets them aside and recomputes them once at the end.

/** Tables of the reports schema that are not derived: its settings (the practice's time zone). */
const REPORT_SETTINGS_TABLES = ['practice'];

/**
 * The derived tables (`schema.table`, sorted), as the database has them: every table of the reports
 * schema but its migration bookkeeping and settings, so a table a later migration adds is emptied
 * and recomputed too.
 */
export async function reportTableNames(db: QueryExecutorProvider): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select 'reports.' || tablename as name from pg_tables
     where schemaname = 'reports' and tablename not like 'kysely_migration%' and tablename <> all(${REPORT_SETTINGS_TABLES}::text[])
     order by tablename`.execute(db);
  return rows.map((r) => r.name);
}

/** The tables the derived rows come from: those whose changes the report triggers watch. */
async function sourceTableNames(db: QueryExecutorProvider): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select distinct tn.nspname || '.' || c.relname as name
      from pg_trigger t
      join pg_proc p on p.oid = t.tgfoid
      join pg_namespace n on n.oid = p.pronamespace
      join pg_class c on c.oid = t.tgrelid
      join pg_namespace tn on tn.oid = c.relnamespace
     where n.nspname = 'reports' and p.proname = 'rows_changed' order by 1`.execute(db);
  return rows.map((r) => r.name);
}

/** What a full recompute walks: each source's rows in batches of ids, through its refresh function. */
const SOURCES = [
  { table: 'pms.claim', refresh: 'reports.refresh_claims', batch: 5000 },
  { table: 'pms.encounter', refresh: 'reports.refresh_encounters', batch: 20000 },
] as const;

/**
 * Sets the report triggers aside until the end of the current transaction: a bulk load inside it
 * writes no derived rows, and must call {@link refreshReportTables} before it commits.
 */
export async function deferReportTables(trx: QueryExecutorProvider): Promise<void> {
  await sql`select set_config('chartbridge.reports_deferred', 'on', true)`.execute(trx);
}

/**
 * Recomputes every claim's and encounter's derived rows from scratch, in batches, and turns the
 * triggers back on. `onProgress` is told the claims done after each batch and the total; returns the claims. Run it in the
 * transaction that loaded the rows, as the database owner.
 */
export async function refreshReportTables(
  trx: QueryExecutorProvider,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  await sql`select set_config('chartbridge.reports_deferred', 'off', true)`.execute(trx);
  const derived = await reportTableNames(trx);
  await sql`truncate ${sql.join(derived.map((t) => sql.table(t)))}`.execute(trx);
  // After a bulk load in this transaction the planner's statistics still describe the tables before
  // it (autovacuum cannot see uncommitted rows): without fresh ones each batch is planned for empty
  // tables and takes minutes instead of a second.
  await sql`analyze ${sql.join((await sourceTableNames(trx)).map((t) => sql.table(t)))}`.execute(trx);
  const { rows: count } = await sql<{ n: number }>`select count(*)::int as n from pms.claim`.execute(trx);
  const total = count[0]?.n ?? 0;
  let claims = 0;
  for (const source of SOURCES) {
    let last: string | null = null;
    for (;;) {
      const batch: QueryResult<{ last: string | null; n: number }> = await sql<{ last: string | null; n: number }>`
        with batch as (
          select id from ${sql.table(source.table)} where ${last === null ? sql`true` : sql`id > ${last}::uuid`} order by id limit ${source.batch}
        ), refreshed as (
          select ${sql.raw(source.refresh)}(array(select id from batch))
        )
        select (select max(id::text) from batch) as last, (select count(*)::int from batch) as n from refreshed`.execute(trx);
      const row = batch.rows[0];
      if (!row || row.n === 0 || row.last === null) break;
      last = row.last;
      if (source.table === 'pms.claim') {
        claims += row.n;
        onProgress(claims, total);
      }
    }
  }
  await sql`analyze ${sql.join(derived.map((t) => sql.table(t)))}`.execute(trx);
  return claims;
}

/**
 * Makes `timeZone` the practice time zone the A/R rollups are computed for (reports.practice),
 * recomputing them when it changes (seconds for a large practice; writers to the A/R spans wait).
 * Returns whether it recomputed. The PMS calls it when it starts, as its own role.
 */
export async function useReportsTimeZone(db: QueryExecutorProvider, timeZone: string): Promise<boolean> {
  const { rows } = await sql<{ recomputed: boolean }>`select reports.use_time_zone(${timeZone}) as recomputed`.execute(db);
  return rows[0]?.recomputed ?? false;
}

/**
 * What a starting PMS does with its zone (`reports.start_time_zone`): sets it when the database has
 * none yet, recomputing the A/R rollups for it, and otherwise changes nothing. Returns the zone in
 * force and whether this call set it. A zone other than `timeZone` means the rollups are kept for
 * another one: changing it is {@link useReportsTimeZone}'s, done on purpose (`pnpm reports:time-zone`).
 */
export async function startReportsTimeZone(
  db: QueryExecutorProvider,
  timeZone: string,
): Promise<{ readonly zone: string; readonly set: boolean }> {
  const { rows } = await sql<{ zone: string; was_set: boolean }>`select zone, was_set from reports.start_time_zone(${timeZone})`.execute(
    db,
  );
  const row = rows[0];
  if (!row) throw new Error('reports.start_time_zone returned no row');
  return { zone: row.zone, set: row.was_set };
}
