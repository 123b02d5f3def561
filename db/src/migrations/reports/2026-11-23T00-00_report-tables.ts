import { sql, type Kysely } from 'kysely';
import { PROGRESS_NOTICE_PREFIX } from '../progress.js';

// The revenue-cycle reports' own tables: facts derived from the claims, postings and documentation,
// kept current by the database itself. Every write to a table they come from (a service's, the
// seed's, a support engineer's in psql) fires a statement trigger that recomputes the derived rows
// of the claims it touched, in the same transaction: a report never reads a stale or half-posted
// claim, and a read replica receives the derived rows with the rest. The reports then aggregate a
// few thousand summary rows instead of a million postings.
//
//   reports.claim_fact          one row per claim: its dimensions, first submission, first adjudication
//   reports.claim_day           one row per claim and day with activity: charges by line date of
//                               service, payments, contractual adjustments, adjudicated and denied
//                               lines, and the claim's previous day of each kind (exact distinct counts)
//   reports.daily               claim_day summed per day, payer, provider, location and void flag
//   reports.daily_total         the same per day, payer, location and void flag (no provider filter)
//   reports.monthly             the same per calendar month, provider, location and void flag
//   reports.ar_span             a claim's A/R balance over time: one row per run of days with the same
//                               balance other than 0
//   reports.denial              each adjustment (not PR) of a denied remittance line: the denials report
//   reports.compliance_finding  the compliance report's findings per claim and line
//   reports.encounter_fact      one row per encounter: its day, provider, location (the checked-in
//                               appointment's) and whether it counts (not cancelled)
//   reports.encounter_daily     encounters counted per day, provider and location
//   reports.encounter_monthly   the same per calendar month
//
// Everything is derived: `reports.refresh_claims(ids)` recomputes the claims given from their
// sources (`reports.refresh_encounters(ids)` the encounters), and recomputing every one rebuilds the schema (the seed does that once after its load,
// having set `chartbridge.reports_deferred` so the triggers stand aside).
//
// Times are stored as instants (first submission, creation, signature): the practice's time zone is
// applied when a report reads them, so no derived row depends on configuration. Thresholds that are
// configuration in the code (the late-signature days, the high-dollar amount) are applied when read
// as well: the findings table keeps every candidate with the value to compare.

/** What each source table's trigger passes on: the claims (or encounters) a changed row `r` bears on. */
const SOURCES: ReadonlyArray<{ readonly table: string; readonly claims: string; readonly kind?: 'claims' | 'encounters' }> = [
  { table: 'pms.claim', claims: 'select r.id from %s r' },
  { table: 'pms.claim_line', claims: 'select r.claim_id from %s r' },
  { table: 'pms.claim_diagnosis', claims: 'select r.claim_id from %s r' },
  { table: 'pms.encounter', claims: 'select c.id from %s r join pms.claim c on c.encounter_id = r.id' },
  { table: 'pms.remittance_line', claims: 'select r.claim_id from %s r' },
  { table: 'pms.remittance_adjustment', claims: 'select r.claim_id from %s r' },
  { table: 'pms.patient_payment', claims: 'select r.claim_id from %s r where r.claim_id is not null' },
  { table: 'ehr.clinical_note', claims: 'select c.id from %s r join pms.claim c on c.encounter_id = r.encounter_id' },
  {
    table: 'ehr.note_addendum',
    claims: 'select c.id from %s r join ehr.clinical_note n on n.id = r.note_id join pms.claim c on c.encounter_id = n.encounter_id',
  },
  { table: 'ehr.procedure', claims: 'select c.id from %s r join pms.claim c on c.encounter_id = r.encounter_id' },
  { table: 'ehr.diagnosis', claims: 'select c.id from %s r join pms.claim c on c.encounter_id = r.encounter_id' },
  {
    table: 'ehr.procedure_diagnosis',
    claims: 'select c.id from %s r join ehr.procedure p on p.id = r.procedure_id join pms.claim c on c.encounter_id = p.encounter_id',
  },
  { table: 'pms.encounter', claims: 'select r.id from %s r', kind: 'encounters' },
  { table: 'pms.appointment', claims: 'select r.encounter_id from %s r where r.encounter_id is not null', kind: 'encounters' },
];

