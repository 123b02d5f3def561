import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BILLER,
  RECORD_DIAGNOSIS,
  RECORD_PROCEDURE,
  SIGN_NOTE,
  START_NOTE,
  SUBMIT_CLAIM,
  clinicianOf,
} from '../support/documentation-steps.js';
import { mutationsOn } from '../support/mutations.js';
import { statementsDuring } from '../support/statements.js';
import { startTestPlatformRelayingByHand, type TestPlatform } from '../support/test-platform.js';

// Compliance findings end to end: a visit documented and signed in the EHR becomes a claim through
// the outbox relay; a biller submits it; an addendum then changes the coding in the EHR, and
// `Encounter.complianceFindings` (PMS), which requires the EHR's `Encounter.documentation`, reports
// that the billed claim no longer matches the chart.

let platform: TestPlatform;
interface Visit {
  readonly encounter: string;
  readonly provider: string;
}
let visits: Visit[] = [];

const run = mutationsOn(() => platform);
const biller = BILLER;

const ADDENDUM = `mutation ($input: AddAddendumInput!) { addAddendum(input: $input) { __typename ... on NoteAddendum { id } ... on Error { message code field } } }`;
const FINDINGS = `query ($id: ID!) { encounter(id: $id) { id serviceDate complianceFindings { rule severity message claimId lineNumber } } }`;

interface Finding {
  rule: string;
  severity: string;
  message: string;
  claimId: string;
  lineNumber: number | null;
}
interface FindingsView {
  encounter: { id: string; serviceDate: string; complianceFindings: Finding[] | null };
}

async function findings(encounter: string, options: Parameters<TestPlatform['query']>[2] = biller, headers: Record<string, string> = {}) {
  return platform.query<FindingsView>(FINDINGS, { id: encounter }, { ...options, headers });
}

async function findingsOf(encounter: string): Promise<Finding[]> {
  const res = await findings(encounter);
  expect(res.errors).toBeUndefined();
  return res.data!.encounter.complianceFindings!;
}

interface Documented {
  readonly note: string;
  readonly procedure: string;
  readonly diagnoses: readonly string[];
  readonly claim: string;
}

/** Documents a visit (an office visit linked to the given diagnoses), signs it and relays the event: the draft claim. */
async function documentedClaim(visit: Visit, codes: readonly string[] = ['I10']): Promise<Documented> {
  const note = await run(
    START_NOTE,
    { encounterId: visit.encounter, authorId: visit.provider, subjective: 'Follow-up visit.' },
    clinicianOf(visit.provider),
  );
  const diagnoses: string[] = [];
  for (const code of codes) diagnoses.push((await run(RECORD_DIAGNOSIS, { encounterId: visit.encounter, code }))['id'] as string);
  const procedure = await run(RECORD_PROCEDURE, {
    encounterId: visit.encounter,
    code: '99213',
    display: 'Office visit',
    units: 1,
    performerId: visit.provider,
    diagnosisIds: diagnoses,
    noteId: note['id'],
  });
  expect(await run(SIGN_NOTE, { id: note['id'], version: 1 }, clinicianOf(visit.provider))).toMatchObject({
    __typename: 'ClinicalNote',
    status: 'SIGNED',
  });
  expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1, failed: 0 });
  const { rows } = await sql<{
    id: string;
    status: string;
  }>`select id, status from pms.claim where encounter_id = ${visit.encounter}`.execute(platform.owner.db);
  expect(rows).toEqual([{ id: expect.any(String), status: 'draft' }]);
  return { note: note['id'] as string, procedure: procedure['id'] as string, diagnoses, claim: rows[0]!.id };
}

async function submit(claimId: string): Promise<void> {
  expect(await run(SUBMIT_CLAIM, { claimId }, biller)).toEqual({ __typename: 'Claim', id: claimId, status: 'SUBMITTED' });
  const { rows } = await sql<{ submitted_at: Date | null }>`select submitted_at from pms.claim where id = ${claimId}`.execute(
    platform.owner.db,
  );
  expect(rows[0]?.submitted_at).toBeInstanceOf(Date);
}

