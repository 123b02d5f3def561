import {
  SeedRefusedError,
  createDatabase,
  generateFieldKeyring,
  migrateAll,
  type AdjustmentGroup,
  type ClaimStatus,
  type Database,
  type PmsDatabase,
  type SeedDatabase,
} from '@chartbridge/db';
import { freshDatabase, type TestDatabase } from '@chartbridge/db/testing';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findFeesOn } from '../data/claim.repository.js';
import { encounterDocumentedV1, type EncounterDocumented } from '../events/encounter-documented.js';
import { buildClaimDraft } from '../rules/claim-lines.js';
import { adjudicatedStatus } from '../rules/remittance.js';
import { seedPractice, type PracticeSeedSummary } from './seed-practice.js';

// The seeded revenue cycle on a real database (PostgreSQL with DATABASE_URL, PGlite otherwise):
// deterministic, balanced, consistent with the claim state machine and with charge capture.

const OPTIONS = { patients: 150, seed: 11, timeZone: 'America/New_York', today: '2026-11-20' } as const;
const keyring = generateFieldKeyring('seed-test');

let database: TestDatabase;
let owner: Database<SeedDatabase>;
/** The PMS's own view, for its repositories. */
let pms: Database<PmsDatabase>;
let summary: PracticeSeedSummary;

/**
 * Values the database makes itself (the registration part's creation times, its consents' ids) and
 * the SSN ciphertexts (random IVs) differ between runs.
 */
const STAMPED: Readonly<Record<string, readonly string[]>> = {
  'pms.patient': ['created_at', 'updated_at', 'ssn_ciphertext'],
  'pms.provider': ['created_at'],
  'pms.partner': ['created_at'],
  'pms.payer': ['created_at'],
  'pms.location': ['created_at'],
  'pms.room': ['created_at'],
  'pms.availability': ['created_at'],
  'pms.consent': ['created_at', 'id'],
  'pms.coverage': ['created_at'],
  'pms.encounter': ['created_at'],
  'ehr.allergy': ['recorded_at'],
};
const DUMPED = [
  ...Object.keys(STAMPED),
  'pms.appointment',
  'pms.eligibility_check',
  'ehr.clinical_note',
  'ehr.note_addendum',
  'ehr.diagnosis',
  'ehr.procedure',
  'ehr.procedure_diagnosis',
  'ehr.outbox',
  'pms.event_inbox',
  'pms.claim',
  'pms.claim_line',
  'pms.claim_diagnosis',
  'pms.remittance',
  'pms.remittance_line',
  'pms.remittance_adjustment',
  'pms.patient_payment',
  'pms.claim_appeal',
];

/** Every seeded table's rows as sorted JSON texts, without the columns that differ between runs. */
async function dump(): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of DUMPED) {
    const drop = sql.join(
      (STAMPED[table] ?? []).map((c) => sql`- ${c}::text`),
      sql` `,
    );
    const { rows } = await sql<{ row: string }>`select (to_jsonb(t) ${drop})::text as row from ${sql.table(table)} t`.execute(owner.db);
    tables[table] = rows.map((r) => r.row).sort();
  }
  return tables;
}

async function count(query: RawBuilder<{ n: number }>): Promise<number> {
  const { rows } = await query.execute(owner.db);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  database = await freshDatabase();
  owner = createDatabase<SeedDatabase>({ target: database.target, applicationName: 'revenue-cycle-seed-test' });
  pms = createDatabase<PmsDatabase>({ target: database.target, applicationName: 'revenue-cycle-seed-test-pms' });
  await migrateAll(owner.db);
  summary = await seedPractice(owner.db, { ...OPTIONS, keyring });
});

afterAll(async () => {
  await pms?.close();
  await owner?.close();
  await database?.drop();
});

