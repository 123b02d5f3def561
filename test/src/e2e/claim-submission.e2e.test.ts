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
  type Visit,
} from '../support/documentation-steps.js';
import { mutationsOn } from '../support/mutations.js';
import { startTestPlatformRelayingByHand, type TestPlatform } from '../support/test-platform.js';

// Claim submission end to end: a visit documented and signed in the EHR becomes a draft claim
// through the outbox relay; a biller submits it, and the scrubber refuses a claim that would not pay.

let platform: TestPlatform;
let covered: Visit[] = [];
let uncovered: Visit;

const run = mutationsOn(() => platform);
const biller = BILLER;

const CLAIM = `query ($id: ID!) { claim(id: $id) { id status scrubFindings { rule severity message lineNumber } } }`;

interface ClaimView {
  id: string;
  status: string;
  scrubFindings: Array<{ rule: string; severity: string; message: string; lineNumber: number | null }>;
}

async function claimView(id: string): Promise<ClaimView> {
  const res = await platform.query<{ claim: ClaimView }>(CLAIM, { id }, biller);
  expect(res.errors).toBeUndefined();
  return res.data!.claim;
}

/** Documents a visit with one diagnosis and one office visit, signs it, relays the event; returns the draft claim's id. */
async function documentedClaim(visit: Visit): Promise<string> {
  const note = await run(
    START_NOTE,
    { encounterId: visit.encounter, authorId: visit.provider, subjective: 'Follow-up visit.' },
    clinicianOf(visit.provider),
  );
  const dx = await run(RECORD_DIAGNOSIS, { encounterId: visit.encounter, code: 'I10' });
  await run(RECORD_PROCEDURE, {
    encounterId: visit.encounter,
    code: '99213',
    display: 'Office visit',
    units: 1,
    performerId: visit.provider,
    diagnosisIds: [dx['id']],
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
  const claim = rows[0]!;
  expect(claim.status).toBe('draft');
  return claim.id;
}

const VISITS = (withCoverage: boolean) => sql<Visit>`
  select e.id as encounter, e.patient_id as patient, e.provider_id as provider, e.service_date::text as "serviceDate" from pms.encounter e
   where not exists (select 1 from ehr.clinical_note n where n.encounter_id = e.id and n.status = 'draft')
     and not exists (select 1 from pms.claim k where k.encounter_id = e.id)
     and ${withCoverage ? sql`` : sql`not`} exists (select 1 from pms.coverage c where c.patient_id = e.patient_id
                and c.effective_from <= e.service_date and (c.effective_to is null or e.service_date <= c.effective_to))
   order by e.id limit 3`;

beforeAll(async () => {
  platform = await startTestPlatformRelayingByHand({ patients: 30, seed: 41 });
  covered = (await VISITS(true).execute(platform.owner.db)).rows;
  expect(covered.length).toBeGreaterThanOrEqual(2);
  const none = (await VISITS(false).execute(platform.owner.db)).rows;
  expect(none.length).toBeGreaterThanOrEqual(1);
  uncovered = none[0]!;
});

afterAll(async () => {
  await platform?.stop();
});

describe('submitClaim', () => {
  test('a clean claim is scrubbed without findings and submitted, with its audit record; submitting it again is a CONFLICT', async () => {
    const claimId = await documentedClaim(covered[0]!);
    expect(await claimView(claimId)).toMatchObject({ status: 'DRAFT', scrubFindings: [] });

    expect(await run(SUBMIT_CLAIM, { claimId }, biller)).toEqual({ __typename: 'Claim', id: claimId, status: 'SUBMITTED' });
    expect((await claimView(claimId)).status).toBe('SUBMITTED');
    const { rows: audit } = await sql<{
      outcome: string;
    }>`select outcome from audit.event where chain = 'pms' and action = 'claim.submit' and entity_id = ${claimId}`.execute(
      platform.owner.db,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'success' });

    expect(await run(SUBMIT_CLAIM, { claimId }, biller)).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.claimId',
    });
    expect((await claimView(claimId)).status).toBe('SUBMITTED');
  });

  test('a claim for a patient without coverage in force is refused with the coverage finding and stays a draft', async () => {
    const claimId = await documentedClaim(uncovered);
    const refused = await run(SUBMIT_CLAIM, { claimId }, biller);
    expect(refused).toMatchObject({ __typename: 'ClaimScrubError', code: 'BAD_USER_INPUT', field: 'input.claimId' });
    expect(refused['message']).toContain('COVERAGE_ACTIVE');
    expect(refused['findings']).toContainEqual({ rule: 'COVERAGE_ACTIVE', severity: 'ERROR', lineNumber: null });
    const view = await claimView(claimId);
    expect(view.status).toBe('DRAFT');
    expect(view.scrubFindings).toContainEqual(expect.objectContaining({ rule: 'COVERAGE_ACTIVE', severity: 'ERROR', lineNumber: null }));

    // A finding's message names codes: the front desk, whose payment purpose opens amounts but no coding, reads the rule, not the message.
    const desk = await platform.query<{ claim: ClaimView }>(CLAIM, { id: claimId }, { as: { role: 'front_desk', purpose: 'PAYMENT' } });
    expect(desk.data?.claim.scrubFindings[0]).toMatchObject({ rule: expect.any(String), severity: 'ERROR' });
    expect(desk.errors?.map((e) => [e.extensions?.['code'], e.path?.slice(-1)[0]])).toContainEqual(['FORBIDDEN', 'message']);
  });

  test('a clinician may not submit a claim: FORBIDDEN, the claim unchanged', async () => {
    const claimId = await documentedClaim(covered[1]!);
    expect(await run(SUBMIT_CLAIM, { claimId })).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect((await claimView(claimId)).status).toBe('DRAFT');
  });

  test('an unknown claim is NOT_FOUND, a malformed id BAD_USER_INPUT', async () => {
    expect(await run(SUBMIT_CLAIM, { claimId: '00000000-0000-4000-8000-000000000000' }, biller)).toMatchObject({
      __typename: 'NotFoundError',
      field: 'input.claimId',
    });
    expect(await run(SUBMIT_CLAIM, { claimId: 'nope' }, biller)).toMatchObject({ __typename: 'ValidationError', field: 'input.claimId' });
  });
});
