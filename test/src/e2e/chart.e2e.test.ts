import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditRecords } from '../support/audit.js';
import { mutationsOn } from '../support/mutations.js';
import { statementsDuring } from '../support/statements.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// The rest of the chart through the gateway: allergies with their class and the patient's
// drug-allergy status, the problem list, prescriptions and the active medication list, with
// drug-allergy decision support. Every change is validated (a bad input answers its error type and
// field, and changes nothing), limited to clinicians and nurses, and audited in its transaction.

let platform: TestPlatform;
/** Patients with no allergy in the seed, each with an encounter of their own, and a provider. */
const chart = {
  patient: '',
  encounter: '',
  nkdaPatient: '',
  allergicPatient: '',
  allergicEncounter: '',
  partnerPatient: '',
  otherEncounter: '',
  provider: '',
};
const ids = { allergy: '', problem: '', metformin: '', amoxicillin: '' };
const OVERRIDE = 'Tolerated a full amoxicillin course in 2024 without reaction; no alternative for this infection';

const ALLERGY = `mutation ($input: RecordAllergyInput!) { recordAllergy(input: $input) {
  __typename ... on Allergy { id substance allergenClass category severity status encounter { id } recordedBy }
  ... on Error { message code field } } }`;
const NKDA = `mutation ($input: RecordNoKnownDrugAllergiesInput!) { recordNoKnownDrugAllergies(input: $input) {
  __typename ... on PatientAllergyStatus { status recordedAt recordedBy } ... on Error { message code field } } }`;
// `code` is a Coding on Problem and a String on Error: the error's is aliased.
const PROBLEM = `mutation ($input: RecordProblemInput!) { recordProblem(input: $input) {
  __typename ... on Problem { id code { system code display } description status onsetDate encounter { id } }
  ... on Error { message errorCode: code field } } }`;
const PRESCRIPTION_FIELDS = `id drugName rxnormCode drugClass dose route frequency quantity refills status overridden overrideReason
  prescriber { id } encounter { id } alerts { kind severity message rule references { type id } }`;
const PRESCRIBE = `mutation ($input: PrescribeInput!) { prescribe(input: $input) {
  __typename ... on Prescription { ${PRESCRIPTION_FIELDS} } ... on Error { message code field } } }`;
const STOP = `mutation ($input: StopMedicationInput!) { stopMedication(input: $input) {
  __typename ... on Prescription { id status stoppedAt } ... on Error { message code field } } }`;

const run = mutationsOn(() => platform);

