import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clinicianOf } from '../support/documentation-steps.js';
import { mutationsOn } from '../support/mutations.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// A visit documented end to end through the gateway: start, edit, code, sign, amend, read; every
// bad input answered with its error type and field, and nothing changed.

let platform: TestPlatform;
const visit = { encounter: '', patient: '', provider: '', serviceDate: '', otherEncounter: '', otherDiagnosis: '' };
const ids = { note: '', diagnosis: '', procedure: '' };

const NOTE_FIELDS = '__typename ... on ClinicalNote { id status version kind subjective signedAt } ... on Error { message code field }';
const START = `mutation ($input: StartNoteInput!) { startNote(input: $input) { ${NOTE_FIELDS} } }`;
const UPDATE = `mutation ($input: UpdateNoteInput!) { updateNote(input: $input) { ${NOTE_FIELDS} } }`;
const SIGN = `mutation ($input: SignNoteInput!) { signNote(input: $input) { ${NOTE_FIELDS} } }`;
const ADDENDUM = `mutation ($input: AddAddendumInput!) { addAddendum(input: $input) { __typename ... on NoteAddendum { id text changesCoding } ... on Error { message code field } } }`;
const DIAGNOSIS = `mutation ($input: RecordDiagnosisInput!) { recordDiagnosis(input: $input) { __typename ... on Diagnosis { id code { system code display } } ... on Error { message errorCode: code field } } }`;
const PROCEDURE = `mutation ($input: RecordProcedureInput!) { recordProcedure(input: $input) { __typename ... on Procedure { id units modifiers code { code display } diagnoses { code { code } } } ... on Error { message errorCode: code field } } }`;

const run = mutationsOn(() => platform);

