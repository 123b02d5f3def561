import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { OutboxRelay, RELAY_IDENTITY } from '@chartbridge/ehr';
import { InternalTokenKey, createLogger, signInternalToken } from '@chartbridge/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clinicianOf, type Visit } from '../support/documentation-steps.js';
import { mutationsOn } from '../support/mutations.js';
import { startTestPlatformRelayingByHand, type TestPlatform } from '../support/test-platform.js';

// Charge capture end to end: a visit documented and signed in the EHR becomes a draft claim in the
// PMS through the outbox relay, at least once, whatever the PMS's availability; and one query
// walks from the encounter to the claim lines and back to the procedures and the signed note.

let platform: TestPlatform;
let visits: Visit[] = [];
const headline = { note: '', e119: '', i10: '', office: '', venipuncture: '', unlisted: '', firstEvent: '', claim: '' };

const run = mutationsOn(() => platform);

const START = `mutation ($input: StartNoteInput!) { startNote(input: $input) { __typename ... on ClinicalNote { id version } ... on Error { message code field } } }`;
const SIGN = `mutation ($input: SignNoteInput!) { signNote(input: $input) { __typename ... on ClinicalNote { id status } ... on Error { message code field } } }`;
const ADDENDUM = `mutation ($input: AddAddendumInput!) { addAddendum(input: $input) { __typename ... on NoteAddendum { id } ... on Error { message code field } } }`;
const DIAGNOSIS = `mutation ($input: RecordDiagnosisInput!) { recordDiagnosis(input: $input) { __typename ... on Diagnosis { id } ... on Error { message errorCode: code field } } }`;
const PROCEDURE = `mutation ($input: RecordProcedureInput!) { recordProcedure(input: $input) { __typename ... on Procedure { id } ... on Error { message errorCode: code field } } }`;

const CLAIMS = `query ($id: ID!) { encounter(id: $id) { claims { id status totalCharge { amount currency }
  diagnoses { code } captureIssues { code lineNumber }
  lines { lineNumber procedureCode { system code } units modifiers charge { amount } serviceDate renderingProvider { id }
          diagnosisCodes { code } procedure { id note { id signedAt } } } } } }`;

interface ClaimView {
  id: string;
  status: string;
  totalCharge: { amount: string; currency: string };
  diagnoses: Array<{ code: string }>;
  captureIssues: Array<{ code: string; lineNumber: number | null }>;
  lines: Array<Record<string, unknown> & { procedure: { id: string; note: { id: string; signedAt: string | null } | null } | null }>;
}

async function claimsOf(encounterId: string): Promise<ClaimView[]> {
  const res = await platform.query<{ encounter: { claims: ClaimView[] } }>(CLAIMS, { id: encounterId }, { as: { role: 'biller' } });
  expect(res.errors).toBeUndefined();
  return res.data!.encounter.claims;
}

/** Documents a visit with one diagnosis and one office visit, and signs it; returns the note id. */
async function documentAndSign(visit: Visit, code = '99213'): Promise<string> {
  const note = await run(
    START,
    { encounterId: visit.encounter, authorId: visit.provider, subjective: 'Follow-up visit.' },
    clinicianOf(visit.provider),
  );
  const dx = await run(DIAGNOSIS, { encounterId: visit.encounter, code: 'I10' });
  await run(PROCEDURE, {
    encounterId: visit.encounter,
    code,
    display: 'Office visit',
    units: 1,
    performerId: visit.provider,
    diagnosisIds: [dx['id']],
    noteId: note['id'],
  });
  const signed = await run(SIGN, { id: note['id'], version: 1 }, clinicianOf(visit.provider));
  expect(signed).toMatchObject({ __typename: 'ClinicalNote', status: 'SIGNED' });
  return note['id'] as string;
}