/** Row counts of every table these mutations write, and of the EHR's audit chain. */
async function counts(): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*)::int from ehr.allergy) as allergies, (select count(*)::int from ehr.allergy_status) as statuses,
           (select count(*)::int from ehr.problem) as problems, (select count(*)::int from ehr.prescription) as prescriptions,
           (select count(*)::int from ehr.prescription where status = 'stopped') as stopped`.execute(platform.owner.db);
  return rows[0]!;
}

/** The EHR's records of a tagged request, but its accesses to the patient. */
const auditOf = (requestId: string) =>
  auditRecords(
    platform,
    { tag: requestId },
    {
      chain: 'ehr',
      actions: { except: ['patient.access'] },
      columns: ['action', 'outcome', 'entity_type', 'entity_id', 'patient_id', 'before_hash', 'after_hash'],
    },
  );

const prescription = (over: Record<string, unknown> = {}) => ({
  patientId: chart.patient,
  encounterId: chart.encounter,
  drugName: 'Metformin',
  rxnormCode: '860975',
  dose: '500 mg',
  route: 'PO',
  frequency: 'twice daily',
  quantity: 60,
  refills: 3,
  prescriberId: chart.provider,
  ...over,
});

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 30, seed: 11 });
  const { rows } = await sql<{ patient_id: string; encounter_id: string; provider_id: string }>`
    select distinct on (e.patient_id) e.patient_id, e.id as encounter_id, e.provider_id from pms.encounter e
     where not exists (select 1 from ehr.allergy a where a.patient_id = e.patient_id)
       and not exists (select 1 from pms.consent c where c.patient_id = e.patient_id)
     order by e.patient_id, e.id limit 4`.execute(platform.owner.db);
  if (rows.length < 4) throw new Error('the seed has too few patients without allergies');
  const [first, second, third, fourth] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
  Object.assign(chart, {
    patient: first.patient_id,
    encounter: first.encounter_id,
    provider: first.provider_id,
    nkdaPatient: second.patient_id,
    allergicPatient: third.patient_id,
    allergicEncounter: third.encounter_id,
    partnerPatient: fourth.patient_id,
    otherEncounter: second.encounter_id,
  });
});

afterAll(async () => {
  await platform?.stop();
});

describe('allergies', () => {
  test('records an allergy in an encounter, deriving its class and category, audited with its content hash', async () => {
    const allergy = await run(
      ALLERGY,
      {
        patientId: chart.allergicPatient,
        encounterId: chart.allergicEncounter,
        substance: ' Penicillin ',
        reaction: 'Anaphylaxis',
        severity: 'SEVERE',
      },
      { headers: { 'x-request-id': 'chart-allergy' } },
    );
    expect(allergy).toMatchObject({
      __typename: 'Allergy',
      substance: 'Penicillin',
      allergenClass: 'penicillins',
      category: 'MEDICATION',
      severity: 'SEVERE',
      status: 'ACTIVE',
      encounter: { id: chart.allergicEncounter },
      recordedBy: expect.any(String),
    });
    ids.allergy = allergy['id'] as string;
    const row = await platform.ehrDatabase.db.selectFrom('ehr.allergy').selectAll().where('id', '=', ids.allergy).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      patient_id: chart.allergicPatient,
      encounter_id: chart.allergicEncounter,
      allergen_class: 'penicillins',
      category: 'medication',
    });
    expect(await auditOf('chart-allergy')).toEqual([
      {
        action: 'allergy.record',
        outcome: 'success',
        entity_type: 'allergy',
        entity_id: ids.allergy,
        patient_id: chart.allergicPatient,
        before_hash: null,
        after_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  test('keeps a class given by the clinician, lower-cased, and takes the category from it for a substance the table lacks', async () => {
    const allergy = await run(ALLERGY, {
      patientId: chart.allergicPatient,
      substance: 'Keflex',
      allergenClass: 'Cephalosporins',
      severity: 'MILD',
    });
    expect(allergy).toMatchObject({ __typename: 'Allergy', allergenClass: 'cephalosporins', category: 'MEDICATION', encounter: null });
  });

  test('shows the allergies and the status on the patient, batched with the rest of the chart', async () => {
    const res = await platform.query<{ patient: { allergies: Array<{ substance: string }>; allergyStatus: { status: string } } }>(
      `{ patient(id: "${chart.allergicPatient}") { allergies { substance } allergyStatus { status } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient).toEqual({
      allergies: [{ substance: 'Penicillin' }, { substance: 'Keflex' }],
      allergyStatus: { status: 'HAS_ALLERGIES' },
    });
  });

  test.each([
    ['a malformed patient id', { patientId: 'x' }, 'ValidationError', 'input.patientId'],
    ['a malformed encounter id', { encounterId: 'x' }, 'ValidationError', 'input.encounterId'],
    ['an encounter the PMS does not know', { encounterId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.encounterId'],
    ["another patient's encounter", { encounterId: 'OTHER' }, 'ValidationError', 'input.encounterId'],
    ['a blank substance', { substance: '   ' }, 'ValidationError', 'input.substance'],
    ['an unknown substance and no category', { substance: 'Mango' }, 'ValidationError', 'input.category'],
    ['a substance already active on the chart', { substance: 'penicillin' }, 'ConflictError', 'input.substance'],
  ])('with %s is refused with the field at fault and changes nothing', async (_case, change, typename, field) => {
    const before = await counts();
    const input: Record<string, unknown> = { patientId: chart.allergicPatient, substance: 'Ibuprofen', severity: 'MODERATE', ...change };
    if (input.encounterId === 'OTHER') input.encounterId = chart.otherEncounter;
    expect(await run(ALLERGY, input)).toMatchObject({ __typename: typename, field });
    expect(await counts()).toEqual(before);
  });
});