describe('the seeded revenue cycle', () => {
  test('gives the same rows for the same seed, whatever the batch size, and refuses a second seed without reset', async () => {
    const first = await dump();
    await expect(seedPractice(owner.db, { ...OPTIONS, keyring })).rejects.toBeInstanceOf(SeedRefusedError);
    const again = await seedPractice(owner.db, { ...OPTIONS, keyring, reset: true, batchSize: 7 });
    expect(again).toEqual(summary);
    const second = await dump();
    for (const table of DUMPED) expect(second[table], table).toEqual(first[table]);
    expect(first['pms.claim']!.length).toBeGreaterThan(OPTIONS.patients * 3);
  });

  test('counts in its summary exactly what the tables hold', async () => {
    const c = summary.revenueCycle;
    const n = (table: string, where = sql`true`) =>
      count(sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`);
    expect(await n('pms.patient')).toBe(summary.patients);
    expect(await n('pms.provider')).toBe(summary.providers);
    expect(await n('pms.encounter')).toBe(summary.encounters);
    expect(await n('ehr.clinical_note')).toBe(summary.notes);
    expect(await n('pms.coverage')).toBe(summary.coverages);
    expect(await n('pms.eligibility_check')).toBe(c.eligibilityChecks);
    expect(await n('ehr.allergy')).toBe(summary.allergies);
    expect(await n('pms.consent')).toBe(summary.consents);
    expect(await n('pms.patient', sql`ssn_ciphertext is not null`)).toBe(summary.ssns);
    for (const [status, expected] of Object.entries(c.appointments))
      expect(await n('pms.appointment', sql`status = ${status}`), status).toBe(expected);
    for (const [status, expected] of Object.entries(c.claims)) expect(await n('pms.claim', sql`status = ${status}`), status).toBe(expected);
    expect(await n('ehr.diagnosis')).toBe(c.diagnoses);
    expect(await n('ehr.procedure')).toBe(c.procedures);
    expect(await n('ehr.note_addendum')).toBe(c.addenda);
    expect(await n('ehr.outbox', sql`published_at is not null`)).toBe(c.events);
    expect(await n('pms.event_inbox')).toBe(c.events);
    expect(await n('pms.claim_line')).toBe(c.claimLines);
    expect(await n('pms.claim_diagnosis')).toBe(c.claimDiagnoses);
    expect(await n('pms.remittance')).toBe(c.remittances);
    expect(await n('pms.remittance_line')).toBe(c.remittanceLines);
    expect(await n('pms.remittance_line', sql`denied`)).toBe(c.deniedLines);
    expect(await n('pms.remittance_adjustment')).toBe(c.adjustments);
    expect(await n('pms.claim_appeal')).toBe(c.appeals);
    expect(await n('pms.patient_payment')).toBe(c.patientPayments);
    expect(await n('pms.patient_payment', sql`claim_id is null`)).toBe(c.paymentsOnAccount);
    expect(c.claimLines / OPTIONS.patients).toBeGreaterThan(7);
  });

  test("checks eligibility 18 hours before a visit, with the answer the built-in adapter gives from the patient's primary coverage", async () => {
    // Every check: its visit on that day, 18 hours later; the patient's primary coverage begun by
    // then; active exactly when that coverage is in force on the day, with its copay; no PHI in the
    // stored answer (no member id, name, birth date or any other date of any year).
    const { rows } = await sql<{ checks: number; visits: number; wrong: number; active: number; phi: number }>`
      select count(*)::int as checks,
             count(distinct a.id)::int as visits,
             count(*) filter (where
               cv.rank <> 'primary' or cv.patient_id <> e.patient_id or cv.effective_from > e.date_of_service
               or e.checked_at <> a.starts_at - interval '18 hours' or e.adapter <> 'built-in' or e.checked_by <> 'seed'
               or (e.outcome = 'active') <> (cv.effective_to is null or e.date_of_service <= cv.effective_to)
               or (e.outcome = 'active' and e.copay_cents is distinct from cv.copay_cents)
               or exists (select 1 from pms.coverage later where later.patient_id = e.patient_id and later.rank = 'primary'
                           and later.effective_from > cv.effective_from and later.effective_from <= e.date_of_service))::int as wrong,
             count(*) filter (where e.outcome = 'active')::int as active,
             count(*) filter (where e.raw_response::text ~* 'member|birth|name|[0-9]{4}-[0-9]{2}-[0-9]{2}')::int as phi
        from pms.eligibility_check e
        join pms.coverage cv on cv.id = e.coverage_id
        left join pms.appointment a on a.patient_id = e.patient_id and (a.starts_at at time zone ${OPTIONS.timeZone})::date = e.date_of_service
                                   and a.status in ('completed', 'booked', 'arrived', 'in_progress')`.execute(owner.db);
    const r = rows[0]!;
    expect(r.checks).toBe(summary.revenueCycle.eligibilityChecks);
    expect(r.checks).toBeGreaterThan(OPTIONS.patients * 3);
    expect(r.visits).toBe(r.checks);
    expect(r.wrong).toBe(0);
    expect(r.active).toBeGreaterThan(r.checks * 0.9);
    expect(r.phi).toBe(0);
  });

  test('never double-books a provider or a room, and keeps visits in the practice’s hours', async () => {
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from pms.appointment a join pms.appointment b
          on a.id < b.id and a.starts_at < b.ends_at and b.starts_at < a.ends_at and (a.provider_id = b.provider_id or a.room_id = b.room_id)
         where a.status <> 'cancelled' and b.status <> 'cancelled'`),
    ).toBe(0);
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from pms.appointment a
         where extract(isodow from a.starts_at at time zone ${OPTIONS.timeZone}) > 5
            or (a.starts_at at time zone ${OPTIONS.timeZone})::time < '08:00' or (a.ends_at at time zone ${OPTIONS.timeZone})::time > '17:00'`),
    ).toBe(0);
    // A checked-in appointment's encounter is its patient's and provider's, dated the appointment's local day.
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from pms.appointment a join pms.encounter e on e.id = a.encounter_id
         where e.patient_id <> a.patient_id or e.provider_id <> a.provider_id or e.service_date <> (a.starts_at at time zone ${OPTIONS.timeZone})::date`),
    ).toBe(0);
  });

  test('balances every remittance line (charge = paid + adjustments) and every remittance total', async () => {
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from pms.remittance_line rl
          join pms.claim_line cl on cl.id = rl.claim_line_id
          left join lateral (
            select coalesce(sum(a.amount_cents), 0) as adjusted, coalesce(sum(a.amount_cents) filter (where a.group_code = 'PR'), 0) as pr,
                   coalesce(bool_or(a.group_code <> 'PR'), false) as other
              from pms.remittance_adjustment a where a.remittance_line_id = rl.id) a on true
         where cl.charge_cents <> rl.paid_cents + a.adjusted or rl.patient_responsibility_cents <> a.pr
            or rl.denied <> (rl.paid_cents = 0 and a.other) or rl.claim_id <> cl.claim_id or rl.allowed_cents > cl.charge_cents or rl.paid_cents > rl.allowed_cents`),
    ).toBe(0);
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from pms.remittance r
         where r.total_paid_cents <> (select coalesce(sum(paid_cents), 0) from pms.remittance_line where remittance_id = r.id)
            or not exists (select 1 from pms.remittance_line where remittance_id = r.id)`),
    ).toBe(0);
    // Each claim a remittance names is adjudicated there line by line, every line.
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from (select remittance_id, claim_id, count(*) as lines from pms.remittance_line group by 1, 2) p
         where p.lines <> (select count(*) from pms.claim_line where claim_id = p.claim_id)`),
    ).toBe(0);
  });

  test('leaves every claim in a status its submission, remittances, appeals and write-offs explain', async () => {
    const claims = await owner.db
      .selectFrom('pms.claim')
      .select(['id', 'status', 'payer_id', 'first_submitted_at', 'submitted_at', 'adjudicated_at'])
      .execute();
    const { rows: lines } = await sql<{
      claim_id: string;
      remittance_id: string;
      payment_date: string;
      posted_at: Date;
      id: string;
      paid_cents: number;
    }>`
      select rl.claim_id, rl.remittance_id, rl.payment_date, r.posted_at, rl.id, rl.paid_cents
        from pms.remittance_line rl join pms.remittance r on r.id = rl.remittance_id`.execute(owner.db);
    const adjustments = await owner.db
      .selectFrom('pms.remittance_adjustment')
      .select(['remittance_line_id', 'group_code', 'reason_code', 'amount_cents'])
      .execute();
    const appeals = await owner.db.selectFrom('pms.claim_appeal').select(['claim_id', 'appealed_at']).execute();
    const adjustmentsOf = new Map<string, Array<{ group: AdjustmentGroup; reason: string; amountCents: number }>>();
    for (const a of adjustments)
      adjustmentsOf.set(a.remittance_line_id, [
        ...(adjustmentsOf.get(a.remittance_line_id) ?? []),
        { group: a.group_code, reason: a.reason_code, amountCents: Number(a.amount_cents) },
      ]);
    const unadjudicated: readonly ClaimStatus[] = ['draft', 'ready', 'submitted', 'accepted', 'rejected'];
    for (const claim of claims) {
      const own = lines.filter((l) => l.claim_id === claim.id);
      const postings = [...new Set(own.map((l) => l.remittance_id))]
        .map((id) => own.filter((l) => l.remittance_id === id))
        .sort((a, b) => a[0]!.payment_date.localeCompare(b[0]!.payment_date));
      const appealed = appeals.filter((a) => a.claim_id === claim.id);
      if (claim.status !== 'draft' && claim.status !== 'ready') expect(claim.first_submitted_at && claim.payer_id, claim.id).toBeTruthy();
      if (postings.length === 0) {
        expect(unadjudicated, claim.id).toContain(claim.status);
        expect(claim.adjudicated_at).toBeNull();
        expect(appealed).toHaveLength(0);
        continue;
      }
      const statuses = postings.map((p) =>
        adjudicatedStatus(p.map((l) => ({ paidCents: Number(l.paid_cents), adjustments: adjustmentsOf.get(l.id) ?? [] }))),
      );
      const last = statuses.at(-1)!;
      const lastPosted = postings.at(-1)![0]!.posted_at;
      expect(claim.adjudicated_at).toEqual(postings[0]![0]!.posted_at);
      if (claim.status === 'appealed') {
        expect(['denied', 'partially_paid']).toContain(last);
        expect(appealed.some((a) => a.appealed_at > lastPosted)).toBe(true);
      } else if (claim.status === 'void') {
        expect(last).toBe('denied');
      } else {
        expect(claim.status).toBe(last);
      }
      // A second adjudication only ever follows an appeal of a denial.
      if (postings.length > 1) expect(statuses[0]).toBe('denied');
      expect(appealed.length).toBe(postings.length > 1 || claim.status === 'appealed' ? 1 : 0);
    }
  });

  test('bills exactly what charge capture builds from the documentation as it stood at signing', async () => {
    const claims = await owner.db.selectFrom('pms.claim').selectAll().execute();
    const claimLines = await owner.db.selectFrom('pms.claim_line').selectAll().orderBy('claim_id').orderBy('line_number').execute();
    const claimDiagnoses = await owner.db.selectFrom('pms.claim_diagnosis').selectAll().orderBy('claim_id').orderBy('position').execute();
    const notes = new Map((await owner.db.selectFrom('ehr.clinical_note').selectAll().execute()).map((n) => [n.id, n]));
    const diagnoses = await owner.db.selectFrom('ehr.diagnosis').selectAll().orderBy('created_at').orderBy('id').execute();
    const procedures = await owner.db.selectFrom('ehr.procedure').selectAll().orderBy('created_at').orderBy('id').execute();
    const links = await owner.db.selectFrom('ehr.procedure_diagnosis').selectAll().orderBy('position').execute();
    const providers = new Set((await owner.db.selectFrom('pms.provider').select('id').execute()).map((p) => p.id));
    const outbox = new Map((await owner.db.selectFrom('ehr.outbox').selectAll().execute()).map((e) => [e.id, e]));
    const inbox = new Map((await owner.db.selectFrom('pms.event_inbox').selectAll().execute()).map((e) => [e.event_id, e]));
    for (const claim of claims) {
      const snapshot = claim.snapshot as { eventId: string; occurredAt: string; facts: EncounterDocumented };
      const note = notes.get(snapshot.facts.noteId)!;
      expect(note.status).toBe('signed');
      expect(claim.source_event_at).toEqual(note.signed_at);
      const signedAt = note.signed_at!.getTime();
      // The EHR's event at signing: the encounter's coding then, in recording order, each procedure's links in pointer order.
      const dx = diagnoses.filter((d) => d.encounter_id === claim.encounter_id && d.created_at.getTime() <= signedAt);
      const px = procedures.filter((p) => p.encounter_id === claim.encounter_id && p.created_at.getTime() <= signedAt);
      const event = encounterDocumentedV1.parse({
        version: 1,
        encounterId: claim.encounter_id,
        patientId: claim.patient_id,
        serviceDate: snapshot.facts.serviceDate,
        noteId: note.id,
        signedAt: note.signed_at!.toISOString(),
        signedBy: note.signed_by,
        addendumId: null,
        diagnoses: dx.map((d) => ({ id: d.id, code: d.code, description: d.description })),
        procedures: px.map((p) => ({
          id: p.id,
          code: p.code,
          codeSystem: p.code_system,
          display: p.display,
          units: p.units,
          modifiers: p.modifiers,
          performerId: p.performer_id,
          noteId: p.note_id,
          diagnoses: links
            .filter((l) => l.procedure_id === p.id)
            .map((l) => ({ id: l.diagnosis_id, code: dx.find((d) => d.id === l.diagnosis_id)!.code, position: l.position })),
        })),
      });
      expect(snapshot.facts).toEqual(event);
      expect(snapshot.occurredAt).toBe(note.signed_at!.toISOString());
      // The event the EHR wrote at signing, delivered, and recorded by the PMS as what built the claim.
      expect(outbox.get(snapshot.eventId)).toMatchObject({ aggregate_id: claim.encounter_id, payload: event, created_at: note.signed_at });
      expect(inbox.get(snapshot.eventId)).toMatchObject({ outcome: 'applied', claim_id: claim.id, occurred_at: note.signed_at });
      const draft = buildClaimDraft(event, await findFeesOn(pms.db, event.procedures, event.serviceDate), providers);
      expect(claim.total_charge_cents).toBe(draft.totalChargeCents);
      expect(claim.capture_issues).toEqual(draft.issues);
      expect(
        claimDiagnoses.filter((d) => d.claim_id === claim.id).map(({ position, code, description }) => ({ position, code, description })),
      ).toEqual(draft.diagnoses);
      expect(
        claimLines
          .filter((l) => l.claim_id === claim.id)
          .map((l) => ({
            lineNumber: l.line_number,
            procedureId: l.procedure_id,
            procedureCode: l.procedure_code,
            codeSystem: l.code_system,
            display: l.display,
            units: l.units,
            modifiers: l.modifiers,
            chargeCents: Number(l.charge_cents),
            serviceDate: l.service_date,
            renderingProviderId: l.rendering_provider_id,
            pointers: l.pointers,
          })),
      ).toEqual(draft.lines);
    }
    // The claim's location is its checked-in appointment's.
    expect(
      await count(sql<{ n: number }>`
        select count(*)::int as n from pms.claim c left join pms.appointment a on a.encounter_id = c.encounter_id and a.status = 'completed'
         where a.id is null or a.location_id <> c.location_id`),
    ).toBe(0);
  });

  test('leaves open balances in every A/R aging bucket, and none below zero', async () => {
    const { rows } = await sql<{ bucket: string; n: number; negative: number }>`
      with balance as (
        select c.id, (select min(service_date) from pms.claim_line where claim_id = c.id) as service_date,
               c.total_charge_cents
               - coalesce((select sum(paid_cents) from pms.remittance_line where claim_id = c.id), 0)
               - coalesce((select sum(a.amount_cents) from pms.remittance_adjustment a join pms.remittance_line rl on rl.id = a.remittance_line_id
                            where a.claim_id = c.id and not rl.denied and a.group_code <> 'PR'), 0)
               - coalesce((select sum(amount_cents) from pms.patient_payment where claim_id = c.id), 0) as cents
          from pms.claim c where c.status <> 'void' and c.first_submitted_at is not null)
      select case when age <= 30 then '0-30' when age <= 60 then '31-60' when age <= 90 then '61-90' when age <= 120 then '91-120' else 'over 120' end as bucket,
             count(*) filter (where cents > 0)::int as n, count(*) filter (where cents < 0)::int as negative
        from (select cents, ${OPTIONS.today}::date - service_date as age from balance) b group by 1`.execute(owner.db);
    expect(rows.map((r) => r.bucket).sort()).toEqual(['0-30', '31-60', '61-90', '91-120', 'over 120']);
    for (const row of rows) {
      expect(row.n, row.bucket).toBeGreaterThan(0);
      expect(row.negative, row.bucket).toBe(0);
    }
  });

  test('denies about one adjudicated claim in ten, with several CARC reasons, and appeals some of them', async () => {
    const { rows } = await sql<{ adjudicated: number; denied: number; reasons: number }>`
      select (select count(distinct claim_id) from pms.remittance_line)::int as adjudicated,
             (select count(distinct claim_id) from pms.remittance_line where denied)::int as denied,
             (select count(distinct reason_code) from pms.remittance_adjustment a join pms.remittance_line rl on rl.id = a.remittance_line_id where rl.denied)::int as reasons`.execute(
      owner.db,
    );
    const { adjudicated, denied, reasons } = rows[0]!;
    expect(denied / adjudicated).toBeGreaterThan(0.05);
    expect(denied / adjudicated).toBeLessThan(0.16);
    expect(reasons).toBeGreaterThanOrEqual(5);
    expect(summary.revenueCycle.appeals).toBeGreaterThan(0);
    expect(summary.revenueCycle.paymentsOnAccount).toBeGreaterThan(0);
    expect(summary.revenueCycle.patientPayments).toBeGreaterThan(summary.revenueCycle.paymentsOnAccount);
  });

  test('leaves compliance reviews something to find: late, missing and post-submission documentation', async () => {
    const late = await count(sql<{ n: number }>`
      select count(*)::int as n from ehr.clinical_note n join pms.encounter e on e.id = n.encounter_id
       where n.signed_at is not null and (n.signed_at at time zone ${OPTIONS.timeZone})::date - e.service_date > 3`);
    const unsignedVisits = await count(sql<{ n: number }>`
      select count(*)::int as n from pms.appointment a where a.status = 'completed'
         and not exists (select 1 from pms.claim c where c.encounter_id = a.encounter_id)`);
    const afterSubmission = await count(sql<{ n: number }>`
      select count(*)::int as n from ehr.note_addendum d join ehr.clinical_note n on n.id = d.note_id join pms.claim c on c.encounter_id = n.encounter_id
       where d.created_at > c.first_submitted_at`);
    const unsignedWithClaim = await count(sql<{ n: number }>`
      select count(*)::int as n from pms.claim c where exists (select 1 from ehr.clinical_note n where n.encounter_id = c.encounter_id and n.status = 'draft')`);
    expect({
      late: late > 0,
      unsignedVisits: unsignedVisits > 0,
      afterSubmission: afterSubmission > 0,
      unsignedWithClaim: unsignedWithClaim > 0,
    }).toEqual({
      late: true,
      unsignedVisits: true,
      afterSubmission: true,
      unsignedWithClaim: true,
    });
  });
});
