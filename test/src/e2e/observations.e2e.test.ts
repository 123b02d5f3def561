import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditRecords } from '../support/audit.js';
import { mutationsOn } from '../support/mutations.js';
import { statementsDuring } from '../support/statements.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Immunizations, vital signs, lab orders and results through the gateway, and the alerts decision
// support raises from them (with the PMS's birth date and sex, by @requires). Every change is
// validated (a bad input answers its error type and field, and changes nothing), limited to
// clinicians and nurses, and audited in its transaction.

let platform: TestPlatform;
/** A woman of 55 with an encounter (every preventive rule applies to her), another patient's encounter, a cancelled one of hers. */
const fixture = { patient: '', encounter: '', provider: '', otherEncounter: '', cancelledEncounter: '' };
const ids = { order: '', glucoseOrder: '', potassium: '' };
const today = new Date().toISOString().slice(0, 10);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const VITALS_FIELDS = `id takenAt encounter { id } bloodPressure { systolic diastolic unit } heartRate { value unit }
  temperature { value unit } fahrenheit: temperature(unit: FAH) { value unit } weight { value unit } pounds: weight(unit: LB) { value unit }
  height { value unit } inches: height(unit: IN) { value unit } bmi { value unit }`;
const RECORD_VITALS = `mutation ($input: RecordVitalsInput!) { recordVitals(input: $input) {
  __typename ... on VitalSigns { ${VITALS_FIELDS} } ... on Error { message code field } } }`;
const RECORD_IMMUNIZATION = `mutation ($input: RecordImmunizationInput!) { recordImmunization(input: $input) {
  __typename ... on Immunization { id code { system code display } vaccineName administeredOn lotNumber site performer { id } encounter { id } }
  ... on Error { message errorCode: code field } } }`;
const ORDER_LAB = `mutation ($input: OrderLabInput!) { orderLab(input: $input) {
  __typename ... on LabOrder { id code { system code display } testName status encounter { id } orderingProvider { id } }
  ... on Error { message errorCode: code field } } }`;
const RECORD_RESULT = `mutation ($input: RecordLabResultInput!) { recordLabResult(input: $input) {
  __typename ... on LabResult { id code { code } numericValue textValue unit referenceRange { low high } criticalRange { low high } flag critical order { id status } }
  ... on Error { message errorCode: code field } } }`;
const ALERTS = (id: string) => `{ patient(id: "${id}") { id alerts { kind severity message rule references { type id } } } }`;

interface Alert {
  kind: string;
  severity: string;
  message: string;
  rule: string;
  references: Array<{ type: string; id: string }>;
}

const run = mutationsOn(() => platform);

