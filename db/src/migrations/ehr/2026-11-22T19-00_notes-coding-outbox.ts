import { sql, type Kysely } from 'kysely';

// Documentation and coding: addenda to signed notes, diagnoses (ICD-10-CM) and procedures (CPT or
// HCPCS) with their linkage, reference code sets, and the transactional outbox that tells the PMS
// an encounter was documented (charge capture).

// A curated subset of the public CMS code sets, so a bare install validates common codes; the full
// release files load with `pnpm codes:import`. CPT is not here: its descriptions are copyrighted.
const ICD10CM: ReadonlyArray<readonly [string, string]> = [
  ['B34.9', 'Viral infection, unspecified'],
  ['D64.9', 'Anemia, unspecified'],
  ['E03.9', 'Hypothyroidism, unspecified'],
  ['E11.9', 'Type 2 diabetes mellitus without complications'],
  ['E55.9', 'Vitamin D deficiency, unspecified'],
  ['E66.9', 'Obesity, unspecified'],
  ['E78.5', 'Hyperlipidemia, unspecified'],
  ['F32.9', 'Major depressive disorder, single episode, unspecified'],
  ['F41.1', 'Generalized anxiety disorder'],
  ['F41.9', 'Anxiety disorder, unspecified'],
  ['G43.909', 'Migraine, unspecified, not intractable, without status migrainosus'],
  ['G47.00', 'Insomnia, unspecified'],
  ['H66.90', 'Otitis media, unspecified, unspecified ear'],
  ['I10', 'Essential (primary) hypertension'],
  ['I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris'],
  ['I48.91', 'Unspecified atrial fibrillation'],
  ['J02.9', 'Acute pharyngitis, unspecified'],
  ['J06.9', 'Acute upper respiratory infection, unspecified'],
  ['J20.9', 'Acute bronchitis, unspecified'],
  ['J44.9', 'Chronic obstructive pulmonary disease, unspecified'],
  ['J45.909', 'Unspecified asthma, uncomplicated'],
  ['K21.9', 'Gastro-esophageal reflux disease without esophagitis'],
  ['L30.9', 'Dermatitis, unspecified'],
  ['M25.561', 'Pain in right knee'],
  ['M25.562', 'Pain in left knee'],
  ['M54.50', 'Low back pain, unspecified'],
  ['M79.10', 'Myalgia, unspecified site'],
  ['N39.0', 'Urinary tract infection, site not specified'],
  ['R05.9', 'Cough, unspecified'],
  ['R10.9', 'Unspecified abdominal pain'],
  ['R50.9', 'Fever, unspecified'],
  ['R51.9', 'Headache, unspecified'],
  ['R53.83', 'Other fatigue'],
  ['S93.401A', 'Sprain of unspecified ligament of right ankle, initial encounter'],
  ['U07.1', 'COVID-19'],
  ['Z00.00', 'Encounter for general adult medical examination without abnormal findings'],
  ['Z00.01', 'Encounter for general adult medical examination with abnormal findings'],
  ['Z00.129', 'Encounter for routine child health examination without abnormal findings'],
  ['Z12.11', 'Encounter for screening for malignant neoplasm of colon'],
  ['Z12.4', 'Encounter for screening for malignant neoplasm of cervix'],
  ['Z13.31', 'Encounter for screening for depression'],
  ['Z23', 'Encounter for immunization'],
  ['Z71.3', 'Dietary counseling and surveillance'],
  ['Z79.4', 'Long term (current) use of insulin'],
];