/** What every rollup sums from a claim's days: [column, aggregate over reports.claim_day]. */
const MEASURES: ReadonlyArray<readonly [string, string]> = [
  ['charges_cents', 'sum(charges_cents)'],
  ['lines', 'sum(lines)'],
  ['units', 'sum(units)'],
  ['payer_paid_cents', 'sum(payer_paid_cents)'],
  ['patient_paid_cents', 'sum(patient_paid_cents)'],
  ['contractual_cents', 'sum(contractual_cents)'],
  ['adjudicated_lines', 'sum(adjudicated_lines)'],
  ['denied_lines', 'sum(denied_lines)'],
  ['postings', 'sum(postings)'],
  // Claim-days with lines of service, adjudicated lines, denied lines (a claim once per day).
  ['charged_claims', 'count(*) filter (where lines > 0)'],
  ['adjudicated_claims', 'count(*) filter (where adjudicated_lines > 0)'],
  ['denied_claims', 'count(*) filter (where denied_lines > 0)'],
];

type RollupKey = readonly [column: string, type: string, expression: string];
const DAY: RollupKey = ['day', 'date', 'day'];
const PAYER: RollupKey = ['payer_id', 'uuid', 'payer_id'];
const PROVIDER: RollupKey = ['provider_id', 'uuid', 'provider_id'];
const LOCATION: RollupKey = ['location_id', 'uuid', 'location_id'];
const VOID: RollupKey = ['is_void', 'boolean', 'is_void'];

/** The sums of reports.claim_day each report reads instead of the claims' days themselves. */
const ROLLUPS: ReadonlyArray<{ readonly table: string; readonly keys: readonly RollupKey[] }> = [
  { table: 'reports.daily', keys: [DAY, PAYER, PROVIDER, LOCATION, VOID] },
  { table: 'reports.daily_total', keys: [DAY, PAYER, LOCATION, VOID] },
  { table: 'reports.monthly', keys: [['month', 'date', "date_trunc('month', day)::date"], PROVIDER, LOCATION, VOID] },
];

