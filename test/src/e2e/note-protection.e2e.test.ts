import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditRecords } from '../support/audit.js';
import { clinicianOf } from '../support/documentation-steps.js';
import { startTestPlatform, type GraphQLResponse, type QueryOptions, type TestPlatform } from '../support/test-platform.js';

// A note's protection and authorship, through the gateway. A restricted (behavioural-health) note
// stays restricted unless a clinician lowers it with the glass, recorded as such; no mutation's
// answer shows restricted text without the glass. A note's author is the caller's provider (or the
// clinician a nurse drafts for), a real one; only the author signs, and the signer is who signed.

let platform: TestPlatform;
/** A seeded visit, its provider and another of the practice's providers. */
const visit = { encounter: '', patient: '', provider: '', other: '', nurse: '' };
const REASON = 'Suicide risk assessment in the emergency room';
const RESTRICTED_TEXT = 'Low mood for six weeks; passive thoughts of death, no plan.';
const MADE_UP = '7c1e1f0a-3b6d-4e58-9a7f-2d4c5b6a7e8f';

const NOTE_FIELDS = `__typename ... on ClinicalNote { id status version kind subjective author { id } draftedBy { id } signedBy { id } }
  ... on Error { message code field }`;
const START = `mutation ($input: StartNoteInput!) { startNote(input: $input) { ${NOTE_FIELDS} } }`;
const UPDATE = `mutation ($input: UpdateNoteInput!) { updateNote(input: $input) { ${NOTE_FIELDS} } }`;
const SIGN = `mutation ($input: SignNoteInput!) { signNote(input: $input) { ${NOTE_FIELDS} } }`;
const ADDENDUM = `mutation ($input: AddAddendumInput!) { addAddendum(input: $input) {
  __typename ... on NoteAddendum { id text author { id } } ... on Error { message code field } } }`;

type Outcome = { __typename: string; [key: string]: unknown };
type Answer = GraphQLResponse<Record<string, Outcome>>;

async function mutate(mutation: string, input: Record<string, unknown>, options: QueryOptions): Promise<{ outcome: Outcome; res: Answer }> {
  const res = await platform.query<Record<string, Outcome>>(mutation, { input }, options);
  const outcome = res.data ? Object.values(res.data)[0] : undefined;
  if (!outcome) throw new Error(`The mutation answered nothing: ${JSON.stringify(res.errors)}`);
  return { outcome, res };
}

type Headers = Record<string, string>;
const nurse = (provider = visit.nurse, headers: Headers = {}): QueryOptions => ({ as: { role: 'nurse', provider }, headers });
const clinician = (provider: string, headers: Headers = {}): QueryOptions => ({ as: { role: 'clinician', provider }, headers });
const glass = { 'x-break-glass-reason': REASON };
const startFor = (input: Record<string, unknown>) => ({ encounterId: visit.encounter, ...input });