/** The PMS's lines of a claim, as billed. */
async function billedLines(claimId: string) {
  const { rows } = await sql<{ procedure_code: string; units: number; pointers: number[] }>`
    select procedure_code, units, pointers from pms.claim_line where claim_id = ${claimId} order by line_number`.execute(platform.owner.db);
  return rows;
}

beforeAll(async () => {
  platform = await startTestPlatformRelayingByHand({ patients: 30, seed: 43 });
  // Visits not billed yet whose seeded notes are all signed, of patients covered today. They are
  // moved to today, as if seen today: the note signed now is then timely (the seed's visits are days
  // in the past).
  const { rows } = await sql<Visit>`
    select e.id as encounter, e.provider_id as provider from pms.encounter e
     where not exists (select 1 from ehr.clinical_note n where n.encounter_id = e.id and n.status = 'draft')
       and not exists (select 1 from pms.claim k where k.encounter_id = e.id)
       and exists (select 1 from pms.coverage c where c.patient_id = e.patient_id
                      and c.effective_from <= current_date and (c.effective_to is null or current_date <= c.effective_to))
     order by e.id limit 4`.execute(platform.owner.db);
  expect(rows.length).toBe(4);
  visits = rows;
  await sql`update pms.encounter set service_date = current_date where id in (${sql.join(visits.map((v) => v.encounter))})`.execute(
    platform.owner.db,
  );
});

afterAll(async () => {
  await platform?.stop();
});