describe('the drug-allergy status', () => {
  test('is UNKNOWN when nothing was recorded, not "no allergies"', async () => {
    const res = await platform.query<{ patient: { allergies: unknown[]; allergyStatus: { status: string; recordedAt: string | null } } }>(
      `{ patient(id: "${chart.nkdaPatient}") { allergies { id } allergyStatus { status recordedAt } } }`,
    );
    expect(res.data?.patient).toEqual({ allergies: [], allergyStatus: { status: 'UNKNOWN', recordedAt: null } });
  });

  test('becomes NO_KNOWN_DRUG_ALLERGIES when a nurse records it, audited', async () => {
    const status = await run(NKDA, { patientId: chart.nkdaPatient }, { as: { role: 'nurse' }, headers: { 'x-request-id': 'chart-nkda' } });
    expect(status).toEqual({
      __typename: 'PatientAllergyStatus',
      status: 'NO_KNOWN_DRUG_ALLERGIES',
      recordedAt: expect.any(String),
      recordedBy: expect.any(String),
    });
    expect(await auditOf('chart-nkda')).toEqual([
      expect.objectContaining({
        action: 'allergy_status.record',
        outcome: 'success',
        entity_type: 'allergy_status',
        patient_id: chart.nkdaPatient,
        before_hash: null,
      }),
    ]);
  });

  test('stays NO_KNOWN_DRUG_ALLERGIES when a food allergy is recorded', async () => {
    await run(ALLERGY, { patientId: chart.nkdaPatient, substance: 'Peanut', severity: 'SEVERE' });
    const res = await platform.query<{ patient: { allergyStatus: { status: string } } }>(
      `{ patient(id: "${chart.nkdaPatient}") { allergyStatus { status } } }`,
    );
    expect(res.data?.patient.allergyStatus.status).toBe('NO_KNOWN_DRUG_ALLERGIES');
  });

  test('becomes HAS_ALLERGIES with an active drug allergy, which withdraws the statement in the same transaction', async () => {
    const allergy = await run(
      ALLERGY,
      { patientId: chart.nkdaPatient, substance: 'Sulfamethoxazole', severity: 'MODERATE' },
      { headers: { 'x-request-id': 'chart-withdraw' } },
    );
    expect(allergy).toMatchObject({ allergenClass: 'sulfonamides', category: 'MEDICATION' });
    const res = await platform.query<{ patient: { allergyStatus: { status: string } } }>(
      `{ patient(id: "${chart.nkdaPatient}") { allergyStatus { status } } }`,
    );
    expect(res.data?.patient.allergyStatus.status).toBe('HAS_ALLERGIES');
    expect((await auditOf('chart-withdraw')).map((r) => [r.action, r.before_hash === null, r.after_hash === null])).toEqual([
      ['allergy.record', true, false],
      ['allergy_status.withdraw', false, true],
    ]);
  });

  test('refuses "no known drug allergies" while an active drug allergy is on the chart, as a CONFLICT that changes nothing', async () => {
    const before = await counts();
    expect(await run(NKDA, { patientId: chart.nkdaPatient })).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.patientId',
      message: expect.stringContaining('Sulfamethoxazole'),
    });
    expect(await counts()).toEqual(before);
  });
});

describe('the problem list', () => {
  test('records an ICD-10-CM problem as typed, normalized, with its onset date', async () => {
    const problem = await run(
      PROBLEM,
      { patientId: chart.patient, encounterId: chart.encounter, code: 'e119', description: 'Type 2 diabetes', onsetDate: '2021-03-04' },
      { headers: { 'x-request-id': 'chart-problem' } },
    );
    expect(problem).toMatchObject({
      __typename: 'Problem',
      code: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9', display: 'Type 2 diabetes' },
      status: 'ACTIVE',
      onsetDate: '2021-03-04',
      encounter: { id: chart.encounter },
    });
    ids.problem = problem['id'] as string;
    expect(await auditOf('chart-problem')).toEqual([
      expect.objectContaining({ action: 'problem.record', entity_type: 'problem', entity_id: ids.problem, before_hash: null }),
    ]);
    const res = await platform.query<{ patient: { problems: Array<{ id: string; code: { code: string } }> } }>(
      `{ patient(id: "${chart.patient}") { problems { id code { code } } } }`,
    );
    expect(res.data?.patient.problems).toEqual([{ id: ids.problem, code: { code: 'E11.9' } }]);
  });

  test("takes a resolved episode of an active problem's code", async () => {
    expect(
      await run(PROBLEM, { patientId: chart.patient, code: 'E11.9', description: 'Earlier episode', status: 'RESOLVED' }),
    ).toMatchObject({ __typename: 'Problem', status: 'RESOLVED' });
  });

  test.each([
    ['a code without its letter', { code: '11.9' }, 'input.code'],
    ['a code too long after the dot', { code: 'E11.12345' }, 'input.code'],
    ['a code too short', { code: 'E1' }, 'input.code'],
    ['a code with a character outside the code set', { code: 'E11.9$' }, 'input.code'],
    ['a blank description', { description: ' ' }, 'input.description'],
    ['an onset date in the future', { onsetDate: '2999-01-01' }, 'input.onsetDate'],
    ['a malformed encounter id', { encounterId: '42' }, 'input.encounterId'],
  ])('with %s is a ValidationError naming %s and changes nothing', async (_case, change, field) => {
    const before = await counts();
    expect(await run(PROBLEM, { patientId: chart.patient, code: 'I10', description: 'Hypertension', ...change })).toMatchObject({
      __typename: 'ValidationError',
      errorCode: 'BAD_USER_INPUT',
      field,
    });
    expect(await counts()).toEqual(before);
  });

  test('refuses a code already active on the list as a CONFLICT that changes nothing', async () => {
    const before = await counts();
    expect(await run(PROBLEM, { patientId: chart.patient, code: 'E11.9', description: 'Diabetes again' })).toMatchObject({
      __typename: 'ConflictError',
      field: 'input.code',
    });
    expect(await counts()).toEqual(before);
  });
});

