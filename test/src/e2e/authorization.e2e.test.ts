import { POLICY, ROLES, grantedClasses, type DataClass, type Purpose, type Role } from '@chartbridge/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Field- and row-level authorization through the gateway, for every role, purpose and data class.

let platform: TestPlatform;
/** A patient with allergies and a restricted (behavioural-health) note, and another patient. */
const fixture = { patient: '', other: '', encounter: '', restrictedNote: '', otherNote: '' };

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 120, seed: 42 });
  const ehr = platform.ehrDatabase.db;
  // No partner consent for this patient: the matrix's partner rows expect none.
  const { rows } = await sql<{ patient_id: string; note_id: string; encounter_id: string }>`
    select n.patient_id, n.id as note_id, n.encounter_id
      from ehr.clinical_note n
     where n.kind = 'behavioral_health'
       and exists (select 1 from ehr.allergy a where a.patient_id = n.patient_id)
       and not exists (select 1 from pms.consent c where c.patient_id = n.patient_id)
     order by n.id limit 1`.execute(platform.owner.db);
  const chosen = rows[0];
  if (!chosen) throw new Error('the seed has no patient with both an allergy and a restricted note');
  fixture.patient = chosen.patient_id;
  fixture.restrictedNote = chosen.note_id;
  fixture.encounter = chosen.encounter_id;
  const other = await ehr
    .selectFrom('ehr.clinical_note')
    .select(['patient_id', 'id'])
    .where('patient_id', '<>', chosen.patient_id)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  fixture.other = other.patient_id;
  fixture.otherNote = other.id;
});

afterAll(async () => {
  await platform?.stop();
});

/** One query per data class that reads exactly one field of that class about the fixture patient. */
const PROBES: Record<string, { query: () => string; read: (data: Record<string, unknown>) => unknown }> = {
  reference: { query: () => `{ patient(id: "${fixture.patient}") { id } }`, read: (d) => (d['patient'] as { id?: string } | null)?.id },
  demographic: {
    query: () => `{ patient(id: "${fixture.patient}") { name { family } } }`,
    read: (d) => (d['patient'] as { name?: unknown } | null)?.name,
  },
  contact: {
    query: () => `{ patient(id: "${fixture.patient}") { phone } }`,
    read: (d) => (d['patient'] as { phone?: unknown } | null)?.phone,
  },
  clinical: {
    query: () => `{ patient(id: "${fixture.patient}") { allergies { substance } } }`,
    read: (d) => (d['patient'] as { allergies?: unknown } | null)?.allergies,
  },
  clinical_coding: {
    query: () => `{ clinicalNote(id: "${fixture.restrictedNote}") { status } }`,
    read: (d) => (d['clinicalNote'] as { status?: unknown } | null)?.status,
  },
  sensitive_clinical: {
    query: () => `{ clinicalNote(id: "${fixture.restrictedNote}") { subjective } }`,
    read: (d) => (d['clinicalNote'] as { subjective?: unknown } | null)?.subjective,
  },
  coverage: {
    query: () => `{ patient(id: "${fixture.patient}") { coverages { id } } }`,
    read: (d) => (d['patient'] as { coverages?: unknown } | null)?.coverages,
  },
  financial: {
    query: () => `{ patient(id: "${fixture.patient}") { claims { id } } }`,
    read: (d) => (d['patient'] as { claims?: unknown } | null)?.claims,
  },
  operational: {
    query: () => `{ encounter(id: "${fixture.encounter}") { serviceDate } }`,
    read: (d) => (d['encounter'] as { serviceDate?: unknown } | null)?.serviceDate,
  },
  audit: {
    query: () => `{ patient(id: "${fixture.patient}") { disclosures { edges { cursor } } } }`,
    read: (d) => (d['patient'] as { disclosures?: unknown } | null)?.disclosures,
  },
};

/** What the policy says should happen, with the row rule: staff reach all patients, a patient only their own. */
function expectedAllowed(role: Role, purpose: Purpose, dataClass: DataClass): boolean {
  const rows = POLICY[role].rows;
  const reachable = rows === 'all' || rows === 'own';
  return reachable && grantedClasses(role, purpose, false).has(dataClass);
}

const claimsFor = (role: Role, purpose: Purpose) => ({
  role,
  purpose,
  ...(role === 'patient' ? { patient: fixture.patient } : {}),
  ...(role === 'partner' ? { partner: 'acme-labs' } : {}),
});

const MATRIX = ROLES.flatMap((role) =>
  POLICY[role].purposes.flatMap((purpose) => Object.keys(PROBES).map((dataClass) => [role, purpose, dataClass] as const)),
);