async function outboxRow(encounterId: string) {
  return platform.ehrDatabase.db
    .selectFrom('ehr.outbox')
    .selectAll()
    .where('aggregate_id', '=', encounterId)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

/** Time passes: the event's next attempt is due now. */
async function makeDue(eventId: string): Promise<void> {
  await sql`update ehr.outbox set next_attempt_at = now() where id = ${eventId}`.execute(platform.owner.db);
}

async function pmsCounts(): Promise<{ inbox: number; claims: number; lines: number; audits: number }> {
  const { rows } = await sql<{ inbox: number; claims: number; lines: number; audits: number }>`
    select (select count(*)::int from pms.event_inbox) as inbox, (select count(*)::int from pms.claim) as claims,
           (select count(*)::int from pms.claim_line) as lines,
           (select count(*)::int from audit.event where chain = 'pms' and action like 'claim.%') as audits`.execute(platform.owner.db);
  return rows[0]!;
}

/** A relay like the EHR's whose PMS is down: nothing listens at its intake. */
async function relayToDownedPms(): Promise<OutboxRelay> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  return new OutboxRelay({
    db: platform.ehrDatabase.db,
    intakeUrl: `http://127.0.0.1:${port}/events`,
    internalKey: new InternalTokenKey(randomBytes(32)),
    logger: createLogger('test-relay', 'silent'),
    pollMs: 0,
  });
}

const intakeUrl = () => platform.pmsUrl.replace(/\/graphql$/, '/events');

beforeAll(async () => {
  // The tests run the relay themselves, one pass at a time: no background polling.
  platform = await startTestPlatformRelayingByHand({ patients: 20, seed: 33 });
  // Visits without a draft note, so each one's documentation here is the first signed event for it.
  const { rows } = await sql<Visit>`
    select e.id as encounter, e.patient_id as patient, e.provider_id as provider, e.service_date as "serviceDate" from pms.encounter e
     where not exists (select 1 from ehr.clinical_note n where n.encounter_id = e.id and n.status = 'draft')
     order by e.id limit 4`.execute(platform.owner.db);
  visits = rows;
  expect(visits).toHaveLength(4);
});

afterAll(async () => {
  await platform?.stop();
});

