import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mutateOn } from '../support/mutations.js';
import { startTestPlatformRelayingByHand, type QueryOptions, type TestPlatform } from '../support/test-platform.js';

// The headline promise, end to end through the gateway over HTTP and nothing else: the front desk
// registers a patient, records the insurance, books and checks in; the clinician documents and signs;
// charge capture builds the claim by itself; a biller walks from the encounter to the claim lines and
// their supporting note in one query, submits, posts the payer's remittance with a denied line, and
// reads the balances to the cent.

let platform: TestPlatform;
const FRONT_DESK = { as: { role: 'front_desk' as const } };
const FRONT_DESK_PAYMENT = { as: { role: 'front_desk' as const, purpose: 'PAYMENT' as const } };
const CLINICIAN = { as: { role: 'clinician' as const } };
const BILLER = { as: { role: 'biller' as const } };

type Outcome = { __typename: string; [key: string]: unknown };
async function mutate(mutation: string, input: Record<string, unknown>, as: QueryOptions): Promise<Outcome> {
  const outcome = await mutateOn(platform, mutation, input, as);
  expect(outcome['code'] ?? outcome['errorCode']).toBeUndefined();
  return outcome;
}
async function read<T>(query: string, variables: Record<string, unknown>, as: Parameters<TestPlatform['query']>[2]): Promise<T> {
  const res = await platform.query<T>(query, variables, as);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const ERR = '... on Error { message code field }';

beforeAll(async () => {
  platform = await startTestPlatformRelayingByHand({ patients: 10, seed: 97 });
});

afterAll(async () => {
  await platform?.stop();
});

test('register, book, check in, document and sign, capture, walk, submit, remit with a denial, and balance', async () => {
  // Front desk: a new patient and their insurance.
  const patient = await mutate(
    `mutation ($input: RegisterPatientInput!) { registerPatient(input: $input) { __typename ... on Patient { id mrn } ${ERR} } }`,
    {
      name: { given: ['Ada', 'Marie'], family: 'Headline' },
      birthDate: '1968-04-02',
      sex: 'FEMALE',
    },
    FRONT_DESK,
  );
  expect(patient).toMatchObject({ __typename: 'Patient' });
  const { payers } = await read<{ payers: Array<{ id: string }> }>(`{ payers { id } }`, {}, FRONT_DESK);
  const payerId = payers[0]!.id;
  await mutate(
    `mutation ($input: AddCoverageInput!) { addCoverage(input: $input) { __typename ... on Coverage { id } ${ERR} } }`,
    {
      patientId: patient['id'],
      payerId,
      rank: 'PRIMARY',
      memberId: 'HL-2026-0001',
      effectiveFrom: '2024-01-01',
      copay: '25.00',
    },
    FRONT_DESK,
  );

  // A free slot on a weekday a week or so ahead, at the seeded clinic.
  const { providers, locations } = await read<{ providers: { edges: Array<{ node: { id: string } }> }; locations: Array<{ id: string }> }>(
    `{ providers(first: 1) { edges { node { id } } } locations { id } }`,
    {},
    FRONT_DESK,
  );
  const providerId = providers.edges[0]!.node.id;
  const { rows } = await sql<{ day: string }>`
    select d::date::text as day from generate_series(current_date + 7, current_date + 13, interval '1 day') d
     where extract(isodow from d) between 1 and 5 order by d limit 1`.execute(platform.owner.db);
  const day = rows[0]!.day;
  const { freeSlots } = await read<{ freeSlots: string[] }>(
    `query ($p: ID!, $d: Date!) { freeSlots(providerId: $p, date: $d, durationMinutes: 30) }`,
    { p: providerId, d: day },
    FRONT_DESK,
  );
  const appointment = await mutate(
    `mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename ... on Appointment { id status } ${ERR} } }`,
    {
      patientId: patient['id'],
      providerId,
      locationId: locations[0]!.id,
      start: freeSlots[0],
      durationMinutes: 30,
      reason: 'Diabetes follow-up',
    },
    FRONT_DESK,
  );
  const encounter = await mutate(
    `mutation ($input: CheckInInput!) { checkIn(input: $input) { __typename ... on Encounter { id serviceDate } ${ERR} } }`,
    { appointmentId: appointment['id'] },
    FRONT_DESK,
  );
  expect(encounter['serviceDate']).toBe(day);
  const encounterId = encounter['id'] as string;

  // Clinician: the note, two diagnoses, two procedures linked to them, signed by its author.
  const AUTHOR = { as: { role: 'clinician' as const, provider: providerId } };
  const note = await mutate(
    `mutation ($input: StartNoteInput!) { startNote(input: $input) { __typename ... on ClinicalNote { id } ${ERR} } }`,
    {
      encounterId,
      authorId: providerId,
      subjective: 'Follow-up of type 2 diabetes and hypertension.',
      assessment: 'Stable.',
      plan: 'Labs today.',
    },
    AUTHOR,
  );
  const DX = `mutation ($input: RecordDiagnosisInput!) { recordDiagnosis(input: $input) { __typename ... on Diagnosis { id } ${ERR} } }`;
  const diabetes = await mutate(DX, { encounterId, code: 'E11.9' }, CLINICIAN);
  const hypertension = await mutate(DX, { encounterId, code: 'I10' }, CLINICIAN);
  const PX = `mutation ($input: RecordProcedureInput!) { recordProcedure(input: $input) { __typename ... on Procedure { id } ... on Error { message errorCode: code field } } }`;
  const visit = await mutate(
    PX,
    {
      encounterId,
      code: '99214',
      display: 'Office visit, moderate',
      units: 1,
      performerId: providerId,
      diagnosisIds: [diabetes['id'], hypertension['id']],
      noteId: note['id'],
    },
    CLINICIAN,
  );
  const venipuncture = await mutate(
    PX,
    {
      encounterId,
      code: '36415',
      display: 'Venipuncture',
      units: 1,
      performerId: providerId,
      diagnosisIds: [diabetes['id']],
      noteId: note['id'],
    },
    CLINICIAN,
  );
  await mutate(
    `mutation ($input: SignNoteInput!) { signNote(input: $input) { __typename ... on ClinicalNote { id } ${ERR} } }`,
    { id: note['id'], version: 1 },
    AUTHOR,
  );

  // Charge capture: the EHR's outbox reaches the PMS over HTTP.
  expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1, failed: 0 });

  // Biller: the headline query.
  interface Headline {
    encounter: {
      serviceDate: string;
      patient: { mrn: string };
      notes: Array<{ id: string; signedAt: string | null }>;
      diagnoses: Array<{ code: { code: string } }>;
      procedures: Array<{ id: string; code: { code: string }; units: number }>;
      claims: Array<{
        id: string;
        status: string;
        totalCharge: { amount: string };
        lines: Array<{
          lineNumber: number;
          procedureCode: { code: string };
          units: number;
          charge: { amount: string };
          diagnosisCodes: Array<{ code: string }>;
          procedure: { id: string; note: { id: string; signedAt: string } };
        }>;
      }>;
      complianceFindings: Array<{ rule: string; severity: string; message: string }>;
    };
  }
  const { encounter: walked } = await read<Headline>(
    `query($id: ID!) { encounter(id: $id) { serviceDate patient { mrn }
      notes { id signedAt } diagnoses { code { code } } procedures { id code { code } units }
      claims { id status totalCharge { amount } lines { lineNumber procedureCode { code } units charge { amount }
        diagnosisCodes { code } procedure { id note { id signedAt } } } }
      complianceFindings { rule severity message } } }`,
    { id: encounterId },
    BILLER,
  );
  expect(walked.serviceDate).toBe(day);
  expect(walked.patient.mrn).toBe(patient['mrn']);
  expect(walked.notes).toEqual([{ id: note['id'], signedAt: expect.any(String) }]);
  expect(walked.diagnoses.map((d) => d.code.code).sort()).toEqual(['E11.9', 'I10']);
  expect(walked.procedures.map((p) => p.id).sort()).toEqual([visit['id'], venipuncture['id']].sort());
  expect(walked.claims).toHaveLength(1);
  const claim = walked.claims[0]!;
  // Fee schedule: 99214 180.00, 36415 15.00.
  expect(claim).toMatchObject({ status: 'DRAFT', totalCharge: { amount: '195.00' } });
  expect(
    claim.lines.map((l) => [l.lineNumber, l.procedureCode.code, l.units, l.charge.amount, l.diagnosisCodes.map((d) => d.code)]),
  ).toEqual([
    [1, '99214', 1, '180.00', ['E11.9', 'I10']],
    [2, '36415', 1, '15.00', ['E11.9']],
  ]);
  for (const line of claim.lines) expect(line.procedure.note).toEqual({ id: note['id'], signedAt: walked.notes[0]!.signedAt });
  expect(walked.complianceFindings).toEqual([]);

  // Submit, then the payer's remittance: line 1 paid with the contractual write-off and coinsurance,
  // line 2 denied CO-16 (claim lacks information).
  await mutate(
    `mutation ($input: SubmitClaimInput!) { submitClaim(input: $input) { __typename ... on Claim { id status } ${ERR} } }`,
    { claimId: claim.id },
    BILLER,
  );
  const remittance = await mutate(
    `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) { __typename ... on Remittance { id totalPaid { amount } } ${ERR} } }`,
    {
      payerId,
      traceNumber: 'EFT-HEADLINE-1',
      paymentDate: (await sql<{ d: string }>`select (current_date - 1)::text as d`.execute(platform.owner.db)).rows[0]!.d,
      claims: [
        {
          claimId: claim.id,
          lines: [
            {
              lineNumber: 1,
              allowed: '150.00',
              paid: '120.00',
              patientResponsibility: '30.00',
              adjustments: [
                { group: 'CO', reason: '45', amount: '30.00' },
                { group: 'PR', reason: '2', amount: '30.00' },
              ],
            },
            { lineNumber: 2, allowed: '0.00', paid: '0.00', adjustments: [{ group: 'CO', reason: '16', amount: '15.00' }] },
          ],
        },
      ],
    },
    BILLER,
  );
  expect(remittance).toMatchObject({ __typename: 'Remittance', totalPaid: { amount: '120.00' } });

  // Balances: 195.00 - 120.00 paid - 30.00 written off = 45.00; the patient's 30.00 coinsurance, the
  // payer's 15.00 denied line (open until appealed or voided).
  const BAL = 'balance { balance { amount } patientBalance { amount } insuranceBalance { amount } }';
  type Bal = { balance: { amount: string }; patientBalance: { amount: string }; insuranceBalance: { amount: string } };
  const after = await read<{
    encounter: {
      balance: Bal;
      patient: { balance: Bal };
      claims: Array<{
        status: string;
        balance: Bal;
        denials: Array<{ lineNumber: number; group: string; reason: string; amount: { amount: string } }>;
      }>;
    };
  }>(
    `query($id: ID!) { encounter(id: $id) { ${BAL} patient { ${BAL} } claims { status ${BAL} denials { lineNumber group reason amount { amount } } } } }`,
    { id: encounterId },
    BILLER,
  );
  const expected = { balance: { amount: '45.00' }, patientBalance: { amount: '30.00' }, insuranceBalance: { amount: '15.00' } };
  expect(after.encounter.claims[0]).toEqual({
    status: 'PARTIALLY_PAID',
    balance: expected,
    denials: [{ lineNumber: 2, group: 'CO', reason: '16', amount: { amount: '15.00' } }],
  });
  expect(after.encounter.balance).toEqual(expected);
  expect(after.encounter.patient.balance).toEqual(expected);

  // The patient pays their share at the desk.
  await mutate(
    `mutation ($input: PostPatientPaymentInput!) { postPatientPayment(input: $input) { __typename ... on PatientPayment { id } ${ERR} } }`,
    {
      patientId: patient['id'],
      claimId: claim.id,
      amount: '30.00',
      method: 'CARD',
      receivedOn: (await sql<{ d: string }>`select (current_date - 1)::text as d`.execute(platform.owner.db)).rows[0]!.d,
    },
    FRONT_DESK_PAYMENT,
  );
  const paid = await read<{ patient: { balance: Bal } }>(`query($id: ID!) { patient(id: $id) { ${BAL} } }`, { id: patient['id'] }, BILLER);
  expect(paid.patient.balance).toEqual({
    balance: { amount: '15.00' },
    patientBalance: { amount: '0.00' },
    insuranceBalance: { amount: '15.00' },
  });

  // The biller appeals the denied line; the payer's answer adjudicates that line alone and pays it.
  const appealed = await mutate(
    `mutation ($input: AppealClaimInput!) { appealClaim(input: $input) { __typename ... on Claim { status } ${ERR} } }`,
    {
      claimId: claim.id,
      reason: 'Lab order and results attached.',
    },
    BILLER,
  );
  expect(appealed).toMatchObject({ status: 'APPEALED' });
  await mutate(
    `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) { __typename ... on Remittance { id } ${ERR} } }`,
    {
      payerId,
      traceNumber: 'EFT-HEADLINE-2',
      paymentDate: (await sql<{ d: string }>`select (current_date - 1)::text as d`.execute(platform.owner.db)).rows[0]!.d,
      claims: [
        {
          claimId: claim.id,
          lines: [{ lineNumber: 2, allowed: '12.00', paid: '12.00', adjustments: [{ group: 'CO', reason: '45', amount: '3.00' }] }],
        },
      ],
    },
    BILLER,
  );
  const settled = await read<{ claim: { status: string; balance: Bal } }>(
    `query($id: ID!) { claim(id: $id) { status ${BAL} } }`,
    { id: claim.id },
    BILLER,
  );
  expect(settled.claim).toEqual({
    status: 'PAID',
    balance: { balance: { amount: '0.00' }, patientBalance: { amount: '0.00' }, insuranceBalance: { amount: '0.00' } },
  });
});