const HCPCS: ReadonlyArray<readonly [string, string]> = [
  ['A4550', 'Surgical trays'],
  ['G0008', 'Administration of influenza virus vaccine'],
  ['G0009', 'Administration of pneumococcal vaccine'],
  ['G0121', 'Colorectal cancer screening; colonoscopy on individual not meeting criteria for high risk'],
  ['G0438', 'Annual wellness visit; includes a personalized prevention plan of service (PPPS), initial visit'],
  ['G0439', 'Annual wellness visit, includes a personalized prevention plan of service (PPPS), subsequent visit'],
  ['G0442', 'Annual alcohol misuse screening, 5 to 15 minutes'],
  ['G0444', 'Annual depression screening, 5 to 15 minutes'],
  ['J0696', 'Injection, ceftriaxone sodium, per 250 mg'],
  ['J1100', 'Injection, dexamethasone sodium phosphate, 1 mg'],
  ['J1885', 'Injection, ketorolac tromethamine, per 15 mg'],
  ['J3301', 'Injection, triamcinolone acetonide, not otherwise specified, 10 mg'],
  ['J7030', 'Infusion, normal saline solution, 1000 cc'],
  ['Q0091', 'Screening papanicolaou smear; obtaining, preparing and conveyance of cervical or vaginal smear to laboratory'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // Who signed: until now only the author could, so existing signatures are the author's.
  await sql`alter table ehr.clinical_note add column signed_by uuid`.execute(db);
  await sql`update ehr.clinical_note set signed_by = author_id where status = 'signed'`.execute(db);
  await sql`alter table ehr.clinical_note add constraint clinical_note_signer check ((status = 'signed') = (signed_by is not null))`.execute(
    db,
  );
  // A signed note is never edited in place (docs/PRACTICE-DOMAIN.md, "Clinical record (EHR)"): corrections
  // are addenda. Enforced here too, so no code path, present or future, can rewrite a signed note.
  await sql`
    create function ehr.refuse_signed_note_change() returns trigger language plpgsql as $$
    begin
      if old.status = 'signed' then
        raise exception 'clinical note % is signed and locked; corrections are addenda', old.id using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger clinical_note_locked before update or delete on ehr.clinical_note for each row execute function ehr.refuse_signed_note_change()`.execute(
    db,
  );

  await sql`
    create table ehr.note_addendum (
      id uuid primary key default gen_random_uuid(),
      note_id uuid not null references ehr.clinical_note (id),
      author_id uuid not null,
      text text not null check (btrim(text) <> ''),
      changes_coding boolean not null default false,
      recorded_by text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index note_addendum_note_idx on ehr.note_addendum (note_id, created_at, id)`.execute(db);

  await sql`
    create table ehr.code_reference (
      system text not null check (system in ('icd10cm', 'hcpcs')),
      code text not null,
      description text not null check (description <> ''),
      primary key (system, code)
    )`.execute(db);
  const rows = [...ICD10CM.map(([code, d]) => sql`('icd10cm', ${code}, ${d})`), ...HCPCS.map(([code, d]) => sql`('hcpcs', ${code}, ${d})`)];
  await sql`insert into ehr.code_reference (system, code, description) values ${sql.join(rows)}`.execute(db);

  await sql`
    create table ehr.diagnosis (
      id uuid primary key default gen_random_uuid(),
      encounter_id uuid not null,
      patient_id uuid not null,
      code text not null check (code ~ '^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$'),
      description text not null,
      recorded_by text not null,
      created_at timestamptz not null default now(),
      unique (encounter_id, code)
    )`.execute(db);
  await sql`create index diagnosis_encounter_idx on ehr.diagnosis (encounter_id, created_at, id)`.execute(db);
  await sql`create index diagnosis_patient_idx on ehr.diagnosis (patient_id, created_at, id)`.execute(db);

  await sql`
    create table ehr.procedure (
      id uuid primary key default gen_random_uuid(),
      encounter_id uuid not null,
      patient_id uuid not null,
      note_id uuid references ehr.clinical_note (id),
      code text not null,
      code_system text not null check (code_system in ('cpt', 'hcpcs')),
      display text not null check (display <> ''),
      units integer not null check (units >= 1 and units <= 999),
      modifiers text[] not null default '{}' check (cardinality(modifiers) <= 4),
      performer_id uuid not null,
      recorded_by text not null,
      created_at timestamptz not null default now(),
      check ((code_system = 'cpt' and code ~ '^[0-9]{4}[0-9FTU]$') or (code_system = 'hcpcs' and code ~ '^[A-V][0-9]{4}$'))
    )`.execute(db);
  await sql`create index procedure_encounter_idx on ehr.procedure (encounter_id, created_at, id)`.execute(db);

  // Diagnosis-procedure linkage, the basis of medical necessity: the pointers of a claim line.
  await sql`
    create table ehr.procedure_diagnosis (
      procedure_id uuid not null references ehr.procedure (id),
      diagnosis_id uuid not null references ehr.diagnosis (id),
      position smallint not null check (position between 1 and 4),
      primary key (procedure_id, diagnosis_id),
      unique (procedure_id, position)
    )`.execute(db);

  // Transactional outbox: written in the same transaction as the signature it announces; a delivery
  // worker hands each event to the PMS at least once (the PMS consumer is idempotent by event id).
  await sql`
    create table ehr.outbox (
      id uuid primary key default gen_random_uuid(),
      event_type text not null,
      aggregate_id uuid not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text
    )`.execute(db);
  await sql`create index outbox_pending_idx on ehr.outbox (next_attempt_at) where published_at is null`.execute(db);

  await sql`grant select, insert, update on ehr.note_addendum, ehr.diagnosis, ehr.procedure, ehr.procedure_diagnosis, ehr.outbox to chartbridge_ehr`.execute(
    db,
  );
  await sql`grant select on ehr.code_reference to chartbridge_ehr`.execute(db);
}