describe('charge capture from a signed visit', () => {
  test('a signed note becomes a draft claim, one line per procedure, charged from the fee schedule', async () => {
    const visit = visits[0]!;
    const note = await run(
      START,
      { encounterId: visit.encounter, authorId: visit.provider, subjective: 'Cough and high sugars.' },
      clinicianOf(visit.provider),
    );
    headline.note = note['id'] as string;
    headline.e119 = (await run(DIAGNOSIS, { encounterId: visit.encounter, code: 'E11.9' }))['id'] as string;
    headline.i10 = (await run(DIAGNOSIS, { encounterId: visit.encounter, code: 'I10' }))['id'] as string;
    const common = { encounterId: visit.encounter, performerId: visit.provider, noteId: headline.note };
    headline.office = (
      await run(PROCEDURE, {
        ...common,
        code: '99213',
        display: 'Office visit, established patient',
        units: 1,
        modifiers: ['25'],
        diagnosisIds: [headline.e119, headline.i10],
      })
    )['id'] as string;
    headline.venipuncture = (
      await run(PROCEDURE, { ...common, code: '36415', display: 'Venipuncture', units: 2, diagnosisIds: [headline.e119] })
    )['id'] as string;
    headline.unlisted = (
      await run(PROCEDURE, { ...common, code: '99499', display: 'Unlisted E/M service', units: 1, diagnosisIds: [headline.i10] })
    )['id'] as string;
    await run(SIGN, { id: headline.note, version: 1 }, clinicianOf(visit.provider));
    expect(await claimsOf(visit.encounter)).toEqual([]);

    const pass = await platform.relayOutboxOnce();
    expect(pass).toEqual({ claimed: 1, published: 1, failed: 0, dead: 0 });
    const event = await outboxRow(visit.encounter);
    expect(event.published_at).not.toBeNull();
    headline.firstEvent = event.id;

    const [claim, ...others] = await claimsOf(visit.encounter);
    expect(others).toEqual([]);
    headline.claim = claim!.id;
    expect(claim).toMatchObject({
      status: 'DRAFT',
      totalCharge: { amount: '155.00', currency: 'USD' },
      diagnoses: [{ code: 'E11.9' }, { code: 'I10' }],
      captureIssues: [{ code: 'NO_FEE', lineNumber: 3 }],
    });
    expect(claim!.lines).toEqual([
      expect.objectContaining({
        lineNumber: 1,
        procedureCode: { system: 'http://www.ama-assn.org/go/cpt', code: '99213' },
        units: 1,
        modifiers: ['25'],
        charge: { amount: '125.00' },
        serviceDate: visit.serviceDate,
        renderingProvider: { id: visit.provider },
        diagnosisCodes: [{ code: 'E11.9' }, { code: 'I10' }],
      }),
      expect.objectContaining({
        lineNumber: 2,
        procedureCode: expect.objectContaining({ code: '36415' }),
        units: 2,
        charge: { amount: '30.00' },
        diagnosisCodes: [{ code: 'E11.9' }],
      }),
      expect.objectContaining({
        lineNumber: 3,
        procedureCode: expect.objectContaining({ code: '99499' }),
        units: 1,
        charge: { amount: '0.00' },
        diagnosisCodes: [{ code: 'I10' }],
      }),
    ]);
  });

  test("each claim line resolves to the EHR's procedure and its signed note (the headline query)", async () => {
    const [claim] = await claimsOf(visits[0]!.encounter);
    expect(claim!.lines.map((l) => l.procedure!.id)).toEqual([headline.office, headline.venipuncture, headline.unlisted]);
    for (const line of claim!.lines) {
      expect(line.procedure!.note).toMatchObject({ id: headline.note });
      expect(Date.parse(line.procedure!.note!.signedAt ?? '')).not.toBeNaN();
    }
  });

  test('keeps the documented facts it used, and audits the change without them', async () => {
    const row = await platform.pmsDatabase.db
      .selectFrom('pms.claim')
      .select(['snapshot', 'source_event_id'])
      .where('id', '=', headline.claim)
      .executeTakeFirstOrThrow();
    expect(row.source_event_id).toBe(headline.firstEvent);
    expect(row.snapshot).toMatchObject({
      eventId: headline.firstEvent,
      facts: { encounterId: visits[0]!.encounter, noteId: headline.note, serviceDate: visits[0]!.serviceDate },
    });
    const { rows } = await sql<{ actor_id: string; action: string; patient_id: string; after_hash: string | null }>`
      select actor_id, action, patient_id, after_hash from audit.event where chain = 'pms' and entity_id = ${headline.claim}`.execute(
      platform.owner.db,
    );
    expect(rows).toEqual([
      {
        actor_id: 'ehr-outbox-relay',
        action: 'claim.capture',
        patient_id: visits[0]!.patient,
        after_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  test('delivering the same event again changes nothing', async () => {
    const before = await pmsCounts();
    const claimBefore = await claimsOf(visits[0]!.encounter);
    // The relay died after the PMS answered but before it marked the event published.
    await sql`update ehr.outbox set published_at = null, next_attempt_at = now() where id = ${headline.firstEvent}`.execute(
      platform.owner.db,
    );
    expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1 });
    expect(await pmsCounts()).toEqual(before);
    expect(await claimsOf(visits[0]!.encounter)).toEqual(claimBefore);
    expect(platform.logs.some((l) => l['event'] === 'events.received' && l['code'] === 'duplicate')).toBe(true);
  });

  test("an addendum that changes the coding replaces the draft's lines", async () => {
    const visit = visits[0]!;
    await run(PROCEDURE, {
      encounterId: visit.encounter,
      code: '93000',
      display: 'Electrocardiogram',
      units: 1,
      performerId: visit.provider,
      diagnosisIds: [headline.i10],
    });
    await run(
      ADDENDUM,
      { noteId: headline.note, authorId: visit.provider, text: 'ECG done at the visit.', changesCoding: true },
      clinicianOf(visit.provider),
    );
    expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1 });
    const [claim, ...others] = await claimsOf(visit.encounter);
    expect(others).toEqual([]);
    expect(claim).toMatchObject({ id: headline.claim, status: 'DRAFT', totalCharge: { amount: '215.00' } });
    expect(
      claim!.lines.map((l) => [l['lineNumber'], (l['procedureCode'] as { code: string }).code, (l['charge'] as { amount: string }).amount]),
    ).toEqual([
      [1, '99213', '125.00'],
      [2, '36415', '30.00'],
      [3, '99499', '0.00'],
      [4, '93000', '60.00'],
    ]);
  });

  test('an older event delivered late does not undo the amendment', async () => {
    const before = await claimsOf(visits[0]!.encounter);
    await sql`update ehr.outbox set published_at = null, next_attempt_at = now() where id = ${headline.firstEvent}`.execute(
      platform.owner.db,
    );
    await sql`delete from pms.event_inbox where event_id = ${headline.firstEvent}`.execute(platform.owner.db);
    expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1 });
    expect(await claimsOf(visits[0]!.encounter)).toEqual(before);
    const { rows } = await sql<{ outcome: string }>`select outcome from pms.event_inbox where event_id = ${headline.firstEvent}`.execute(
      platform.owner.db,
    );
    expect(rows).toEqual([{ outcome: 'stale' }]);
  });

  test('a claim past draft is not changed; the event is recorded as received', async () => {
    await sql`update pms.claim set status = 'ready' where id = ${headline.claim}`.execute(platform.owner.db);
    const before = await claimsOf(visits[0]!.encounter);
    await run(
      ADDENDUM,
      { noteId: headline.note, authorId: visits[0]!.provider, text: 'Coding reviewed.', changesCoding: true },
      clinicianOf(visits[0]!.provider),
    );
    expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1 });
    expect(await claimsOf(visits[0]!.encounter)).toEqual(before);
    const event = await outboxRow(visits[0]!.encounter);
    const { rows } = await sql<{
      outcome: string;
      claim_id: string;
    }>`select outcome, claim_id from pms.event_inbox where event_id = ${event.id}`.execute(platform.owner.db);
    expect(rows).toEqual([{ outcome: 'claim_not_draft', claim_id: headline.claim }]);
  });

  test('claims are financial: a clinician sees the encounter but not its claims', async () => {
    const res = await platform.query<{ encounter: { id: string; claims: unknown } }>(
      `query ($id: ID!) { encounter(id: $id) { id serviceDate claims { id } } }`,
      { id: visits[0]!.encounter },
    );
    expect(res.data!.encounter).toEqual({ id: visits[0]!.encounter, serviceDate: visits[0]!.serviceDate, claims: null });
    expect(res.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
  });

  test('a biller reads a claim by id and from the patient', async () => {
    const res = await platform.query<{
      claim: { id: string; encounter: { id: string }; patient: { id: string; claims: Array<{ id: string }> } };
    }>(
      `query ($id: ID!) { claim(id: $id) { id encounter { id } patient { id claims { id } } } }`,
      { id: headline.claim },
      { as: { role: 'biller' } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.claim).toEqual({
      id: headline.claim,
      encounter: { id: visits[0]!.encounter },
      patient: { id: visits[0]!.patient, claims: [{ id: headline.claim }] },
    });
  });
});

