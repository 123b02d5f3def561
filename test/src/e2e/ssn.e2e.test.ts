import { SyntheticPractice, type SeedSsn } from '@chartbridge/db';
import type { Purpose, Role } from '@chartbridge/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditRecords } from '../support/audit.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Patients' SSNs through the gateway: sealed at rest, in full only for callers who hold the
// sensitive_identifier class (and audited as such), masked for other staff, refused to roles that
// reach no patient row.

const PATIENTS = 40;
const SEED = 17;

let platform: TestPlatform;
/** The SSNs the seed sealed, in clear, regenerated from the same deterministic practice. */
let seeded: SeedSsn[];
const fixture = { patient: '', ssn: '', withoutSsn: '', other: '', otherSsn: '' };

beforeAll(async () => {
  platform = await startTestPlatform({ patients: PATIENTS, seed: SEED });
  const batches = [...new SyntheticPractice({ patients: PATIENTS, seed: SEED }).batches()];
  seeded = batches.flatMap((b) => b.ssns);
  const [first, second] = seeded;
  const without = batches.flatMap((b) => b.patients).find((p) => !seeded.some((s) => s.patientId === p.id));
  if (!first || !second || !without) throw new Error('the seed has too few patients with and without an SSN');
  Object.assign(fixture, {
    patient: first.patientId,
    ssn: first.ssn,
    withoutSsn: without.id,
    other: second.patientId,
    otherSsn: second.ssn,
  });
});

afterAll(async () => {
  await platform?.stop();
});

const SSN_QUERY = (id: string) => `{ patient(id: "${id}") { id ssn } }`;
type SsnData = { patient: { id: string; ssn: string | null } | null };
const masked = (ssn: string) => `***-**-${ssn.slice(-4)}`;

const eventsOf = (requestId: string) => auditRecords(platform, { tag: requestId });