async function counts(): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*) from ehr.immunization)::int as immunizations, (select count(*) from ehr.vital_signs)::int as vitals,
           (select count(*) from ehr.lab_order)::int as orders, (select count(*) from ehr.lab_result)::int as results`.execute(
    platform.owner.db,
  );
  return rows[0]!;
}

/** The EHR's records of a tagged request, but its accesses to the patient and refusals of them. */
const auditOf = (requestId: string) =>
  auditRecords(
    platform,
    { tag: requestId },
    {
      chain: 'ehr',
      actions: { except: ['patient.access', 'access.denied'] },
      columns: ['action', 'outcome', 'entity_id', 'before_hash', 'after_hash', 'patient_id'],
    },
  );

async function alertsOf(patientId: string): Promise<Alert[]> {
  const res = await platform.query<{ patient: { alerts: Alert[] } }>(ALERTS(patientId));
  expect(res.errors).toBeUndefined();
  return res.data!.patient.alerts;
}

const HASH = expect.stringMatching(/^[0-9a-f]{64}$/);
const vitals = (over: Record<string, unknown> = {}) => ({ patientId: fixture.patient, encounterId: fixture.encounter, ...over });
const immunization = (over: Record<string, unknown> = {}) => ({
  patientId: fixture.patient,
  encounterId: fixture.encounter,
  cvxCode: '150',
  vaccineName: 'Influenza, injectable, quadrivalent, preservative free',
  administeredOn: today,
  lotNumber: 'FL2026A',
  site: 'left deltoid',
  performerId: fixture.provider,
  ...over,
});
const labOrder = (over: Record<string, unknown> = {}) => ({
  patientId: fixture.patient,
  encounterId: fixture.encounter,
  orderingProviderId: fixture.provider,
  loincCode: '2823-3',
  testName: 'Potassium [Moles/volume] in Serum or Plasma',
  ...over,
});

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 60, seed: 23 });
  const { rows } = await sql<{ patient_id: string; encounter_id: string; provider_id: string }>`
    select e.patient_id, e.id as encounter_id, e.provider_id from pms.encounter e
     where e.status <> 'cancelled'
       and not exists (select 1 from ehr.allergy a where a.patient_id = e.patient_id)
       and not exists (select 1 from pms.consent c where c.patient_id = e.patient_id)
     order by e.patient_id, e.id limit 1`.execute(platform.owner.db);
  const chosen = rows[0];
  if (!chosen) throw new Error('the seed has no patient with an encounter and no allergy');
  Object.assign(fixture, { patient: chosen.patient_id, encounter: chosen.encounter_id, provider: chosen.provider_id });
  // Every preventive rule applies to a woman of 55: the registration is set so, as the owner.
  await sql`update pms.patient set sex = 'female', birth_date = (current_date - interval '55 years')::date where id = ${fixture.patient}`.execute(
    platform.owner.db,
  );
  const other = await sql<{ id: string }>`select id from pms.encounter where patient_id <> ${fixture.patient} order by id limit 1`.execute(
    platform.owner.db,
  );
  fixture.otherEncounter = other.rows[0]!.id;
  const cancelled = await sql<{ id: string }>`
    insert into pms.encounter (patient_id, provider_id, service_date, status) values (${fixture.patient}, ${fixture.provider}, ${today}, 'cancelled') returning id`.execute(
    platform.owner.db,
  );
  fixture.cancelledEncounter = cancelled.rows[0]!.id;
});

afterAll(async () => {
  await platform?.stop();
});

describe('alerts before anything is recorded', () => {
  test('show the preventive care due for her age and sex, with the PMS birth date and sex reaching the EHR through the gateway', async () => {
    const alerts = await alertsOf(fixture.patient);
    const rules = alerts.map((a) => a.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'preventive-care.colorectal-cancer-screening',
        'preventive-care.cervical-cancer-screening',
        'preventive-care.blood-pressure-screening',
      ]),
    );
    // Influenza reminders pause in July and August (rules/preventive-care.ts).
    expect(rules.includes('preventive-care.influenza-vaccine')).toBe(!['07', '08'].includes(today.slice(5, 7)));
    for (const alert of alerts) expect(alert).toMatchObject({ kind: 'PREVENTIVE_CARE', severity: 'INFO', references: [] });
    expect(alerts.find((a) => a.rule === 'preventive-care.colorectal-cancer-screening')?.message).toContain('(USPSTF 2021)');
  });

  test('are null with FORBIDDEN for a biller, whose other fields of the patient still answer', async () => {
    const res = await platform.query<{ patient: { sex: string; alerts: unknown } }>(
      `{ patient(id: "${fixture.patient}") { sex alerts { kind } } }`,
      {},
      { as: { role: 'biller' } },
    );
    expect(res.data?.patient).toEqual({ sex: 'FEMALE', alerts: null });
    expect(res.errors?.map((e) => [e.path?.join('.'), e.extensions?.['code']])).toEqual([['patient.alerts', 'FORBIDDEN']]);
  });
});

describe('vital signs', () => {
  test('are recorded by a nurse in the units given, stored in Celsius, kilograms and centimetres, with the BMI derived, and audited', async () => {
    const written = await run(
      RECORD_VITALS,
      vitals({
        systolic: 128,
        diastolic: 82,
        heartRate: 72,
        temperature: 98.6,
        temperatureUnit: 'FAH',
        weight: 154,
        weightUnit: 'LB',
        height: 65,
        heightUnit: 'IN',
      }),
      { as: { role: 'nurse' }, headers: { 'x-request-id': 'vitals-record' } },
    );
    expect(written).toMatchObject({
      __typename: 'VitalSigns',
      encounter: { id: fixture.encounter },
      bloodPressure: { systolic: 128, diastolic: 82, unit: 'mm[Hg]' },
      heartRate: { value: 72, unit: '/min' },
      temperature: { value: 37, unit: 'Cel' },
      fahrenheit: { value: 98.6, unit: '[degF]' },
      weight: { value: 69.85, unit: 'kg' },
      pounds: { value: 154, unit: '[lb_av]' },
      height: { value: 165.1, unit: 'cm' },
      inches: { value: 65, unit: '[in_i]' },
      bmi: { value: 25.6, unit: 'kg/m2' },
    });
    const row = await platform.ehrDatabase.db
      .selectFrom('ehr.vital_signs')
      .selectAll()
      .where('id', '=', written['id'] as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      patient_id: fixture.patient,
      temperature_cel: '37.00',
      weight_kg: '69.85',
      height_cm: '165.1',
      bmi: '25.6',
    });
    expect(await auditOf('vitals-record')).toEqual([
      {
        action: 'vitals.record',
        outcome: 'success',
        entity_id: written['id'],
        before_hash: null,
        after_hash: HASH,
        patient_id: fixture.patient,
      },
    ]);
  });

  test('derive the BMI from the latest height when only a weight is taken', async () => {
    const written = await run(RECORD_VITALS, vitals({ encounterId: null, weight: 72.5, weightUnit: 'KG' }));
    expect(written).toMatchObject({
      __typename: 'VitalSigns',
      encounter: null,
      weight: { value: 72.5, unit: 'kg' },
      height: null,
      bmi: { value: 26.6, unit: 'kg/m2' },
      bloodPressure: null,
    });
  });

  test('list newest first with cursor pages, the last set, and those of the encounter', async () => {
    const first = await platform.query<{
      patient: {
        lastVitals: { weight: { value: number } };
        vitals: { edges: Array<{ node: { weight: { value: number } } }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
      };
    }>(
      `{ patient(id: "${fixture.patient}") { lastVitals { weight { value } } vitals(first: 1) { edges { node { weight { value } } } pageInfo { hasNextPage endCursor } } } }`,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data?.patient.lastVitals.weight.value).toBe(72.5);
    expect(first.data?.patient.vitals.edges.map((e) => e.node.weight.value)).toEqual([72.5]);
    expect(first.data?.patient.vitals.pageInfo.hasNextPage).toBe(true);
    const second = await platform.query<{
      patient: { vitals: { edges: Array<{ node: { weight: { value: number } } }>; pageInfo: { hasNextPage: boolean } } };
    }>(
      `query ($after: String) { patient(id: "${fixture.patient}") { vitals(first: 5, after: $after) { edges { node { weight { value } } } pageInfo { hasNextPage } } } }`,
      { after: first.data?.patient.vitals.pageInfo.endCursor },
    );
    expect(second.data?.patient.vitals).toEqual({ edges: [{ node: { weight: { value: 69.85 } } }], pageInfo: { hasNextPage: false } });
    const encounter = await platform.query<{ encounter: { vitals: Array<{ heartRate: { value: number } }> } }>(
      `{ encounter(id: "${fixture.encounter}") { vitals { heartRate { value } } } }`,
    );
    expect(encounter.data?.encounter.vitals).toEqual([{ heartRate: { value: 72 } }]);
  });

  test.each([
    ['an implausible systolic pressure', { systolic: 400, diastolic: 80 }, 'ValidationError', 'input.systolic'],
    ['a diastolic not below the systolic', { systolic: 120, diastolic: 125 }, 'ValidationError', 'input.diastolic'],
    ['a systolic without its diastolic', { systolic: 120 }, 'ValidationError', 'input.diastolic'],
    ['an implausible heart rate', { heartRate: 8 }, 'ValidationError', 'input.heartRate'],
    ['a Fahrenheit reading sent as Celsius', { temperature: 98.6, temperatureUnit: 'CEL' }, 'ValidationError', 'input.temperature'],
    ['a temperature without its unit', { temperature: 37.2 }, 'ValidationError', 'input.temperatureUnit'],
    ['a weight without its unit', { weight: 70 }, 'ValidationError', 'input.weightUnit'],
    ['a height without its unit', { height: 170 }, 'ValidationError', 'input.heightUnit'],
    ['an implausible height', { height: 600, heightUnit: 'CM' }, 'ValidationError', 'input.height'],
    ['no measurement', {}, 'ValidationError', 'input'],
    ['a time in the future', { heartRate: 70, takenAt: '2999-01-01T00:00:00Z' }, 'ValidationError', 'input.takenAt'],
    ['a malformed patient id', { heartRate: 70, patientId: 'nobody' }, 'ValidationError', 'input.patientId'],
    ['an encounter the PMS does not know', { heartRate: 70, encounterId: UNKNOWN_ID }, 'NotFoundError', 'input.encounterId'],
    ["another patient's encounter", { heartRate: 70, encounterId: 'OTHER' }, 'ValidationError', 'input.encounterId'],
  ])('with %s are refused with the field at fault and change nothing', async (_case, change, typename, field) => {
    const before = await counts();
    const input = vitals(change);
    if (input.encounterId === 'OTHER') input.encounterId = fixture.otherEncounter;
    const outcome = await run(RECORD_VITALS, input);
    expect(outcome).toMatchObject({ __typename: typename, field });
    expect(await counts()).toEqual(before);
  });

  test.each(['biller', 'front_desk'] as const)('recorded by a %s are FORBIDDEN, audited as denied, and change nothing', async (role) => {
    const before = await counts();
    const requestId = `vitals-denied-${role}`;
    const outcome = await run(RECORD_VITALS, vitals({ heartRate: 70 }), { as: { role }, headers: { 'x-request-id': requestId } });
    expect(outcome).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await counts()).toEqual(before);
    expect(await auditOf(requestId)).toEqual([
      expect.objectContaining({ action: 'vitals.record', outcome: 'denied', patient_id: fixture.patient }),
    ]);
  });
});

describe('immunizations', () => {
  test('are recorded with their CVX code, lot, site and performer, listed on the patient, and audited', async () => {
    const written = await run(RECORD_IMMUNIZATION, immunization(), { headers: { 'x-request-id': 'immunization-record' } });
    expect(written).toMatchObject({
      __typename: 'Immunization',
      code: { system: 'http://hl7.org/fhir/sid/cvx', code: '150', display: 'Influenza, injectable, quadrivalent, preservative free' },
      administeredOn: today,
      lotNumber: 'FL2026A',
      site: 'left deltoid',
      performer: { id: fixture.provider },
      encounter: { id: fixture.encounter },
    });
    const listed = await platform.query<{ patient: { immunizations: Array<{ id: string }> } }>(
      `{ patient(id: "${fixture.patient}") { immunizations { id } } }`,
    );
    expect(listed.data?.patient.immunizations).toEqual([{ id: written['id'] }]);
    expect(await auditOf('immunization-record')).toEqual([
      {
        action: 'immunization.record',
        outcome: 'success',
        entity_id: written['id'],
        before_hash: null,
        after_hash: HASH,
        patient_id: fixture.patient,
      },
    ]);
  });

  test.each([
    ['a four-digit CVX code', { cvxCode: '1234' }, 'ValidationError', 'input.cvxCode'],
    ['a CVX code with letters', { cvxCode: 'FLU' }, 'ValidationError', 'input.cvxCode'],
    ['an empty vaccine name', { vaccineName: '  ' }, 'ValidationError', 'input.vaccineName'],
    ['a date in the future', { administeredOn: '2999-01-01' }, 'ValidationError', 'input.administeredOn'],
    ['a malformed performer id', { performerId: 'nurse-joy' }, 'ValidationError', 'input.performerId'],
    ['an encounter the PMS does not know', { encounterId: UNKNOWN_ID }, 'NotFoundError', 'input.encounterId'],
  ])('with %s are refused with the field at fault and change nothing', async (_case, change, typename, field) => {
    const before = await counts();
    expect(await run(RECORD_IMMUNIZATION, immunization(change))).toMatchObject({ __typename: typename, field });
    expect(await counts()).toEqual(before);
  });
});

describe('lab orders and results', () => {
  test('an order is placed for an encounter with a LOINC code, and audited', async () => {
    const order = await run(ORDER_LAB, labOrder(), { headers: { 'x-request-id': 'lab-order' } });
    expect(order).toMatchObject({
      __typename: 'LabOrder',
      code: { system: 'http://loinc.org', code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' },
      status: 'ORDERED',
      encounter: { id: fixture.encounter },
      orderingProvider: { id: fixture.provider },
    });
    ids.order = order['id'] as string;
    expect(await auditOf('lab-order')).toEqual([
      { action: 'lab.order', outcome: 'success', entity_id: ids.order, before_hash: null, after_hash: HASH, patient_id: fixture.patient },
    ]);
  });

  test.each([
    ['a malformed LOINC code', { loincCode: '2823' }, 'ValidationError', 'input.loincCode'],
    ['a LOINC code with a wrong check digit', { loincCode: '2823-4' }, 'ValidationError', 'input.loincCode'],
    ['no test name', { testName: '' }, 'ValidationError', 'input.testName'],
    ['a malformed ordering provider', { orderingProviderId: 'dr' }, 'ValidationError', 'input.orderingProviderId'],
    ['an encounter the PMS does not know', { encounterId: UNKNOWN_ID }, 'NotFoundError', 'input.encounterId'],
    ['a cancelled encounter', { encounterId: 'CANCELLED' }, 'ConflictError', 'input.encounterId'],
  ])('an order with %s is refused with the field at fault and changes nothing', async (_case, change, typename, field) => {
    const before = await counts();
    const input = labOrder(change);
    if (input.encounterId === 'CANCELLED') input.encounterId = fixture.cancelledEncounter;
    expect(await run(ORDER_LAB, input)).toMatchObject({ __typename: typename, field });
    expect(await counts()).toEqual(before);
  });

  test('a result beyond its critical limit is flagged HH and critical, marks the order resulted, and is audited with the order change', async () => {
    const result = await run(
      RECORD_RESULT,
      { orderId: ids.order, numericValue: 6.8, unit: 'mmol/L', referenceLow: 3.5, referenceHigh: 5.1, criticalLow: 2.8, criticalHigh: 6.2 },
      { headers: { 'x-request-id': 'lab-result' } },
    );
    expect(result).toMatchObject({
      __typename: 'LabResult',
      code: { code: '2823-3' },
      numericValue: 6.8,
      unit: 'mmol/L',
      referenceRange: { low: 3.5, high: 5.1 },
      criticalRange: { low: 2.8, high: 6.2 },
      flag: 'HH',
      critical: true,
      order: { id: ids.order, status: 'RESULTED' },
    });
    ids.potassium = result['id'] as string;
    expect(await auditOf('lab-result')).toEqual([
      {
        action: 'lab.result.record',
        outcome: 'success',
        entity_id: ids.potassium,
        before_hash: null,
        after_hash: HASH,
        patient_id: fixture.patient,
      },
      {
        action: 'lab.order.resulted',
        outcome: 'success',
        entity_id: ids.order,
        before_hash: HASH,
        after_hash: HASH,
        patient_id: fixture.patient,
      },
    ]);
  });

  test('results are flagged from their range when the laboratory did not, or take its flag; a text result needs none', async () => {
    const glucose = await run(ORDER_LAB, labOrder({ loincCode: '2345-7', testName: 'Glucose [Mass/volume] in Serum or Plasma' }));
    ids.glucoseOrder = glucose['id'] as string;
    expect(
      await run(RECORD_RESULT, { orderId: ids.glucoseOrder, numericValue: 142, unit: 'mg/dL', referenceLow: 70, referenceHigh: 99 }),
    ).toMatchObject({ flag: 'H', critical: false });
    expect(await run(RECORD_RESULT, { orderId: ids.glucoseOrder, textValue: 'Hemolyzed specimen', flag: 'A' })).toMatchObject({
      flag: 'A',
      critical: false,
      numericValue: null,
      textValue: 'Hemolyzed specimen',
    });
    const encounter = await platform.query<{
      encounter: { labOrders: Array<{ code: { code: string }; results: Array<{ flag: string | null }> }> };
    }>(`{ encounter(id: "${fixture.encounter}") { labOrders { code { code } results { flag } } } }`);
    expect(encounter.data?.encounter.labOrders).toEqual([
      { code: { code: '2823-3' }, results: [{ flag: 'HH' }] },
      { code: { code: '2345-7' }, results: [{ flag: 'H' }, { flag: 'A' }] },
    ]);
    const listed = await platform.query<{ patient: { labResults: { edges: Array<{ node: { flag: string } }> } } }>(
      `{ patient(id: "${fixture.patient}") { labResults(first: 10) { edges { node { flag } } } } }`,
    );
    expect(listed.data?.patient.labResults.edges.map((e) => e.node.flag)).toEqual(['A', 'H', 'HH']);
  });

  test.each([
    ['an unknown order', { orderId: UNKNOWN_ID }, 'NotFoundError', 'input.orderId'],
    ['a numeric value without its unit', { unit: null }, 'ValidationError', 'input.unit'],
    ['both a number and a text', { textValue: 'high' }, 'ValidationError', 'input.numericValue'],
    ['a reference range upside down', { referenceLow: 5.1, referenceHigh: 3.5 }, 'ValidationError', 'input.referenceHigh'],
    ['a malformed LOINC code', { loincCode: '2823-33' }, 'ValidationError', 'input.loincCode'],
    ['a critical value said not critical', { numericValue: 1.9, criticalLow: 2.8, critical: false }, 'ValidationError', 'input.critical'],
  ])('a result with %s is refused with the field at fault and changes nothing', async (_case, change, typename, field) => {
    const before = await counts();
    const input = { orderId: ids.order, numericValue: 4.2, unit: 'mmol/L', referenceLow: 3.5, referenceHigh: 5.1, ...change };
    expect(await run(RECORD_RESULT, input)).toMatchObject({ __typename: typename, field });
    expect(await counts()).toEqual(before);
  });
});

describe('changes by roles that do not treat', () => {
  test.each([
    [
      'an immunization',
      'immunization.record',
      () => run(RECORD_IMMUNIZATION, immunization(), { as: { role: 'front_desk' }, headers: { 'x-request-id': 'denied-immunization' } }),
      'denied-immunization',
    ],
    [
      'a lab order',
      'lab.order',
      () => run(ORDER_LAB, labOrder(), { as: { role: 'biller' }, headers: { 'x-request-id': 'denied-order' } }),
      'denied-order',
    ],
    [
      'a lab result',
      'lab.result.record',
      () =>
        run(
          RECORD_RESULT,
          { orderId: ids.order, textValue: 'Normal' },
          { as: { role: 'biller' }, headers: { 'x-request-id': 'denied-result' } },
        ),
      'denied-result',
    ],
  ] as const)('%s is FORBIDDEN, audited as denied against the patient, and changes nothing', async (_case, action, attempt, requestId) => {
    const before = await counts();
    expect(await attempt()).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await counts()).toEqual(before);
    expect(await auditOf(requestId)).toEqual([expect.objectContaining({ action, outcome: 'denied', patient_id: fixture.patient })]);
  });
});

describe('alerts once the chart has data', () => {
  test('raise the critical and abnormal results first, and drop what the recorded care satisfies', async () => {
    const alerts = await alertsOf(fixture.patient);
    expect(alerts[0]).toEqual({
      kind: 'CRITICAL_RESULT',
      severity: 'CRITICAL',
      message: expect.stringMatching(
        /^Critical result: Potassium \[Moles\/volume\] in Serum or Plasma \(LOINC 2823-3\) 6\.8 mmol\/L \(HH\) on \d{4}-\d{2}-\d{2}$/,
      ),
      rule: 'lab-result.critical',
      references: [{ type: 'LabResult', id: ids.potassium }],
    });
    // The glucose order's latest result is the text one, flagged A: abnormal.
    expect(alerts[1]).toMatchObject({ kind: 'ABNORMAL_RESULT', severity: 'WARNING', rule: 'lab-result.abnormal' });
    const rules = alerts.map((a) => a.rule);
    // A blood pressure was taken and a flu shot given today.
    expect(rules).not.toContain('preventive-care.blood-pressure-screening');
    expect(rules).not.toContain('preventive-care.influenza-vaccine');
    expect(rules).toContain('preventive-care.colorectal-cancer-screening');
  });

  test('drop colorectal screening once a FIT result is on file', async () => {
    const fit = await run(
      ORDER_LAB,
      labOrder({ loincCode: '29771-3', testName: 'Hemoglobin.gastrointestinal [Presence] in Stool by Immunoassay' }),
    );
    expect(await run(RECORD_RESULT, { orderId: fit['id'], textValue: 'Negative', flag: 'N' })).toMatchObject({ __typename: 'LabResult' });
    expect((await alertsOf(fixture.patient)).map((a) => a.rule)).not.toContain('preventive-care.colorectal-cancer-screening');
  });

  test('include drug-allergy conflicts of her active prescriptions', async () => {
    await run(`mutation ($input: RecordAllergyInput!) { recordAllergy(input: $input) { __typename } }`, {
      patientId: fixture.patient,
      substance: 'Penicillin',
      severity: 'MODERATE',
    });
    const prescribed = await run(
      `mutation ($input: PrescribeInput!) { prescribe(input: $input) { __typename ... on Prescription { id } } }`,
      {
        patientId: fixture.patient,
        encounterId: fixture.encounter,
        drugName: 'Amoxicillin',
        dose: '500 mg',
        route: 'PO',
        frequency: 'three times a day',
        quantity: 21,
        refills: 0,
        prescriberId: fixture.provider,
      },
    );
    expect(prescribed).toMatchObject({ __typename: 'Prescription' });
    const drug = (await alertsOf(fixture.patient)).filter((a) => a.kind === 'DRUG_ALLERGY');
    expect(drug).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        rule: 'drug-allergy.class',
        references: expect.arrayContaining([{ type: 'Prescription', id: prescribed['id'] }]),
      }),
    ]);
  });
});

describe('batched reads', () => {
  test('listing 20 patients with their observations and alerts costs as many SQL statements as 5', async () => {
    const query = `query ($first: Int) { patients(first: $first) { edges { node { id immunizations { id } lastVitals { id } vitals(first: 2) { edges { node { id } } }
      labResults(first: 2) { edges { node { id } } } alerts { kind } } } } }`;
    const statementsFor = (first: number) =>
      statementsDuring(platform, async () => {
        const res = await platform.query<{ patients: { edges: unknown[] } }>(query, { first });
        expect(res.errors).toBeUndefined();
        expect(res.data!.patients.edges).toHaveLength(first);
      });
    const forFive = await statementsFor(5);
    expect(await statementsFor(20)).toBe(forFive);
  });
});