describe('prescribing', () => {
  test('writes a prescription with no alert when nothing conflicts, deriving nothing it does not know', async () => {
    const written = await run(PRESCRIBE, prescription(), { headers: { 'x-request-id': 'chart-prescribe' } });
    expect(written).toMatchObject({
      __typename: 'Prescription',
      drugName: 'Metformin',
      rxnormCode: '860975',
      drugClass: null,
      route: 'PO',
      quantity: 60,
      refills: 3,
      status: 'ACTIVE',
      overridden: false,
      prescriber: { id: chart.provider },
      encounter: { id: chart.encounter },
      alerts: [],
    });
    ids.metformin = written['id'] as string;
    expect(await auditOf('chart-prescribe')).toEqual([
      expect.objectContaining({ action: 'prescription.create', entity_type: 'prescription', entity_id: ids.metformin, before_hash: null }),
    ]);
  });

  test('refuses a drug in the class of a severe allergy without an override reason: a CONFLICT naming it, nothing written', async () => {
    const before = await counts();
    const refused = await run(
      PRESCRIBE,
      prescription({ patientId: chart.allergicPatient, encounterId: chart.allergicEncounter, drugName: 'Amoxicillin', rxnormCode: '723' }),
    );
    expect(refused).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.overrideReason',
      message: expect.stringContaining('penicillins class, like Penicillin'),
    });
    expect(await counts()).toEqual(before);
  });

  test('writes it with an override reason: alerts attached, the reason on the prescription and only its hash in the audit trail', async () => {
    const written = await run(
      PRESCRIBE,
      prescription({
        patientId: chart.allergicPatient,
        encounterId: chart.allergicEncounter,
        drugName: 'Amoxicillin',
        rxnormCode: '723',
        overrideReason: OVERRIDE,
      }),
      { headers: { 'x-request-id': 'chart-override' } },
    );
    expect(written).toMatchObject({ __typename: 'Prescription', drugClass: 'penicillins', overridden: true, overrideReason: OVERRIDE });
    ids.amoxicillin = written['id'] as string;
    expect(written['alerts']).toEqual([
      {
        kind: 'DRUG_ALLERGY',
        severity: 'CRITICAL',
        message: "Amoxicillin is in the penicillins class, like Penicillin, a severe allergy on the patient's chart",
        rule: 'drug-allergy.class',
        references: [
          { type: 'Allergy', id: ids.allergy },
          { type: 'Prescription', id: ids.amoxicillin },
        ],
      },
    ]);
    const audit = await auditOf('chart-override');
    expect(audit.map((r) => [r.action, r.entity_type, r.entity_id])).toEqual([
      ['prescription.create', 'prescription', ids.amoxicillin],
      ['prescription.override', 'prescription', ids.amoxicillin],
    ]);
    expect(audit[1]?.after_hash).toMatch(/^[0-9a-f]{64}$/);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from audit.event e where e::text like ${`%${OVERRIDE.slice(0, 30)}%`}`.execute(platform.owner.db);
    expect(rows[0]?.n).toBe(0);
  });

  test('writes a drug conflicting with a moderate allergy with a warning and no reason needed', async () => {
    const written = await run(
      PRESCRIBE,
      prescription({
        patientId: chart.nkdaPatient,
        encounterId: null,
        drugName: 'Sulfamethoxazole/trimethoprim',
        dose: '800/160 mg',
        quantity: 20,
        refills: 0,
      }),
    );
    expect(written).toMatchObject({
      __typename: 'Prescription',
      drugClass: 'sulfonamides',
      overridden: false,
      overrideReason: null,
      encounter: null,
    });
    expect(written['alerts']).toEqual([
      expect.objectContaining({ kind: 'DRUG_ALLERGY', severity: 'WARNING', rule: 'drug-allergy.substance' }),
    ]);
  });

  test.each([
    ['a quantity below 1', { quantity: 0 }, 'ValidationError', 'input.quantity'],
    ['more than 11 refills', { refills: 12 }, 'ValidationError', 'input.refills'],
    ['negative refills', { refills: -1 }, 'ValidationError', 'input.refills'],
    ['an RxNorm code with letters', { rxnormCode: 'RX723' }, 'ValidationError', 'input.rxnormCode'],
    ['an RxNorm code of 9 digits', { rxnormCode: '123456789' }, 'ValidationError', 'input.rxnormCode'],
    ['a blank drug name', { drugName: ' ' }, 'ValidationError', 'input.drugName'],
    ['a blank dose', { dose: '' }, 'ValidationError', 'input.dose'],
    ['a malformed prescriber id', { prescriberId: 'dr-house' }, 'ValidationError', 'input.prescriberId'],
    ['a malformed patient id', { patientId: 'nobody' }, 'ValidationError', 'input.patientId'],
    ['a malformed encounter id', { encounterId: 'x' }, 'ValidationError', 'input.encounterId'],
    ['an encounter the PMS does not know', { encounterId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.encounterId'],
    ["another patient's encounter", { encounterId: 'OTHER' }, 'ValidationError', 'input.encounterId'],
    ['a one-word override reason', { overrideReason: 'ok' }, 'ValidationError', 'input.overrideReason'],
  ])('with %s is refused with the field at fault and changes nothing', async (_case, change, typename, field) => {
    const before = await counts();
    const input = prescription(change);
    if (input.encounterId === 'OTHER') input.encounterId = chart.otherEncounter;
    expect(await run(PRESCRIBE, input)).toMatchObject({ __typename: typename, field });
    expect(await counts()).toEqual(before);
  });
});

describe('the medication list', () => {
  test("shows the active medications on the patient and the encounter's prescriptions on the encounter", async () => {
    const res = await platform.query<{
      patient: { medications: Array<{ id: string }> };
      encounter: { medications: Array<{ id: string }> };
    }>(
      `{ patient(id: "${chart.allergicPatient}") { medications { id } } encounter(id: "${chart.allergicEncounter}") { medications { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      patient: { medications: [{ id: ids.amoxicillin }] },
      encounter: { medications: [{ id: ids.amoxicillin }] },
    });
  });

  test('stops a medication, audited: it leaves the active list and stays on the chart', async () => {
    const stopped = await run(STOP, { id: ids.metformin }, { headers: { 'x-request-id': 'chart-stop' } });
    expect(stopped).toMatchObject({ __typename: 'Prescription', status: 'STOPPED', stoppedAt: expect.any(String) });
    const res = await platform.query<{
      patient: { active: unknown[]; all: Array<{ id: string; status: string }>; stopped: Array<{ id: string }> };
    }>(
      `{ patient(id: "${chart.patient}") { active: medications { id } all: medications(status: null) { id status } stopped: medications(status: STOPPED) { id } } }`,
    );
    expect(res.data?.patient).toEqual({ active: [], all: [{ id: ids.metformin, status: 'STOPPED' }], stopped: [{ id: ids.metformin }] });
    expect(await auditOf('chart-stop')).toEqual([
      expect.objectContaining({
        action: 'prescription.stop',
        entity_id: ids.metformin,
        before_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        after_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
  });

  test.each([
    ['stopping it again', 'ConflictError', () => ids.metformin],
    ['an unknown prescription', 'NotFoundError', () => '00000000-0000-4000-8000-000000000000'],
  ])('%s is a %s naming input.id', async (_case, typename, id) => {
    const before = await counts();
    expect(await run(STOP, { id: id() })).toMatchObject({ __typename: typename, field: 'input.id' });
    expect(await counts()).toEqual(before);
  });
});

describe('who may change the chart', () => {
  const attempts: ReadonlyArray<readonly [string, string, () => Record<string, unknown>, string]> = [
    ['recordAllergy', ALLERGY, () => ({ patientId: chart.patient, substance: 'Codeine' }), 'allergy.record'],
    ['recordNoKnownDrugAllergies', NKDA, () => ({ patientId: chart.patient }), 'allergy_status.record'],
    ['recordProblem', PROBLEM, () => ({ patientId: chart.patient, code: 'I10', description: 'Hypertension' }), 'problem.record'],
    ['prescribe', PRESCRIBE, () => prescription({ drugName: 'Lisinopril' }), 'prescription.create'],
    ['stopMedication', STOP, () => ({ id: ids.amoxicillin }), 'prescription.stop'],
  ];
  const callers = [
    ['the front desk', { role: 'front_desk' as const }],
    ['a biller', { role: 'biller' as const }],
    ['the patient', { role: 'patient' as const, patient: 'SELF' }],
  ] as const;

  test.each(
    callers.flatMap(([who, as]) => attempts.map(([name, mutation, input, action]) => [name, who, as, mutation, input, action] as const)),
  )('%s by %s is FORBIDDEN, audited as denied, and changes nothing', async (name, _who, as, mutation, input, action) => {
    const caller = 'patient' in as ? { ...as, patient: name === 'stopMedication' ? chart.allergicPatient : chart.patient } : as;
    const requestId = `chart-denied-${name}-${caller.role}`;
    const before = await counts();
    expect(await run(mutation, input(), { as: caller, headers: { 'x-request-id': requestId } })).toMatchObject({
      __typename: 'ForbiddenError',
      field: null,
    });
    expect(await counts()).toEqual(before);
    expect((await auditOf(requestId)).map((r) => [r.action, r.outcome])).toEqual([[action, 'denied']]);
  });

  test('a biller gets FORBIDDEN for the medications, problems and allergy status, which are clinical, and the rest answers', async () => {
    const res = await platform.query<{
      patient: { name: { family: string }; medications: unknown; problems: unknown; allergyStatus: unknown } | null;
    }>(
      `{ patient(id: "${chart.allergicPatient}") { name { family } medications { id } problems { id } allergyStatus { status } } }`,
      {},
      { as: { role: 'biller' } },
    );
    expect(res.data?.patient).toEqual({ name: { family: expect.any(String) }, medications: null, problems: null, allergyStatus: null });
    expect(res.errors?.map((e) => [e.path?.at(-1), e.extensions?.['code']]).sort()).toEqual([
      ['allergyStatus', 'FORBIDDEN'],
      ['medications', 'FORBIDDEN'],
      ['problems', 'FORBIDDEN'],
    ]);
  });

  test("a partner sees the chart of a patient who consented to share clinical data, through the PMS's consent", async () => {
    await run(PRESCRIBE, prescription({ patientId: chart.partnerPatient, encounterId: null, drugName: 'Atorvastatin' }));
    const read = `{ patient(id: "${chart.partnerPatient}") { medications { drugName drugClass alerts { kind } } problems { id } allergyStatus { status } } }`;
    const partner = { role: 'partner' as const, partner: 'acme-labs' };
    expect((await platform.query(read, {}, { as: partner })).data).toEqual({ patient: null });
    const consent = await platform.query<{ recordConsent: { __typename: string } }>(
      'mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { __typename } }',
      {
        input: {
          patientId: chart.partnerPatient,
          partnerId: 'acme-labs',
          dataClasses: ['CLINICAL'],
          validFrom: new Date().toISOString().slice(0, 10),
        },
      },
      { as: { role: 'front_desk' } },
    );
    expect(consent.data?.recordConsent.__typename).toBe('Consent');
    const res = await platform.query(read, {}, { as: partner });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      patient: {
        medications: [{ drugName: 'Atorvastatin', drugClass: 'statins', alerts: [] }],
        problems: [],
        allergyStatus: { status: 'UNKNOWN' },
      },
    });
  });
});

test('lists 50 patients with their whole chart in as many SQL statements as 5', async () => {
  const query = `query ($first: Int) { patients(first: $first) { edges { node { id
    allergies { substance } allergyStatus { status } problems { code { code } } medications { drugName alerts { kind } } } } } }`;
  const statementsFor = (first: number) =>
    statementsDuring(platform, async () => {
      const res = await platform.query<{ patients: { edges: unknown[] } }>(query, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data!.patients.edges.length).toBeGreaterThan(0);
    });
  const forFive = await statementsFor(5);
  // One page query in the PMS; in the EHR one each for allergies, allergy statements, problems and prescriptions.
  expect(forFive).toBe(5);
  expect(await statementsFor(50)).toBe(forFive);
});