describe('the role x purpose x data-class matrix', () => {
  test.each(MATRIX)('%s acting for %s reading %s', async (role, purpose, dataClass) => {
    const probe = PROBES[dataClass]!;
    const res = await platform.query(probe.query(), {}, { as: claimsFor(role, purpose) });
    if (expectedAllowed(role, purpose, dataClass as DataClass)) {
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(probe.read(res.data ?? {})).toBeTruthy();
    } else {
      // Refused by the subgraph at the field (200) or, when certain from the manifest, by the gateway (403).
      expect([200, 403]).toContain(res.status);
      expect(probe.read(res.data ?? {}) ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.['code'])).toContain('FORBIDDEN');
    }
  });

  test('covers every data class a field of the graph declares', async () => {
    const { classifiedDataClasses } = await import('../support/schema-classes.js');
    const unprobed = classifiedDataClasses().filter((c) => !(c in PROBES));
    expect(unprobed).toEqual([]);
  });
});

describe('denied fields and rows', () => {
  test("a biller sees a note's status but not its text, and the rest of the query answers", async () => {
    const res = await platform.query<{
      encounter: { serviceDate: string; notes: Array<{ status: string; assessment: string | null }> | null };
    }>(`{ encounter(id: "${fixture.encounter}") { serviceDate notes { status assessment } } }`, {}, { as: { role: 'biller' } });
    expect(res.data?.encounter.serviceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(res.data?.encounter.notes?.every((n) => n.status && n.assessment === null)).toBe(true);
    expect(res.errors?.every((e) => e.extensions?.['code'] === 'FORBIDDEN' && e.path?.at(-1) === 'assessment')).toBe(true);
  });

  test('a clinician opens a restricted note only by breaking the glass', async () => {
    const query = `{ clinicalNote(id: "${fixture.restrictedNote}") { kind subjective } }`;
    const closed = await platform.query<{ clinicalNote: { kind: string; subjective: string | null } }>(query);
    expect(closed.data?.clinicalNote).toEqual({ kind: 'BEHAVIORAL_HEALTH', subjective: null });
    expect(closed.errors?.[0]?.message).toMatch(/X-Break-Glass-Reason/);
    const opened = await platform.query<{ clinicalNote: { subjective: string } }>(
      query,
      {},
      { headers: { 'x-break-glass-reason': 'Suicide risk assessment in the emergency room' } },
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data?.clinicalNote.subjective).toMatch(/^Patient presents with/);
  });

  describe('a patient', () => {
    const me = () => ({ role: 'patient' as const, patient: fixture.patient });

    test('lists only their own record', async () => {
      const res = await platform.query<{ patients: { edges: Array<{ node: { id: string } }> } }>(
        '{ patients(first: 100) { edges { node { id } } } }',
        {},
        { as: me() },
      );
      expect(res.data?.patients.edges.map((e) => e.node.id)).toEqual([fixture.patient]);
    });

    test('lists only their own encounters', async () => {
      const res = await platform.query<{ encounters: { edges: Array<{ node: { patient: { id: string } } }> } }>(
        '{ encounters(first: 100) { edges { node { patient { id } } } } }',
        {},
        { as: me() },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.encounters.edges.length).toBeGreaterThan(0);
      expect(new Set(res.data?.encounters.edges.map((e) => e.node.patient.id))).toEqual(new Set([fixture.patient]));
    });

    test.each([
      ['another patient', () => `{ patient(id: "${fixture.other}") { id name { family } } }`, 'patient'],
      ["another patient's encounters", () => `{ encounters(patientId: "${fixture.other}") { edges { cursor } } }`, 'encounters'],
      ["another patient's note", () => `{ clinicalNote(id: "${fixture.otherNote}") { id status } }`, 'clinicalNote'],
    ])('asking for %s gets FORBIDDEN, not an empty success', async (_case, query, field) => {
      const res = await platform.query(query(), {}, { as: me() });
      expect(res.errors).toEqual([
        expect.objectContaining({ path: [field], extensions: { code: 'FORBIDDEN', serviceName: expect.any(String) } }),
      ]);
    });
  });

  test.each(['analyst', 'compliance', 'admin'] as const)('the %s role cannot list patients', async (role) => {
    const res = await platform.query('{ patients { edges { node { id } } } }', {}, { as: claimsFor(role, POLICY[role].purposes[0]) });
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe("the gateway's early refusal", () => {
  test('refuses before planning an operation whose every data field is denied, calling no subgraph', async () => {
    const before = platform.pmsDatabase.statements.count + platform.ehrDatabase.statements.count;
    const res = await platform.query(
      `{ patient(id: "${fixture.patient}") { phone allergies { substance } } }`,
      {},
      { as: { role: 'analyst' } },
    );
    expect(res.status).toBe(403);
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/denied to the analyst role for OPERATIONS: Allergy.substance, Patient.allergies, Patient.phone/),
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
    expect(platform.pmsDatabase.statements.count + platform.ehrDatabase.statements.count).toBe(before);
  });

  test('lets through an operation with one field that may be allowed, and the subgraphs decide field by field', async () => {
    const res = await platform.query(
      `{ encounter(id: "${fixture.encounter}") { serviceDate notes { assessment } } }`,
      {},
      { as: { role: 'biller' } },
    );
    expect(res.status).toBe(200);
    expect((res.data as { encounter: { serviceDate: string } }).encounter.serviceDate).toBeTruthy();
  });
});