describe('Encounter.complianceFindings', () => {
  test('a visit billed as documented has no findings, before and after its submission', async () => {
    const visit = visits[0]!;
    const { claim } = await documentedClaim(visit);
    expect(await findingsOf(visit.encounter)).toEqual([]);
    await submit(claim);
    expect(await findingsOf(visit.encounter)).toEqual([]);
  });

  test('shows a biller the EHR documentation it compares with: signatures, date of service and coding', async () => {
    const visit = visits[0]!;
    const res = await platform.query<{ encounter: { serviceDate: string; documentation: Record<string, unknown> } }>(
      `query ($id: ID!) { encounter(id: $id) { serviceDate documentation { noteCount signedNoteCount allSigned serviceDate addenda { createdAt }
         diagnosisCodes procedures { code units modifiers diagnosisCodes } } } }`,
      { id: visit.encounter },
      biller,
    );
    expect(res.errors).toBeUndefined();
    const { serviceDate, documentation } = res.data!.encounter;
    // The seeded note and the one signed by the test.
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from ehr.clinical_note where encounter_id = ${visit.encounter}`.execute(platform.owner.db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
    expect(documentation).toEqual({
      noteCount: rows[0]!.n,
      signedNoteCount: rows[0]!.n,
      allSigned: true,
      serviceDate,
      addenda: [],
      diagnosisCodes: ['I10'],
      procedures: [{ code: '99213', units: 1, modifiers: [], diagnosisCodes: ['I10'] }],
    });
  });

  // The EHR has no mutation that edits a recorded procedure or removes a diagnosis, so the
  // correction itself is made in its tables as the owner; the addendum that records it (and raises
  // a new charge-capture event) goes through the API.
  test.each([
    {
      change: "a procedure's code is replaced",
      index: 1,
      codes: ['I10'],
      amend: (d: Documented) => sql`update ehr.procedure set code = '99214', display = 'Office visit, moderate' where id = ${d.procedure}`,
      expected: [{ rule: 'UNDOCUMENTED_CODE', lineNumber: 1, message: 'The line bills 99213; its procedure is now documented as 99214' }],
    },
    {
      change: "a procedure's units are corrected",
      index: 2,
      codes: ['I10'],
      amend: (d: Documented) => sql`update ehr.procedure set units = 2 where id = ${d.procedure}`,
      expected: [{ rule: 'UNDOCUMENTED_CODE', lineNumber: 1, message: 'The line bills 1 unit of 99213; the documentation has 2' }],
    },
    {
      change: 'a billed diagnosis is removed',
      index: 3,
      codes: ['I10', 'E11.9'],
      amend: (d: Documented) =>
        sql`with link as (delete from ehr.procedure_diagnosis where diagnosis_id = ${d.diagnoses[1]!})
            delete from ehr.diagnosis where id = ${d.diagnoses[1]!}`,
      expected: [
        { rule: 'UNDOCUMENTED_CODE', lineNumber: null, message: 'Diagnosis E11.9 (position 2) is billed but no longer documented' },
        { rule: 'LINKAGE_MISMATCH', lineNumber: 1, message: 'The line points at I10, E11.9; the documentation links its procedure to I10' },
      ],
    },
  ])('after submission, an addendum where $change is reported against the claim as billed', async ({ index, codes, amend, expected }) => {
    const visit = visits[index]!;
    const documented = await documentedClaim(visit, codes);
    await submit(documented.claim);
    expect(await findingsOf(visit.encounter)).toEqual([]);
    const billed = await billedLines(documented.claim);

    await amend(documented).execute(platform.owner.db);
    await run(
      ADDENDUM,
      { noteId: documented.note, authorId: visit.provider, text: 'Coding corrected after review.', changesCoding: true },
      clinicianOf(visit.provider),
    );
    // Charge capture leaves a submitted claim as it is: the billed lines are the record.
    expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1, failed: 0 });
    expect(await billedLines(documented.claim)).toEqual(billed);

    const claimWide = { claimId: documented.claim, severity: 'ERROR' };
    expect(await findingsOf(visit.encounter)).toEqual([
      {
        ...claimWide,
        rule: 'DOCUMENTED_AFTER_SUBMISSION',
        lineNumber: null,
        message: '1 addendum changed the coding after the claim was submitted: correct or void and rebill it',
      },
      ...expected.map((e) => ({ ...claimWide, ...e })),
    ]);
  });

  test('is planned PMS (the encounter), then EHR (its documentation), then PMS (the findings)', async () => {
    const res = await findings(visits[0]!.encounter, biller);
    const requestId = res.headers.get('x-request-id');
    expect(res.errors).toBeUndefined();
    const calls = platform.logs
      .filter((l) => l['event'] === 'request' && l['requestId'] === requestId && l['service'] !== 'gateway')
      .map((l) => l['service']);
    expect(calls).toEqual(['pms', 'ehr', 'pms']);
  });

  test('costs as many SQL statements for ten encounters as for two', async () => {
    const statementsFor = (first: number) =>
      statementsDuring(platform, async () => {
        const res = await platform.query<{ encounters: { edges: Array<{ node: { complianceFindings: Finding[] } }> } }>(
          `query ($first: Int!) { encounters(first: $first) { edges { node { id complianceFindings { rule } } } } }`,
          { first },
          biller,
        );
        expect(res.errors).toBeUndefined();
        expect(res.data!.encounters.edges).toHaveLength(first);
      });
    // The documented visits are today's, so both pages start with encounters that have claims.
    const forTwo = await statementsFor(2);
    expect(await statementsFor(10)).toBe(forTwo);
  });

  // A clinician lacks the financial class; a front-desk clerk taking payments holds it, but not the
  // coding class the EHR's documentation needs, so there is nothing to compare the claim with.
  test.each([
    ['clinician', 'TREATMENT', 'Encounter.complianceFindings is not available to your role for TREATMENT'],
    [
      'front_desk',
      'PAYMENT',
      "Encounter.complianceFindings needs the encounter's documentation from the EHR, which is not available to you",
    ],
  ] as const)('a %s (%s) gets null with FORBIDDEN, and the rest of the encounter', async (role, purpose, message) => {
    const res = await findings(visits[0]!.encounter, { as: { role, purpose } });
    expect(res.data?.encounter).toEqual({ id: visits[0]!.encounter, serviceDate: expect.any(String), complianceFindings: null });
    expect(res.errors?.every((e) => e.extensions?.['code'] === 'FORBIDDEN')).toBe(true);
    expect(res.errors).toContainEqual(expect.objectContaining({ path: ['encounter', 'complianceFindings'], message }));
  });
});