async function counts(): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*)::int from ehr.clinical_note) as notes, (select count(*)::int from ehr.diagnosis) as diagnoses,
           (select count(*)::int from ehr.procedure) as procedures, (select count(*)::int from ehr.procedure_diagnosis) as links,
           (select count(*)::int from ehr.note_addendum) as addenda, (select count(*)::int from ehr.outbox) as events`.execute(
    platform.owner.db,
  );
  return rows[0]!;
}

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 20, seed: 21 });
  // Visits whose seeded notes are all signed, so the documentation status this file expects is its own doing.
  const { rows } = await sql<{ id: string; patient_id: string; provider_id: string; service_date: string }>`
    select e.id, e.patient_id, e.provider_id, e.service_date from pms.encounter e
     where not exists (select 1 from ehr.clinical_note n where n.encounter_id = e.id and n.status = 'draft')
     order by e.id limit 2`.execute(platform.owner.db);
  const [first, second] = rows;
  Object.assign(visit, {
    encounter: first!.id,
    patient: first!.patient_id,
    provider: first!.provider_id,
    serviceDate: first!.service_date,
    otherEncounter: second!.id,
  });
});

afterAll(async () => {
  await platform?.stop();
});

/** The visit's provider, as the clinician who writes, signs and amends its note. */
const author = () => clinicianOf(visit.provider);

describe('a visit, documented', () => {
  test('starts a draft note whose patient comes from the PMS encounter', async () => {
    const note = await run(START, { encounterId: visit.encounter, authorId: visit.provider, subjective: 'Cough for five days.' }, author());
    expect(note).toMatchObject({ __typename: 'ClinicalNote', status: 'DRAFT', version: 1, kind: 'PROGRESS' });
    ids.note = note['id'] as string;
    const row = await platform.ehrDatabase.db
      .selectFrom('ehr.clinical_note')
      .select(['patient_id', 'encounter_id'])
      .where('id', '=', ids.note)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ patient_id: visit.patient, encounter_id: visit.encounter });
  });

  test('edits the draft at its version; a stale version is a CONFLICT that changes nothing', async () => {
    const updated = await run(UPDATE, {
      id: ids.note,
      version: 1,
      objective: 'Lungs clear.',
      assessment: 'Type 2 diabetes, stable.',
      plan: 'Continue metformin.',
    });
    expect(updated).toMatchObject({ version: 2 });
    const stale = await run(UPDATE, { id: ids.note, version: 1, objective: 'Overwritten?' });
    expect(stale).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'input.version' });
    const row = await platform.ehrDatabase.db
      .selectFrom('ehr.clinical_note')
      .select(['objective', 'version'])
      .where('id', '=', ids.note)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ objective: 'Lungs clear.', version: 2 });
  });

  test('records an ICD-10-CM diagnosis with its reference description', async () => {
    const dx = await run(DIAGNOSIS, { encounterId: visit.encounter, code: 'e119' });
    expect(dx).toMatchObject({
      __typename: 'Diagnosis',
      code: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' },
    });
    ids.diagnosis = dx['id'] as string;
    const other = await run(DIAGNOSIS, { encounterId: visit.otherEncounter, code: 'I10' });
    visit.otherDiagnosis = other['id'] as string;
  });

  test('records a procedure linked to the diagnosis that justifies it', async () => {
    const proc = await run(PROCEDURE, {
      encounterId: visit.encounter,
      code: '99213',
      display: 'Office visit, established patient',
      units: 1,
      modifiers: ['25'],
      performerId: visit.provider,
      diagnosisIds: [ids.diagnosis],
      noteId: ids.note,
    });
    expect(proc).toMatchObject({
      __typename: 'Procedure',
      units: 1,
      modifiers: ['25'],
      code: { code: '99213', display: 'Office visit, established patient' },
      diagnoses: [{ code: { code: 'E11.9' } }],
    });
    ids.procedure = proc['id'] as string;
  });

  test('signs the note, locks it, and writes the encounter.documented event in the same transaction', async () => {
    const signed = await run(SIGN, { id: ids.note, version: 2 }, author());
    expect(signed).toMatchObject({ __typename: 'ClinicalNote', status: 'SIGNED', version: 3 });
    const events = await platform.ehrDatabase.db.selectFrom('ehr.outbox').selectAll().where('aggregate_id', '=', visit.encounter).execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.event_type).toBe('encounter.documented');
    expect(events[0]!.payload).toMatchObject({
      version: 1,
      encounterId: visit.encounter,
      patientId: visit.patient,
      serviceDate: visit.serviceDate,
      noteId: ids.note,
      addendumId: null,
      diagnoses: [{ id: ids.diagnosis, code: 'E11.9' }],
      procedures: [
        {
          id: ids.procedure,
          code: '99213',
          codeSystem: 'cpt',
          units: 1,
          modifiers: ['25'],
          performerId: visit.provider,
          diagnoses: [{ id: ids.diagnosis, code: 'E11.9', position: 1 }],
        },
      ],
    });

    const edit = await run(UPDATE, { id: ids.note, version: 3, plan: 'Changed after signing?' });
    expect(edit).toMatchObject({ __typename: 'ConflictError', field: 'input.id' });
    // The database refuses it too, whoever asks.
    await expect(sql`update ehr.clinical_note set plan = 'x' where id = ${ids.note}`.execute(platform.owner.db)).rejects.toThrow(
      /signed and locked/,
    );
  });

  test('amends the signed note with an addendum that keeps the original, and tells charge capture again', async () => {
    const addendum = await run(
      ADDENDUM,
      { noteId: ids.note, authorId: visit.provider, text: 'Also counselled on diet.', changesCoding: true },
      author(),
    );
    expect(addendum).toMatchObject({ __typename: 'NoteAddendum', text: 'Also counselled on diet.', changesCoding: true });
    const events = await platform.ehrDatabase.db
      .selectFrom('ehr.outbox')
      .select('payload')
      .where('aggregate_id', '=', visit.encounter)
      .orderBy('created_at')
      .execute();
    expect(events).toHaveLength(2);
    expect(events[1]!.payload).toMatchObject({ addendumId: addendum['id'] });
  });

  test('reads the whole chart of the visit through the gateway', async () => {
    const res = await platform.query<{ encounter: Record<string, unknown> }>(
      `{ encounter(id: "${visit.encounter}") { serviceDate documentationStatus patient { id }
          notes { id status plan addenda { text } }
          diagnoses { code { code } }
          procedures { code { code } units diagnoses { code { code } } note { id status } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.encounter).toMatchObject({
      serviceDate: visit.serviceDate,
      documentationStatus: 'AMENDED',
      patient: { id: visit.patient },
      diagnoses: [{ code: { code: 'E11.9' } }],
      procedures: [
        { code: { code: '99213' }, units: 1, diagnoses: [{ code: { code: 'E11.9' } }], note: { id: ids.note, status: 'SIGNED' } },
      ],
    });
    const notes = res.data!.encounter['notes'] as Array<{ id: string; plan: string; addenda: unknown[] }>;
    expect(notes.find((n) => n.id === ids.note)).toMatchObject({
      plan: 'Continue metformin.',
      addenda: [{ text: 'Also counselled on diet.' }],
    });
  });
});