describe('Patient.ssn', () => {
  test('a biller, acting for payment, sees the full SSN', async () => {
    const res = await platform.query<SsnData>(SSN_QUERY(fixture.patient), {}, { as: { role: 'biller' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient).toEqual({ id: fixture.patient, ssn: fixture.ssn });
    expect(fixture.ssn).toMatch(/^\d{3}-\d{2}-\d{4}$/);
  });

  test('a clinician sees only the last four digits', async () => {
    const res = await platform.query<SsnData>(SSN_QUERY(fixture.patient), {}, { as: { role: 'clinician' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient?.ssn).toBe(masked(fixture.ssn));
    expect(res.data?.patient?.ssn).toMatch(/^\*\*\*-\*\*-\d{4}$/);
  });

  // Who gets the full number follows the policy's sensitive_identifier grant, purpose by purpose.
  test.each([
    ['biller', 'PAYMENT', 'full'],
    ['front_desk', 'OPERATIONS', 'full'],
    ['front_desk', 'PAYMENT', 'masked'],
    ['clinician', 'TREATMENT', 'masked'],
    ['nurse', 'TREATMENT', 'masked'],
  ] as const)('a %s acting for %s sees it %s', async (role: Role, purpose: Purpose, shown) => {
    const res = await platform.query<SsnData>(SSN_QUERY(fixture.patient), {}, { as: { role, purpose } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient?.ssn).toBe(shown === 'full' ? fixture.ssn : masked(fixture.ssn));
  });

  test('a patient sees their own SSN masked', async () => {
    const res = await platform.query<SsnData>(SSN_QUERY(fixture.patient), {}, { as: { role: 'patient', patient: fixture.patient } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient?.ssn).toBe(masked(fixture.ssn));
  });

  test('an analyst is refused with FORBIDDEN, and the response holds no digit of it', async () => {
    const res = await platform.query<SsnData>(SSN_QUERY(fixture.patient), {}, { as: { role: 'analyst' } });
    expect(res.data?.patient ?? null).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(res)).not.toContain(fixture.ssn.slice(-4));
  });

  test('is null, without an error, for a patient registered without one', async () => {
    const res = await platform.query<SsnData>(SSN_QUERY(fixture.withoutSsn), {}, { as: { role: 'biller' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient).toEqual({ id: fixture.withoutSsn, ssn: null });
  });

  test('a list gives every patient their own SSN: each ciphertext opens on its own row', async () => {
    const res = await platform.query<{ patients: { edges: Array<{ node: { id: string; ssn: string | null } }> } }>(
      '{ patients(first: 100) { edges { node { id ssn } } } }',
      {},
      { as: { role: 'biller' } },
    );
    expect(res.errors).toBeUndefined();
    const shown = new Map(res.data?.patients.edges.map((e) => [e.node.id, e.node.ssn]));
    expect(shown.size).toBe(PATIENTS);
    const expected = new Map([...shown.keys()].map((id) => [id, seeded.find((s) => s.patientId === id)?.ssn ?? null]));
    expect(shown).toEqual(expected);
  });
});

describe('at rest', () => {
  test('no column of the patient table holds an SSN in clear, with or without dashes', async () => {
    const { rows } = await sql<{ row: string }>`select row_to_json(p)::text as row from pms.patient p`.execute(platform.owner.db);
    expect(rows).toHaveLength(PATIENTS);
    const table = rows.map((r) => r.row).join('\n');
    const leaked = seeded.filter(({ ssn }) => table.includes(ssn) || table.includes(ssn.replaceAll('-', '')));
    expect(leaked).toEqual([]);
  });

  test('each SSN is sealed under the key named beside it', async () => {
    const { rows } = await sql<{ ssn_ciphertext: string; ssn_key_id: string }>`
      select ssn_ciphertext, ssn_key_id from pms.patient where ssn_ciphertext is not null`.execute(platform.owner.db);
    expect(rows).toHaveLength(seeded.length);
    for (const row of rows) {
      expect(row.ssn_key_id).toBe('test');
      expect(row.ssn_ciphertext).toMatch(/^v1\.test\.[\w-]{16}\.[\w-]{22}\.[\w-]{15}$/);
    }
  });

  test('the database refuses a ciphertext whose key id disagrees with its column', async () => {
    const update = sql`update pms.patient set ssn_key_id = 'other' where id = ${fixture.patient}`.execute(platform.owner.db);
    await expect(update).rejects.toThrow(/patient_ssn_key_check/);
    const half = sql`update pms.patient set ssn_key_id = null where id = ${fixture.patient}`.execute(platform.owner.db);
    await expect(half).rejects.toThrow(/patient_ssn_sealed_check/);
  });

  test("a ciphertext copied onto another patient's row does not open there", async () => {
    const { rows } = await sql<{ ssn_ciphertext: string; ssn_key_id: string }>`
      select ssn_ciphertext, ssn_key_id from pms.patient where id = ${fixture.other}`.execute(platform.owner.db);
    const original = rows[0]!;
    await sql`
      update pms.patient set (ssn_ciphertext, ssn_key_id) = (select ssn_ciphertext, ssn_key_id from pms.patient where id = ${fixture.patient})
       where id = ${fixture.other}`.execute(platform.owner.db);
    try {
      const res = await platform.query<SsnData>(SSN_QUERY(fixture.other), {}, { as: { role: 'biller' } });
      expect(res.data?.patient).toEqual({ id: fixture.other, ssn: null });
      expect(res.errors).toEqual([expect.objectContaining({ message: 'Unexpected error', path: ['patient', 'ssn'] })]);
      expect(JSON.stringify(res)).not.toContain(fixture.ssn.slice(-4));
    } finally {
      await sql`update pms.patient set ssn_ciphertext = ${original.ssn_ciphertext}, ssn_key_id = ${original.ssn_key_id} where id = ${fixture.other}`.execute(
        platform.owner.db,
      );
    }
    const restored = await platform.query<SsnData>(SSN_QUERY(fixture.other), {}, { as: { role: 'biller' } });
    expect(restored.data?.patient?.ssn).toBe(fixture.otherSsn);
  });
});

describe('the audit trail', () => {
  test('records sensitive_identifier when a biller is shown the full SSN', async () => {
    await platform.query(SSN_QUERY(fixture.patient), {}, { as: { role: 'biller' }, headers: { 'x-request-id': 'ssn-biller' } });
    const events = await eventsOf('ssn-biller');
    expect(events.map((e) => [e.chain, e.action, e.outcome, e.patient_id, e.data_classes])).toEqual([
      ['gateway', 'graphql.request', 'success', null, []],
      ['pms', 'patient.access', 'success', fixture.patient, ['demographic', 'reference', 'sensitive_identifier']],
    ]);
    expect(events[1]).toMatchObject({ role: 'biller', purpose: 'PAYMENT', break_glass: false });
  });

  test('records no sensitive_identifier when a clinician is shown the masked form', async () => {
    await platform.query(SSN_QUERY(fixture.patient), {}, { headers: { 'x-request-id': 'ssn-clinician' } });
    const pms = (await eventsOf('ssn-clinician')).find((e) => e.chain === 'pms');
    expect(pms?.data_classes).toEqual(['demographic', 'reference']);
  });

  test('holds no SSN in clear', async () => {
    const { rows } = await sql<{ row: string }>`select row_to_json(e)::text as row from audit.event e`.execute(platform.owner.db);
    const trail = rows.map((r) => r.row).join('\n');
    expect(seeded.filter(({ ssn }) => trail.includes(ssn) || trail.includes(ssn.replaceAll('-', '')))).toEqual([]);
  });
});