describe('delivery when the PMS is unavailable', () => {
  test('the event stays unpublished with one more attempt, and a later run delivers it', async () => {
    const visit = visits[1]!;
    await documentAndSign(visit);
    const downed = await relayToDownedPms();
    expect(await downed.runOnce()).toEqual({ claimed: 1, published: 0, failed: 1, dead: 0 });
    const failed = await outboxRow(visit.encounter);
    expect(failed).toMatchObject({ published_at: null, dead_at: null, attempts: 1, last_error: 'ECONNREFUSED' });
    expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now());

    // Not due yet: the backoff holds it back even though the PMS is up again.
    expect(await platform.relayOutboxOnce()).toMatchObject({ claimed: 0 });
    await makeDue(failed.id);
    expect(await platform.relayOutboxOnce()).toMatchObject({ claimed: 1, published: 1 });
    expect(await outboxRow(visit.encounter)).toMatchObject({ attempts: 1 });
    expect(await claimsOf(visit.encounter)).toEqual([
      expect.objectContaining({ status: 'DRAFT', totalCharge: { amount: '125.00', currency: 'USD' } }),
    ]);
  });

  test('after the maximum attempts it is a dead letter an administrator sees and requeues', async () => {
    const visit = visits[2]!;
    await documentAndSign(visit);
    const downed = await relayToDownedPms();
    const event = await outboxRow(visit.encounter);
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      await makeDue(event.id);
      expect(await downed.runOnce()).toMatchObject({ failed: 1, dead: attempt === 8 ? 1 : 0 });
    }
    expect(await outboxRow(visit.encounter)).toMatchObject({
      published_at: null,
      attempts: 8,
      last_error: 'ECONNREFUSED',
      dead_at: expect.any(Date),
    });
    // A dead letter is skipped by the relay, even when due.
    await makeDue(event.id);
    expect(await platform.relayOutboxOnce()).toMatchObject({ claimed: 0 });

    const DEAD = `{ deadLetters(first: 10) { edges { node { id eventType aggregateId attempts lastError deadAt } } pageInfo { hasNextPage } } }`;
    const seen = await platform.query<{ deadLetters: { edges: Array<{ node: Record<string, unknown> }> } }>(
      DEAD,
      {},
      { as: { role: 'admin' } },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.deadLetters.edges.map((e) => e.node)).toEqual([
      {
        id: event.id,
        eventType: 'encounter.documented',
        aggregateId: visit.encounter,
        attempts: 8,
        lastError: 'ECONNREFUSED',
        deadAt: expect.any(String),
      },
    ]);
    const refused = await platform.query(DEAD, {}, { as: { role: 'clinician' } });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const REQUEUE = `mutation ($input: RequeueDeadLetterInput!) { requeueDeadLetter(input: $input) { __typename ... on OutboxEvent { id attempts deadAt } ... on Error { message code field } } }`;
    expect(await run(REQUEUE, { id: event.id }, { as: { role: 'clinician' } })).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await run(REQUEUE, { id: event.id }, { as: { role: 'admin' } })).toEqual({
      __typename: 'OutboxEvent',
      id: event.id,
      attempts: 0,
      deadAt: null,
    });
    expect(await run(REQUEUE, { id: event.id }, { as: { role: 'admin' } })).toMatchObject({
      __typename: 'ConflictError',
      field: 'input.id',
    });
    expect(await platform.relayOutboxOnce()).toMatchObject({ claimed: 1, published: 1 });
    expect(await claimsOf(visit.encounter)).toEqual([expect.objectContaining({ status: 'DRAFT' })]);
    const after = await platform.query<{ deadLetters: { edges: unknown[] } }>(DEAD, {}, { as: { role: 'admin' } });
    expect(after.data!.deadLetters.edges).toEqual([]);
  });

  test("the PMS's intake refuses any caller but the relay (401) and changes nothing", async () => {
    const before = await pmsCounts();
    const event = await outboxRow(visits[0]!.encounter);
    const body = JSON.stringify({
      id: event.id,
      type: event.event_type,
      aggregateId: event.aggregate_id,
      occurredAt: new Date(event.created_at).toISOString(),
      payload: event.payload,
    });
    const post = (authorization?: string) =>
      fetch(intakeUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
    const forged = await signInternalToken(new InternalTokenKey(randomBytes(32)), RELAY_IDENTITY, 'forged');
    const callerToken = await platform.token({ role: 'admin' });
    for (const authorization of [undefined, `Bearer ${forged}`, `Bearer ${callerToken}`, 'Basic ZWhyOmVocg==']) {
      const res = await post(authorization);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'This endpoint answers only the EHR outbox relay' } });
    }
    expect(await pmsCounts()).toEqual(before);
  });

  test('with the PMS stopped, the platform relay keeps the event for later', async () => {
    const visit = visits[3]!;
    await documentAndSign(visit);
    await platform.stopSubgraph('pms');
    expect(await platform.relayOutboxOnce()).toEqual({ claimed: 1, published: 0, failed: 1, dead: 0 });
    expect(await outboxRow(visit.encounter)).toMatchObject({ published_at: null, dead_at: null, attempts: 1, last_error: 'ECONNREFUSED' });
  });
});