async function noteRow(id: string) {
  return platform.ehrDatabase.db
    .selectFrom('ehr.clinical_note')
    .select(['kind', 'version', 'status', 'author_id', 'drafted_by', 'signed_by'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The EHR's records of changes to a note and of refusals to change it, after its start, oldest first. */
const auditOf = (noteId: string) =>
  auditRecords(
    platform,
    { entity: noteId },
    {
      chain: 'ehr',
      actions: { except: ['note.start'] },
      columns: ['action', 'outcome', 'role', 'patient_id', 'break_glass', 'break_glass_reason'],
    },
  );

async function noteCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ehr.clinical_note`.execute(platform.owner.db);
  return rows[0]!.n;
}

/** The field errors of an answer, as [path, code]. */
const fieldErrors = (res: Answer) => (res.errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.['code']]);

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 20, seed: 31 });
  const { rows } = await sql<{ id: string; patient_id: string; provider_id: string }>`
    select e.id, e.patient_id, e.provider_id from pms.encounter e order by e.id limit 1`.execute(platform.owner.db);
  const [first] = rows;
  const others = platform.providers.filter((p) => p !== first!.provider_id);
  Object.assign(visit, { encounter: first!.id, patient: first!.patient_id, provider: first!.provider_id });
  Object.assign(visit, { other: others[0], nurse: others[1] });
});

afterAll(async () => {
  await platform?.stop();
});

/** A new behavioural-health draft by the visit's provider; its id. */
async function restrictedDraft(): Promise<string> {
  const { outcome, res } = await mutate(
    START,
    startFor({ kind: 'BEHAVIORAL_HEALTH', subjective: RESTRICTED_TEXT }),
    clinicianOf(visit.provider),
  );
  expect(outcome).toMatchObject({ __typename: 'ClinicalNote', kind: 'BEHAVIORAL_HEALTH', subjective: null });
  // Even its author reads the restricted text back only with the glass: the answer passes through the field policy.
  expect(fieldErrors(res)).toEqual([['startNote.subjective', 'FORBIDDEN']]);
  return outcome['id'] as string;
}

describe('a restricted note keeps its protection', () => {
  test('a nurse cannot re-kind a behavioural-health draft to PROGRESS: FORBIDDEN as data, nothing written, refusal audited', async () => {
    const id = await restrictedDraft();
    const before = await noteRow(id);
    const { outcome, res } = await mutate(UPDATE, { id, version: 1, kind: 'PROGRESS' }, nurse());
    expect(outcome).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(JSON.stringify(res)).not.toContain('passive thoughts');
    expect(await noteRow(id)).toEqual(before);
    const refusal = { action: 'note.declassify', outcome: 'denied', role: 'nurse', patient_id: visit.patient };
    expect(await auditOf(id)).toEqual([expect.objectContaining(refusal)]);
  });

  test('nor can a nurse with a break-the-glass reason: the gateway refuses nurses the glass', async () => {
    const id = await restrictedDraft();
    const res = await platform.query(UPDATE, { input: { id, version: 1, kind: 'PROGRESS' } }, nurse(visit.nurse, glass));
    expect(res.status).toBe(403);
    expect((await noteRow(id)).kind).toBe('behavioral_health');
  });

  test('a clinician without the glass cannot either, nor read the text back through the answer', async () => {
    const id = await restrictedDraft();
    const before = await noteRow(id);
    const { outcome, res } = await mutate(UPDATE, { id, version: 1, kind: 'PROGRESS' }, clinician(visit.provider));
    expect(outcome).toMatchObject({ __typename: 'ForbiddenError', message: expect.stringContaining('X-Break-Glass-Reason') });
    expect(JSON.stringify(res)).not.toContain('passive thoughts');
    expect(await noteRow(id)).toEqual(before);
    const refusal = { action: 'note.declassify', outcome: 'denied', role: 'clinician', break_glass: false };
    expect(await auditOf(id)).toEqual([expect.objectContaining(refusal)]);
  });

  test('editing a restricted draft answers without its text to whoever lacks the glass', async () => {
    const id = await restrictedDraft();
    const { outcome, res } = await mutate(UPDATE, { id, version: 1, plan: 'Safety plan; review in two days.' }, nurse());
    expect(outcome).toMatchObject({ __typename: 'ClinicalNote', kind: 'BEHAVIORAL_HEALTH', version: 2, subjective: null });
    expect(fieldErrors(res)).toEqual([['updateNote.subjective', 'FORBIDDEN']]);
  });

  test('a clinician with the glass lowers it: the change record is flagged break-the-glass with the reason', async () => {
    const id = await restrictedDraft();
    const { outcome, res } = await mutate(UPDATE, { id, version: 1, kind: 'PROGRESS' }, clinician(visit.provider, glass));
    expect(res.errors).toBeUndefined();
    expect(outcome).toMatchObject({ __typename: 'ClinicalNote', kind: 'PROGRESS', version: 2, subjective: RESTRICTED_TEXT });
    expect((await noteRow(id)).kind).toBe('progress');
    expect(await auditOf(id)).toEqual([
      {
        action: 'note.declassify',
        outcome: 'success',
        role: 'clinician',
        patient_id: visit.patient,
        break_glass: true,
        break_glass_reason: REASON,
      },
    ]);
  });

  test('raising the protection needs no glass, and from then on the answer withholds the text', async () => {
    const { outcome: draft } = await mutate(START, startFor({ subjective: 'Trouble sleeping.' }), clinicianOf(visit.provider));
    const { outcome, res } = await mutate(UPDATE, { id: draft['id'], version: 1, kind: 'BEHAVIORAL_HEALTH' }, nurse());
    expect(outcome).toMatchObject({ __typename: 'ClinicalNote', kind: 'BEHAVIORAL_HEALTH', subjective: null });
    expect(fieldErrors(res)).toEqual([['updateNote.subjective', 'FORBIDDEN']]);
    expect(await auditOf(draft['id'] as string)).toEqual([
      { action: 'note.update', outcome: 'success', role: 'nurse', patient_id: visit.patient, break_glass: false, break_glass_reason: null },
    ]);
  });
});

describe("a note's author is who acts", () => {
  test('a token naming no provider cannot start, sign or amend a note', async () => {
    const before = await noteCount();
    const { outcome } = await mutate(START, startFor({ subjective: 'x' }), { as: { role: 'clinician', provider: null } });
    expect(outcome).toMatchObject({ __typename: 'ForbiddenError', message: expect.stringContaining('Your token names no provider') });
    expect(await noteCount()).toBe(before);
  });

  test('a token whose provider claim is not a provider id is refused at the gateway', async () => {
    const res = await platform.query('{ __typename }', {}, { as: { role: 'clinician', provider: 'dr-house' } });
    expect(res.status).toBe(401);
  });

  test('a clinician starting a note writes it as themself', async () => {
    const { outcome } = await mutate(START, startFor({ subjective: 'Cough.' }), clinicianOf(visit.other));
    expect(outcome).toMatchObject({ __typename: 'ClinicalNote', author: { id: visit.other }, draftedBy: null });
  });

  test('a clinician cannot start a note as another clinician', async () => {
    const before = await noteCount();
    const { outcome } = await mutate(START, startFor({ authorId: visit.provider, subjective: 'x' }), clinicianOf(visit.other));
    expect(outcome).toMatchObject({ __typename: 'ForbiddenError', field: 'input.authorId' });
    expect(await noteCount()).toBe(before);
  });

  test('a nurse starting a note "by" a made-up provider is refused, with the field at fault, and nothing is written', async () => {
    const before = await noteCount();
    const { outcome } = await mutate(START, startFor({ authorId: MADE_UP, subjective: 'x' }), nurse());
    expect(outcome).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'input.authorId' });
    expect(await noteCount()).toBe(before);
  });

  test('a nurse drafting for a clinician is recorded as the drafter; only that clinician signs, as the signer', async () => {
    const { outcome: draft } = await mutate(
      START,
      startFor({ authorId: visit.provider, subjective: 'Wheeze, better with inhaler.' }),
      nurse(),
    );
    expect(draft).toMatchObject({ author: { id: visit.provider }, draftedBy: { id: visit.nurse }, signedBy: null });
    const id = draft['id'] as string;
    expect(await noteRow(id)).toMatchObject({ author_id: visit.provider, drafted_by: visit.nurse });

    // Neither the nurse (nurses do not sign) nor another clinician signs it.
    expect((await mutate(SIGN, { id, version: 1 }, nurse())).outcome).toMatchObject({ __typename: 'ForbiddenError' });
    const { outcome: refused } = await mutate(SIGN, { id, version: 1 }, clinicianOf(visit.other));
    expect(refused).toMatchObject({ __typename: 'ForbiddenError', message: "Only a note's author signs it" });
    expect(await noteRow(id)).toMatchObject({ status: 'draft', signed_by: null });
    expect(await auditOf(id)).toEqual([
      expect.objectContaining({ action: 'note.sign', outcome: 'denied', role: 'nurse', patient_id: visit.patient }),
      expect.objectContaining({ action: 'note.sign', outcome: 'denied', role: 'clinician', patient_id: visit.patient }),
    ]);

    const { outcome: signed } = await mutate(SIGN, { id, version: 1 }, clinicianOf(visit.provider));
    expect(signed).toMatchObject({ __typename: 'ClinicalNote', status: 'SIGNED', signedBy: { id: visit.provider } });
    expect(await noteRow(id)).toMatchObject({ status: 'signed', signed_by: visit.provider, author_id: visit.provider });
    // The event charge capture receives names the provider who signed.
    const { rows } = await sql<{ payload: { noteId: string; signedBy: string } }>`
      select payload from ehr.outbox where payload->>'noteId' = ${id} and payload->>'addendumId' is null`.execute(platform.owner.db);
    expect(rows.map((r) => r.payload.signedBy)).toEqual([visit.provider]);
  });

  test("a clinician's own note is signed by them and the event says so", async () => {
    const { outcome: draft } = await mutate(START, startFor({ subjective: 'Ankle sprain.' }), clinicianOf(visit.other));
    const { outcome: signed } = await mutate(SIGN, { id: draft['id'], version: 1 }, clinicianOf(visit.other));
    expect(signed).toMatchObject({ status: 'SIGNED', signedBy: { id: visit.other }, author: { id: visit.other } });
    const { rows } = await sql<{ signed_by: string }>`
      select payload->>'signedBy' as signed_by from ehr.outbox
       where payload->>'noteId' = ${draft['id'] as string}`.execute(platform.owner.db);
    expect(rows).toEqual([{ signed_by: visit.other }]);
  });

  test("an addendum's author is the caller's provider; naming another is refused", async () => {
    const { outcome: draft } = await mutate(START, startFor({ subjective: 'Rash.' }), clinicianOf(visit.provider));
    await mutate(SIGN, { id: draft['id'], version: 1 }, clinicianOf(visit.provider));
    const { outcome: addendum } = await mutate(ADDENDUM, { noteId: draft['id'], text: 'Seen again: improving.' }, clinicianOf(visit.other));
    expect(addendum).toMatchObject({ __typename: 'NoteAddendum', author: { id: visit.other } });
    const asSomeoneElse = { noteId: draft['id'], authorId: visit.provider, text: 'As someone else.' };
    const { outcome: refused } = await mutate(ADDENDUM, asSomeoneElse, clinicianOf(visit.other));
    expect(refused).toMatchObject({ __typename: 'ForbiddenError', field: 'input.authorId' });
  });
});