/** Adds (sign 1) or takes off (-1) the days in reports.claim_day of the claims `ids` to or from every rollup, keys in order. */
function rollupStatements(sign: 1 | -1): string {
  return ROLLUPS.map(({ table, keys }) => {
    const columns = keys.map(([column]) => column);
    const positions = keys.map((_, i) => i + 1).join(', ');
    return `insert into ${table} as r (${[...columns, ...MEASURES.map(([column]) => column)].join(', ')})
    select ${[...keys.map(([, , expression]) => expression), ...MEASURES.map(([, aggregate]) => (sign < 0 ? `-${aggregate}` : aggregate))].join(', ')}
      from reports.claim_day where claim_id = any(ids) group by ${positions} order by ${positions}
    on conflict (${columns.join(', ')}) do update set ${MEASURES.map(([column]) => `${column} = r.${column} + excluded.${column}`).join(', ')};`;
  }).join('\n  ');
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists reports`.execute(db);

  await sql`
    create table reports.claim_fact (
      claim_id uuid primary key,
      encounter_id uuid not null,
      payer_id uuid,
      provider_id uuid not null,
      location_id uuid,
      is_void boolean not null,
      service_date date not null,
      created_at timestamptz not null,
      first_submitted_at timestamptz,
      -- No scrubbing finding at the first submission and never submitted again.
      clean boolean not null,
      -- The earliest payment date of the claim's remittance lines (a payer's reversal left out).
      first_adjudicated_on date,
      -- No line denied on that day; null while never adjudicated.
      first_pass boolean
    )`.execute(db);
  await sql`create index claim_fact_submitted_idx on reports.claim_fact (first_submitted_at) include (clean, payer_id, provider_id, location_id) where first_submitted_at is not null`.execute(
    db,
  );
  await sql`create index claim_fact_created_idx on reports.claim_fact (created_at) include (service_date, payer_id, provider_id, location_id)`.execute(
    db,
  );
  await sql`create index claim_fact_adjudicated_idx on reports.claim_fact (first_adjudicated_on) include (first_pass, payer_id, provider_id, location_id) where first_adjudicated_on is not null`.execute(
    db,
  );

  await sql`
    create table reports.claim_day (
      claim_id uuid not null,
      day date not null,
      payer_id uuid,
      provider_id uuid not null,
      location_id uuid,
      encounter_id uuid not null,
      is_void boolean not null,
      charges_cents bigint not null,
      lines integer not null,
      units integer not null,
      payer_paid_cents bigint not null,
      patient_paid_cents bigint not null,
      contractual_cents bigint not null,
      adjudicated_lines integer not null,
      denied_lines integer not null,
      -- Remittance lines (a payer's reversal included) and patient payments posted to the claim on the day.
      postings integer not null,
      -- The claim's latest earlier day with lines of service, with adjudicated lines, with denied
      -- lines; set only on a day that has some itself. A period counts a claim once: the sum of its
      -- days with activity less its days whose previous such day is in the period too.
      prev_charge_day date,
      prev_adjudicated_day date,
      prev_denied_day date,
      primary key (claim_id, day)
    )`.execute(db);
  await sql`create index claim_day_charge_idx on reports.claim_day (day) include (claim_id, encounter_id, charges_cents, payer_id, provider_id, location_id, is_void) where lines > 0`.execute(
    db,
  );
  await sql`create index claim_day_charge_repeat_idx on reports.claim_day (day) include (prev_charge_day, payer_id, provider_id, location_id, is_void) where prev_charge_day is not null`.execute(
    db,
  );
  await sql`create index claim_day_adjudicated_repeat_idx on reports.claim_day (day) include (prev_adjudicated_day, prev_denied_day, payer_id, provider_id, location_id) where prev_adjudicated_day is not null or prev_denied_day is not null`.execute(
    db,
  );

  for (const rollup of ROLLUPS) {
    const keys = rollup.keys.map(
      ([column, type]) => `${column} ${type}${column === 'payer_id' || column === 'location_id' ? '' : ' not null'}`,
    );
    const measures = MEASURES.map(([column]) => `${column} bigint not null`);
    await sql.raw(`create table ${rollup.table} (${[...keys, ...measures].join(', ')})`).execute(db);
    await sql
      .raw(
        `create unique index ${rollup.table.replace('reports.', '')}_key on ${rollup.table} (${rollup.keys.map(([c]) => c).join(', ')}) nulls not distinct`,
      )
      .execute(db);
  }
  // A report filtered to one provider reads that provider's days only.
  await sql`create index daily_provider_idx on reports.daily (provider_id, day)`.execute(db);

  await sql`
    create table reports.ar_span (
      claim_id uuid not null,
      payer_id uuid,
      provider_id uuid not null,
      location_id uuid,
      service_date date not null,
      first_submitted_at timestamptz not null,
      -- Its UTC day: the practice's day of it is this one or a neighbour, which a report settles
      -- against the day boundaries of its time zone without converting every row.
      submitted_utc_day date not null,
      -- The days of this balance: from the day of one posting (null: since before the first) up to,
      -- not including, the day of the next (null: still). On a day, a claim submitted by then owes
      -- its charge less everything posted up to that day: exactly the balance of the span covering it.
      -- Plain dates rather than a range: the reports read them in whole passes, where a range's
      -- accessors cost more than the scan.
      from_day date,
      to_day date,
      balance_cents bigint not null,
      check (from_day < to_day)
    )`.execute(db);
  await sql`create index ar_span_claim_idx on reports.ar_span (claim_id)`.execute(db);
  await sql`create index ar_span_submitted_idx on reports.ar_span (submitted_utc_day)`.execute(db);

  await sql`
    create table reports.denial (
      remittance_line_id uuid not null,
      claim_id uuid not null,
      payment_date date not null,
      payer_id uuid,
      provider_id uuid not null,
      location_id uuid,
      procedure_code text not null,
      group_code text not null,
      reason_code text not null,
      amount_cents bigint not null
    )`.execute(db);
  await sql`create index denial_claim_idx on reports.denial (claim_id)`.execute(db);
  await sql`create index denial_date_idx on reports.denial (payment_date)`.execute(db);

  await sql`
    create table reports.compliance_finding (
      claim_id uuid not null,
      rule text not null,
      severity text not null,
      -- 0 for a finding on the whole claim.
      line_number integer not null,
      encounter_id uuid not null,
      provider_id uuid not null,
      payer_id uuid,
      location_id uuid,
      service_date date not null,
      submitted_at timestamptz,
      -- LATE_SIGNATURE: the latest signature (a candidate when signed a UTC day or more after the
      -- date of service, which any threshold of a day or more needs; the report applies the
      -- practice's day and the threshold). HIGH_DOLLAR_UNDOCUMENTED: the line's charge
      -- (every undocumented line is a candidate; the report applies the threshold).
      last_signed_at timestamptz,
      charge_cents bigint
    )`.execute(db);
  await sql`create index compliance_finding_claim_idx on reports.compliance_finding (claim_id)`.execute(db);
  await sql`create index compliance_finding_order_idx on reports.compliance_finding (service_date, claim_id, rule, line_number)`.execute(
    db,
  );

  await sql`
    create table reports.encounter_fact (
      encounter_id uuid primary key,
      day date not null,
      provider_id uuid not null,
      location_id uuid,
      counted boolean not null
    )`.execute(db);
  for (const [table, period] of [
    ['reports.encounter_daily', 'day'],
    ['reports.encounter_monthly', 'month'],
  ] as const) {
    await sql
      .raw(`create table ${table} (${period} date not null, provider_id uuid not null, location_id uuid, encounters bigint not null)`)
      .execute(db);
    await sql
      .raw(`create unique index ${table.replace('reports.', '')}_key on ${table} (${period}, provider_id, location_id) nulls not distinct`)
      .execute(db);
  }

  await sql.raw(REFRESH_FUNCTION).execute(db);
  await sql.raw(TRIGGER_FUNCTION).execute(db);
  await sql.raw(REFRESH_ENCOUNTERS_FUNCTION).execute(db);
  for (const { table, claims, kind = 'claims' } of SOURCES) {
    const name = `reports_${table.replace('.', '_')}${kind === 'encounters' ? '_encounters' : ''}`;
    const args = sql`${sql.lit(kind)}, ${sql.lit(claims)}`;
    await sql`create trigger ${sql.raw(`${name}_insert`)} after insert on ${sql.table(table)} referencing new table as new_rows for each statement execute function reports.rows_changed(${args})`.execute(
      db,
    );
    await sql`create trigger ${sql.raw(`${name}_update`)} after update on ${sql.table(table)} referencing old table as old_rows new table as new_rows for each statement execute function reports.rows_changed(${args})`.execute(
      db,
    );
    await sql`create trigger ${sql.raw(`${name}_delete`)} after delete on ${sql.table(table)} referencing old table as old_rows for each statement execute function reports.rows_changed(${args})`.execute(
      db,
    );
  }
  // The functions write as their owner: the services' roles may fire them, none may call them.
  await sql`revoke all on function reports.refresh_claims(uuid[]) from public`.execute(db);
  await sql`revoke all on function reports.refresh_encounters(uuid[]) from public`.execute(db);
  await sql`revoke all on function reports.rows_changed() from public`.execute(db);

  await sql`grant usage on schema reports to chartbridge_reports`.execute(db);
  await sql`grant select on all tables in schema reports to chartbridge_reports`.execute(db);

  // The claims and encounters already in the database: every one, in batches. After each batch a
  // notice `PROGRESS_NOTICE_PREFIX <what> <done> of <total>` (counts only) tells whoever runs the
  // migration how far it is: minutes on a large practice. (The notices were added after this file
  // landed; the rows it writes are unchanged.)
  const backfill = (table: string, what: string, refresh: string, batch: number) => `
      last_id := null;
      done := 0;
      total := (select count(*) from ${table});
      loop
        select array_agg(id order by id) into batch
          from (select id from ${table} where last_id is null or id > last_id order by id limit ${batch}) b;
        exit when batch is null;
        perform ${refresh}(batch);
        last_id := batch[cardinality(batch)];
        done := done + cardinality(batch);
        raise notice '${PROGRESS_NOTICE_PREFIX} ${what} % of %', done, total;
      end loop;`;
  await sql
    .raw(
      `
    do $$
    declare
      last_id uuid;
      batch uuid[];
      done bigint;
      total bigint;
    begin${backfill('pms.claim', 'reports backfill: claims', 'reports.refresh_claims', 5000)}${backfill('pms.encounter', 'reports backfill: encounters', 'reports.refresh_encounters', 20000)}
    end $$`,
    )
    .execute(db);
}

const TRIGGER_FUNCTION = `
create function reports.rows_changed() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
declare
  ids uuid[];
begin
  if current_setting('chartbridge.reports_deferred', true) = 'on' then
    return null;
  end if;
  if tg_op = 'INSERT' then
    execute format('select array_agg(distinct id) from (' || tg_argv[1] || ') x(id)', 'new_rows') into ids;
  elsif tg_op = 'DELETE' then
    execute format('select array_agg(distinct id) from (' || tg_argv[1] || ') x(id)', 'old_rows') into ids;
  else
    execute format('select array_agg(distinct id) from (' || tg_argv[1] || ' union ' || tg_argv[1] || ') x(id)', 'old_rows', 'new_rows') into ids;
  end if;
  if tg_argv[0] = 'encounters' then
    perform reports.refresh_encounters(ids);
  else
    perform reports.refresh_claims(ids);
  end if;
  return null;
end
$fn$`;

/**
 * A refresh function of the ids given, `body` its statements: writes as its owner with a fixed
 * search path, does nothing for none, and takes the ids in order (two transactions refreshing
 * overlapping rows queue up rather than deadlock).
 */
function refreshFunction(name: string, body: string): string {
  return `
create function reports.${name}(ids uuid[]) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  ids := array(select distinct unnest(ids) order by 1);
${body}end
$fn$`;
}

// Recomputes every derived row of the claims given (those that no longer exist lose theirs). The
// rules are those of the pms code they mirror: rules/remittance.ts (denied, contractual CO 45/253,
// A/R balance), reports/kpi.report.ts (the KPIs' components), rules/compliance-findings.ts (the
// compliance rules, as reports/compliance.report.ts words them per rule and line).
const REFRESH_FUNCTION = refreshFunction(
  'refresh_claims',
  `

  delete from reports.claim_fact where claim_id = any(ids);
  delete from reports.ar_span where claim_id = any(ids);
  delete from reports.compliance_finding where claim_id = any(ids);
  delete from reports.denial where claim_id = any(ids);
  -- The claims' old days out of the rollups, then out of claim_day.
  ${rollupStatements(-1)}
  delete from reports.claim_day where claim_id = any(ids);

  insert into reports.claim_fact
  select c.id, c.encounter_id, c.payer_id, c.provider_id, c.location_id, c.status = 'void', e.service_date, c.created_at, c.first_submitted_at,
         coalesce(c.first_submission_clean, false) and coalesce(c.submitted_at, c.first_submitted_at) = c.first_submitted_at,
         fa.first_on, fa.first_pass
    from pms.claim c
    join pms.encounter e on e.id = c.encounter_id
    left join lateral (
      select min(rl.payment_date) as first_on,
             not bool_or(rl.denied) filter (where rl.payment_date = (select min(x.payment_date) from pms.remittance_line x where x.claim_id = c.id and x.reverses_line_id is null)) as first_pass
        from pms.remittance_line rl
       where rl.claim_id = c.id and rl.reverses_line_id is null
    ) fa on true
   where c.id = any(ids);

  with claims as (
    select c.id, c.payer_id, c.provider_id, c.location_id, c.encounter_id, c.status = 'void' as is_void
      from pms.claim c where c.id = any(ids)
  ),
  activity (claim_id, day, charges_cents, lines, units, payer_paid_cents, patient_paid_cents, contractual_cents, adjudicated_lines, denied_lines, postings) as (
    select cl.claim_id, cl.service_date, cl.charge_cents::bigint, 1, cl.units, 0::bigint, 0::bigint, 0::bigint, 0, 0, 0
      from pms.claim_line cl where cl.claim_id = any(ids)
    union all
    select rl.claim_id, rl.payment_date, 0, 0, 0, rl.paid_cents, 0, 0,
           (rl.reverses_line_id is null)::int, (rl.reverses_line_id is null and rl.denied)::int, 1
      from pms.remittance_line rl where rl.claim_id = any(ids)
    union all
    select ra.claim_id, ra.payment_date, 0, 0, 0, 0, 0, ra.amount_cents, 0, 0, 0
      from pms.remittance_adjustment ra join pms.remittance_line rl on rl.id = ra.remittance_line_id
     where ra.claim_id = any(ids) and ra.group_code = 'CO' and ra.reason_code in ('45', '253') and not rl.denied
    union all
    select pp.claim_id, pp.received_on, 0, 0, 0, 0, pp.amount_cents, 0, 0, 0, 1
      from pms.patient_payment pp where pp.claim_id = any(ids)
  ),
  per_day as (
    select claim_id, day, sum(charges_cents) as charges_cents, sum(lines)::int as lines, sum(units)::int as units,
           sum(payer_paid_cents) as payer_paid_cents, sum(patient_paid_cents) as patient_paid_cents, sum(contractual_cents) as contractual_cents,
           sum(adjudicated_lines)::int as adjudicated_lines, sum(denied_lines)::int as denied_lines, sum(postings)::int as postings
      from activity group by claim_id, day
  ),
  day_rows as (
    select p.claim_id, p.day, c.payer_id, c.provider_id, c.location_id, c.encounter_id, c.is_void,
           p.charges_cents, p.lines, p.units, p.payer_paid_cents, p.patient_paid_cents, p.contractual_cents, p.adjudicated_lines, p.denied_lines, p.postings,
           case when p.lines > 0 then max(p.day) filter (where p.lines > 0) over earlier end,
           case when p.adjudicated_lines > 0 then max(p.day) filter (where p.adjudicated_lines > 0) over earlier end,
           case when p.denied_lines > 0 then max(p.day) filter (where p.denied_lines > 0) over earlier end
      from per_day p join claims c on c.id = p.claim_id
    window earlier as (partition by p.claim_id order by p.day rows between unbounded preceding and 1 preceding)
  )
  insert into reports.claim_day select * from day_rows;

  -- Their new days into the rollups.
  ${rollupStatements(1)}

  -- A/R: claims not void and submitted. Each posting that moves the balance (payer paid, CO/OI/PI
  -- adjustments on lines not denied, patient payments on the claim) starts a new span on its date.
  with claims as (
    select c.id, c.payer_id, c.provider_id, c.location_id, e.service_date, c.first_submitted_at, c.total_charge_cents
      from pms.claim c join pms.encounter e on e.id = c.encounter_id
     where c.id = any(ids) and c.status <> 'void' and c.first_submitted_at is not null
  ),
  posted (claim_id, day, amount) as (
    select rl.claim_id, rl.payment_date, -rl.paid_cents::bigint from pms.remittance_line rl where rl.claim_id = any(ids) and rl.paid_cents <> 0
    union all
    select ra.claim_id, ra.payment_date, -ra.amount_cents::bigint
      from pms.remittance_adjustment ra join pms.remittance_line rl on rl.id = ra.remittance_line_id
     where ra.claim_id = any(ids) and ra.group_code <> 'PR' and not rl.denied
    union all
    select pp.claim_id, pp.received_on, -pp.amount_cents::bigint from pms.patient_payment pp where pp.claim_id = any(ids)
  ),
  steps as (
    select c.id as claim_id, null::date as day, c.total_charge_cents::bigint as amount from claims c
    union all
    select p.claim_id, p.day, sum(p.amount) from posted p join claims c on c.id = p.claim_id group by p.claim_id, p.day
  ),
  running as (
    select claim_id, day, lead(day) over w as next_day, sum(amount) over w as balance
      from steps
    window w as (partition by claim_id order by day nulls first rows between unbounded preceding and current row)
  )
  insert into reports.ar_span
  select r.claim_id, c.payer_id, c.provider_id, c.location_id, c.service_date, c.first_submitted_at, (c.first_submitted_at at time zone 'UTC')::date, r.day, r.next_day, r.balance
    from running r join claims c on c.id = r.claim_id
   where r.balance <> 0;

  -- Denials: the adjustments other than the patient's share on denied lines (a payer's reversal is no denial).
  insert into reports.denial
  select rl.id, rl.claim_id, rl.payment_date, c.payer_id, c.provider_id, c.location_id, cl.procedure_code, ra.group_code, ra.reason_code, ra.amount_cents
    from pms.remittance_line rl
    join pms.claim c on c.id = rl.claim_id
    join pms.claim_line cl on cl.id = rl.claim_line_id
    join pms.remittance_adjustment ra on ra.remittance_line_id = rl.id and ra.group_code <> 'PR'
   where rl.claim_id = any(ids) and rl.denied and rl.reverses_line_id is null;

  -- Compliance: claims not void, compared with the EHR's documentation as it is now.
  with scope as (
    select c.id as claim_id, c.encounter_id, c.provider_id, c.payer_id, c.location_id, e.service_date, c.submitted_at,
           doc.notes, doc.unsigned, doc.signed, doc.last_signed_at
      from pms.claim c
      join pms.encounter e on e.id = c.encounter_id
      cross join lateral (
        select count(*) as notes, count(*) filter (where n.status <> 'signed') as unsigned, count(*) filter (where n.status = 'signed') as signed,
               max(n.signed_at) as last_signed_at
          from ehr.clinical_note n where n.encounter_id = c.encounter_id
      ) doc
     where c.id = any(ids) and c.status <> 'void'
  ),
  hit (rule, severity, claim_id, line_number, charge_cents) as (
    select 'DATE_MISMATCH', 'error', sc.claim_id, cl.line_number::int, null::bigint
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
     where cl.service_date <> sc.service_date and sc.signed > 0
    union all
    select 'LATE_SIGNATURE', 'warning', sc.claim_id, 0, null
      from scope sc
     where (sc.last_signed_at at time zone 'UTC')::date - sc.service_date >= 1
    union all
    select 'DOCUMENTED_AFTER_SUBMISSION', case when late.signed or late.coding then 'error' else 'warning' end, sc.claim_id, 0, null
      from scope sc
      cross join lateral (
        select exists (select 1 from ehr.clinical_note n where n.encounter_id = sc.encounter_id and n.signed_at > sc.submitted_at) as signed,
               exists (select 1 from ehr.note_addendum a join ehr.clinical_note n on n.id = a.note_id
                        where n.encounter_id = sc.encounter_id and a.created_at > sc.submitted_at and a.changes_coding) as coding,
               exists (select 1 from ehr.note_addendum a join ehr.clinical_note n on n.id = a.note_id
                        where n.encounter_id = sc.encounter_id and a.created_at > sc.submitted_at) as addendum
      ) late
     where sc.submitted_at is not null and (late.signed or late.addendum)
    union all
    select 'UNDOCUMENTED_CODE', 'error', sc.claim_id, cl.line_number::int, null
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
     where not exists (select 1 from ehr.procedure p where p.id = cl.procedure_id and p.encounter_id = sc.encounter_id and p.code = cl.procedure_code and p.units = cl.units)
    union all
    select 'UNDOCUMENTED_CODE', 'error', sc.claim_id, 0, null
      from scope sc
     where exists (select 1 from pms.claim_diagnosis cd where cd.claim_id = sc.claim_id
                     and not exists (select 1 from ehr.diagnosis d where d.encounter_id = sc.encounter_id and d.code = cd.code))
    union all
    select 'UNSIGNED_DOCUMENTATION', 'error', sc.claim_id, 0, null
      from scope sc
     where sc.notes = 0 or sc.unsigned > 0
    union all
    select 'HIGH_DOLLAR_UNDOCUMENTED', 'error', sc.claim_id, cl.line_number::int, cl.charge_cents::bigint
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
     where not (sc.notes > 0 and sc.unsigned = 0 and exists (select 1 from ehr.procedure p where p.id = cl.procedure_id and p.encounter_id = sc.encounter_id))
    union all
    select 'LINKAGE_MISMATCH', 'error', sc.claim_id, cl.line_number::int, null
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
     where cardinality(cl.pointers) = 0
        or (exists (select 1 from ehr.procedure p where p.id = cl.procedure_id and p.encounter_id = sc.encounter_id)
            and (exists (select 1 from unnest(cl.pointers) as ptr(position)
                          where not exists (select 1 from pms.claim_diagnosis cd where cd.claim_id = sc.claim_id and cd.position = ptr.position))
                 or array(select cd.code from pms.claim_diagnosis cd where cd.claim_id = sc.claim_id and cd.position = any (cl.pointers) order by cd.code)
                    is distinct from
                    array(select d.code from ehr.procedure_diagnosis pd join ehr.diagnosis d on d.id = pd.diagnosis_id where pd.procedure_id = cl.procedure_id order by d.code)))
  )
  insert into reports.compliance_finding
  select h.claim_id, h.rule, h.severity, h.line_number, sc.encounter_id, sc.provider_id, sc.payer_id, sc.location_id, sc.service_date, sc.submitted_at,
         case when h.rule = 'LATE_SIGNATURE' then sc.last_signed_at end, h.charge_cents
    from hit h join scope sc on sc.claim_id = h.claim_id;
`,
);

/** Adds (sign 1) or takes off (-1) the counted encounters `ids` in reports.encounter_fact to or from both encounter rollups. */
function encounterRollups(sign: 1 | -1): string {
  return (
    [
      ['reports.encounter_daily', 'day', 'day'],
      ['reports.encounter_monthly', 'month', "date_trunc('month', day)::date"],
    ] as const
  )
    .map(
      ([table, period, expression]) => `insert into ${table} as r (${period}, provider_id, location_id, encounters)
    select ${expression}, provider_id, location_id, ${sign < 0 ? '-' : ''}count(*)
      from reports.encounter_fact where encounter_id = any(ids) and counted group by 1, 2, 3 order by 1, 2, 3
    on conflict (${period}, provider_id, location_id) do update set encounters = r.encounters + excluded.encounters;`,
    )
    .join('\n  ');
}

// Provider productivity's encounters: those not cancelled, by date of service, provider and the
// location of the appointment checked in to them (none without one).
const REFRESH_ENCOUNTERS_FUNCTION = refreshFunction(
  'refresh_encounters',
  `
  ${encounterRollups(-1)}
  delete from reports.encounter_fact where encounter_id = any(ids);
  insert into reports.encounter_fact
  select e.id, e.service_date, e.provider_id, a.location_id, e.status <> 'cancelled'
    from pms.encounter e
    left join pms.appointment a on a.encounter_id = e.id
   where e.id = any(ids);
  ${encounterRollups(1)}
`,
);
