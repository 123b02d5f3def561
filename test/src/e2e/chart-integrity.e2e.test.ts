import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mutationsOn } from '../support/mutations.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// The EHR's rows are a patient's, and the patient is the PMS's: every EHR field of an encounter is
// checked against the encounter's patient (a partner's consent, the audit), and no chart row is
// written for a patient the PMS does not have.

let platform: TestPlatform;
/** A patient with encounters and no consent in the seed, and one of their encounters. */
const fixture = { patient: '', encounter: '' };
const UNKNOWN = '5b0c7d1e-9f2a-4c3b-8d4e-6f7a8b9c0d1e';
const today = new Date().toISOString().slice(0, 10);
const BLUEBIRD = { role: 'partner' as const, partner: 'bluebird-health' };

const run = mutationsOn(() => platform);

/** Rows of every chart table a patient-keyed mutation writes, for this patient id. */
async function rowsOf(patientId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select patient_id from ehr.allergy union all select patient_id from ehr.allergy_status
      union all select patient_id from ehr.vital_signs union all select patient_id from ehr.problem
      union all select patient_id from ehr.immunization union all select patient_id from ehr.prescription
      union all select patient_id from ehr.lab_order) chart
     where patient_id = ${patientId}`.execute(platform.owner.db);
  return rows[0]!.n;
}

async function consent(dataClasses: readonly string[]): Promise<void> {
  const res = await platform.query<{ recordConsent: { __typename: string } }>(
    'mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { __typename } }',
    { input: { patientId: fixture.patient, partnerId: 'bluebird-health', dataClasses, validFrom: today } },
    { as: { role: 'front_desk' } },
  );
  expect(res.data?.recordConsent.__typename).toBe('Consent');
}

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 20, seed: 17 });
  const { rows } = await sql<{ patient_id: string; encounter_id: string }>`
    select e.patient_id, e.id as encounter_id from pms.encounter e
     where not exists (select 1 from pms.consent c where c.patient_id = e.patient_id)
     order by e.patient_id, e.id limit 1`.execute(platform.owner.db);
  Object.assign(fixture, { patient: rows[0]!.patient_id, encounter: rows[0]!.encounter_id });
});

afterAll(async () => {
  await platform?.stop();
});

describe("an encounter's EHR fields are its patient's", () => {
  const STATUS = (id: string) => `{ encounter(id: "${id}") { id documentationStatus } }`;

  test('a partner whose consent names only demographic and contact data gets FORBIDDEN for documentationStatus', async () => {
    await consent(['DEMOGRAPHIC', 'CONTACT']);
    type Answer = { encounter: { documentationStatus: string | null } | null };
    const res = await platform.query<Answer>(STATUS(fixture.encounter), {}, { as: BLUEBIRD });
    expect(res.data?.encounter?.documentationStatus ?? null).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.['code'])).toContain('FORBIDDEN');
    expect(res.errors?.some((e) => e.path?.includes('documentationStatus'))).toBe(true);
    // Nor through the patient's list of encounters.
    const listed = await platform.query<{ encounters: { edges: Array<{ node: { documentationStatus: string | null } | null }> } }>(
      `{ encounters(first: 5, patientId: "${fixture.patient}") { edges { node { documentationStatus } } } }`,
      {},
      { as: BLUEBIRD },
    );
    expect(listed.data?.encounters.edges.map((e) => e.node?.documentationStatus ?? null).filter((s) => s !== null) ?? []).toEqual([]);
  });

  test("the same partner, once the consent names clinical coding, reads it (the EHR applies the PMS's consent)", async () => {
    await consent(['DEMOGRAPHIC', 'CONTACT', 'CLINICAL_CODING']);
    const res = await platform.query<{ encounter: { documentationStatus: string } }>(STATUS(fixture.encounter), {}, { as: BLUEBIRD });
    expect(res.errors).toBeUndefined();
    expect(['NONE', 'DRAFT', 'SIGNED', 'AMENDED']).toContain(res.data?.encounter.documentationStatus);
  });

  test("a clinician's read is audited as an access to the patient in the EHR's chain", async () => {
    const { rows: clock } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(platform.owner.db);
    const res = await platform.query(STATUS(fixture.encounter), {}, { as: { role: 'clinician' } });
    expect(res.errors).toBeUndefined();
    const { rows } = await sql<{ patient_id: string; data_classes: string[] }>`
      select patient_id, data_classes from audit.event
       where chain = 'ehr' and action = 'patient.access' and role = 'clinician' and at >= ${clock[0]!.now}`.execute(platform.owner.db);
    expect(rows).toEqual([{ patient_id: fixture.patient, data_classes: ['clinical_coding'] }]);
  });
});

describe('the EHR writes nothing for a patient the PMS does not have', () => {
  const ERR = '... on Error { message code field }';
  const cases: Array<[string, string, () => Record<string, unknown>]> = [
    [
      'recordAllergy',
      `mutation ($input: RecordAllergyInput!) { recordAllergy(input: $input) { __typename ${ERR} } }`,
      () => ({ patientId: UNKNOWN, substance: 'Penicillin' }),
    ],
    [
      'recordNoKnownDrugAllergies',
      `mutation ($input: RecordNoKnownDrugAllergiesInput!) { recordNoKnownDrugAllergies(input: $input) { __typename ${ERR} } }`,
      () => ({ patientId: UNKNOWN }),
    ],
    [
      'recordVitals',
      `mutation ($input: RecordVitalsInput!) { recordVitals(input: $input) { __typename ${ERR} } }`,
      () => ({ patientId: UNKNOWN, heartRate: 72 }),
    ],
    [
      'recordProblem',
      // `code` is a Coding on Problem: the error's is aliased.
      `mutation ($input: RecordProblemInput!) { recordProblem(input: $input) {
        __typename ... on Error { message errorCode: code field } } }`,
      () => ({ patientId: UNKNOWN, code: 'I10', description: 'Essential hypertension' }),
    ],
    [
      'recordImmunization',
      `mutation ($input: RecordImmunizationInput!) { recordImmunization(input: $input) { __typename ${ERR} } }`,
      () => ({ patientId: UNKNOWN, cvxCode: '158', vaccineName: 'Influenza', administeredOn: today }),
    ],
    [
      'prescribe',
      `mutation ($input: PrescribeInput!) { prescribe(input: $input) { __typename ${ERR} } }`,
      () => ({
        patientId: UNKNOWN,
        drugName: 'Metformin',
        dose: '500 mg',
        route: 'PO',
        frequency: 'twice daily',
        quantity: 60,
        refills: 0,
        prescriberId: platform.providers[0],
      }),
    ],
    [
      'orderLab',
      `mutation ($input: OrderLabInput!) { orderLab(input: $input) { __typename ${ERR} } }`,
      () => ({
        patientId: UNKNOWN,
        encounterId: fixture.encounter,
        orderingProviderId: platform.providers[0],
        loincCode: '2345-7',
        testName: 'Glucose',
      }),
    ],
  ];

  test.each(cases)('%s for a random patient id is NOT_FOUND at input.patientId and writes no row', async (_name, mutation, input) => {
    const before = await rowsOf(UNKNOWN);
    const outcome = await run(mutation, input(), { as: { role: 'nurse' } });
    expect(outcome).toMatchObject({ __typename: 'NotFoundError', field: 'input.patientId' });
    expect(await rowsOf(UNKNOWN)).toBe(before);
    expect(before).toBe(0);
  });

  test('a caller the write policy refuses learns nothing of whether the patient exists', async () => {
    const [, mutation, input] = cases[0]!;
    const unknown = await run(mutation, input(), { as: { role: 'biller' } });
    const known = await run(mutation, { ...input(), patientId: fixture.patient }, { as: { role: 'biller' } });
    expect(unknown).toMatchObject({ __typename: 'ForbiddenError' });
    expect(known).toEqual(unknown);
  });

  test('nor of whether an encounter exists, even one the PMS refuses it', async () => {
    const DIAGNOSIS = `mutation ($input: RecordDiagnosisInput!) { recordDiagnosis(input: $input) {
      __typename ... on Error { message errorCode: code field } } }`;
    for (const as of [{ role: 'partner' as const, partner: 'acme-labs' }, { role: 'biller' as const }]) {
      const unknown = await run(DIAGNOSIS, { encounterId: UNKNOWN, code: 'I10' }, { as });
      const known = await run(DIAGNOSIS, { encounterId: fixture.encounter, code: 'I10' }, { as });
      expect(unknown).toMatchObject({ __typename: 'ForbiddenError' });
      expect(known).toEqual(unknown);
    }
  });
});