describe('the visit as a whole', () => {
  test('shows the allergies, problems and immunizations recorded during it', async () => {
    const common = { patientId: visit.patient, encounterId: visit.encounter };
    const allergy = await run(`mutation ($input: RecordAllergyInput!) { recordAllergy(input: $input) { __typename } }`, {
      ...common,
      substance: 'Latex',
      category: 'ENVIRONMENT',
      severity: 'MILD',
    });
    const problem = await run(`mutation ($input: RecordProblemInput!) { recordProblem(input: $input) { __typename } }`, {
      ...common,
      code: 'I10',
      description: 'Essential hypertension',
    });
    const shot = await run(`mutation ($input: RecordImmunizationInput!) { recordImmunization(input: $input) { __typename } }`, {
      ...common,
      cvxCode: '158',
      vaccineName: 'Influenza, injectable, quadrivalent',
      administeredOn: visit.serviceDate,
    });
    expect([allergy, problem, shot].map((r) => r.__typename)).toEqual(['Allergy', 'Problem', 'Immunization']);
    const res = await platform.query<{ encounter: Record<string, Array<Record<string, unknown>>> }>(
      `{ encounter(id: "${visit.encounter}") { allergies { substance } problems { code { code } } immunizations { vaccineName } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.encounter).toEqual({
      allergies: [{ substance: 'Latex' }],
      problems: [{ code: { code: 'I10' } }],
      immunizations: [{ vaccineName: 'Influenza, injectable, quadrivalent' }],
    });
  });
});

describe('bad input changes nothing', () => {
  const cases: Array<[string, () => [string, Record<string, unknown>], string, string]> = [
    [
      'an ICD-10-CM code of the wrong shape',
      () => [DIAGNOSIS, { encounterId: visit.encounter, code: 'E11.12345' }],
      'ValidationError',
      'input.code',
    ],
    [
      'a code not in the reference set',
      () => [DIAGNOSIS, { encounterId: visit.encounter, code: 'A00.0' }],
      'ValidationError',
      'input.code',
    ],
    ['a diagnosis recorded twice', () => [DIAGNOSIS, { encounterId: visit.encounter, code: 'E11.9' }], 'ConflictError', 'input.code'],
    [
      'an unknown encounter',
      () => [DIAGNOSIS, { encounterId: '00000000-0000-4000-8000-000000000000', code: 'I10' }],
      'NotFoundError',
      'input.encounterId',
    ],
    [
      'a procedure code of neither shape',
      () => [
        PROCEDURE,
        { encounterId: visit.encounter, code: 'XYZ', display: 'x', performerId: visit.provider, diagnosisIds: [ids.diagnosis] },
      ],
      'ValidationError',
      'input.code',
    ],
    [
      'units below 1',
      () => [
        PROCEDURE,
        { encounterId: visit.encounter, code: '99213', display: 'x', units: 0, performerId: visit.provider, diagnosisIds: [ids.diagnosis] },
      ],
      'ValidationError',
      'input.units',
    ],
    [
      'more than 4 modifiers',
      () => [
        PROCEDURE,
        {
          encounterId: visit.encounter,
          code: '99213',
          display: 'x',
          modifiers: ['25', '59', 'LT', 'RT', 'XS'],
          performerId: visit.provider,
          diagnosisIds: [ids.diagnosis],
        },
      ],
      'ValidationError',
      'input.modifiers',
    ],
    [
      'a diagnosis from another encounter',
      () => [
        PROCEDURE,
        { encounterId: visit.encounter, code: '99213', display: 'x', performerId: visit.provider, diagnosisIds: [visit.otherDiagnosis] },
      ],
      'ValidationError',
      'input.diagnosisIds.0',
    ],
    [
      'a CPT code without its display text',
      () => [PROCEDURE, { encounterId: visit.encounter, code: '99214', performerId: visit.provider, diagnosisIds: [ids.diagnosis] }],
      'ValidationError',
      'input.display',
    ],
    [
      'a HCPCS code not in the reference set',
      () => [PROCEDURE, { encounterId: visit.encounter, code: 'G9999', performerId: visit.provider, diagnosisIds: [ids.diagnosis] }],
      'ValidationError',
      'input.code',
    ],
    [
      'no justifying diagnosis',
      () => [PROCEDURE, { encounterId: visit.encounter, code: 'G0438', performerId: visit.provider, diagnosisIds: [] }],
      'ValidationError',
      'input.diagnosisIds',
    ],
    [
      'a note for an unknown encounter',
      () => [START, { encounterId: '00000000-0000-4000-8000-000000000000', authorId: visit.provider }],
      'NotFoundError',
      'input.encounterId',
    ],
    ['editing a signed note', () => [UPDATE, { id: ids.note, version: 4, plan: 'x' }], 'ConflictError', 'input.id'],
    [
      'an addendum to a missing note',
      () => [ADDENDUM, { noteId: '00000000-0000-4000-8000-000000000000', authorId: visit.provider, text: 'x' }],
      'NotFoundError',
      'input.noteId',
    ],
  ];

  test.each(cases)('%s', async (_case, make, typename, field) => {
    const before = await counts();
    const [mutation, input] = make();
    expect(await run(mutation, input)).toMatchObject({ __typename: typename, field });
    expect(await counts()).toEqual(before);
  });

  test('signing an empty note is refused and leaves it a draft', async () => {
    const empty = await run(START, { encounterId: visit.otherEncounter, authorId: visit.provider }, author());
    const before = await counts();
    expect(await run(SIGN, { id: empty['id'], version: 1 }, author())).toMatchObject({ __typename: 'ValidationError', field: 'input.id' });
    expect(await counts()).toEqual(before);
  });

  test.each([
    ['a biller', { role: 'biller' as const }],
    ['the patient', { role: 'patient' as const, patient: 'PLACEHOLDER' }],
  ])('%s may not write the chart', async (_case, as) => {
    const caller = 'patient' in as ? { ...as, patient: visit.patient } : as;
    const before = await counts();
    expect(await run(START, { encounterId: visit.encounter, authorId: visit.provider, plan: 'x' }, { as: caller })).toMatchObject({
      __typename: 'ForbiddenError',
    });
    expect(await counts()).toEqual(before);
  });

  test('a signature whose audit record cannot be written rolls back, leaving no event and a draft', async () => {
    const draft = await run(START, { encounterId: visit.otherEncounter, authorId: visit.provider, subjective: 'Headache.' }, author());
    const before = await counts();
    await sql`alter table audit.event add constraint block_sign check (chain <> 'ehr' or action <> 'note.sign') not valid`.execute(
      platform.owner.db,
    );
    try {
      const res = await platform.query(SIGN, { input: { id: draft['id'], version: 1 } }, author());
      expect(res.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await sql`alter table audit.event drop constraint block_sign`.execute(platform.owner.db);
    }
    expect(await counts()).toEqual(before);
    const row = await platform.ehrDatabase.db
      .selectFrom('ehr.clinical_note')
      .select(['status', 'signed_at'])
      .where('id', '=', draft['id'] as string)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'draft', signed_at: null });
  });
});
