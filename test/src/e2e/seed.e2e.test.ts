import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// `pnpm start`'s first-run seed with its revenue cycle, read back through the gateway: a seeded
// claim walks to its lines, the procedures they bill and the signed note behind them.

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 40, seed: 5, revenueCycle: true });
});

afterAll(async () => {
  await platform?.stop();
});

const CLAIMS = `query ($id: ID!) { encounter(id: $id) { serviceDate claims { id status totalCharge { amount }
  lines { lineNumber procedureCode { code } serviceDate charge { amount } diagnosisCodes { code } procedure { id note { id signedAt } } } } } }`;

interface ClaimsView {
  encounter: {
    serviceDate: string;
    claims: Array<{
      id: string;
      status: string;
      totalCharge: { amount: string };
      lines: Array<{
        lineNumber: number;
        procedureCode: { code: string };
        serviceDate: string;
        charge: { amount: string };
        diagnosisCodes: Array<{ code: string }>;
        procedure: { id: string; note: { id: string; signedAt: string } | null } | null;
      }>;
    }>;
  };
}

describe('the first-run seed with its revenue cycle', () => {
  test('reports what it wrote, claims and remittances included', () => {
    const seeded = platform.seeded!;
    expect(seeded.patients).toBe(40);
    expect('revenueCycle' in seeded && seeded.revenueCycle.claimLines).toBeGreaterThan(200);
    expect('revenueCycle' in seeded && seeded.revenueCycle.remittances).toBeGreaterThan(0);
  });

  test("shows a seeded visit's eligibility check on its appointment through the gateway", async () => {
    const { rows } = await sql<{ id: string; outcome: string; copay: string | null; checked_at: Date }>`
      select a.id, e.outcome, (e.copay_cents / 100.0)::numeric(12, 2)::text as copay, e.checked_at
        from pms.appointment a
        join pms.eligibility_check e on e.patient_id = a.patient_id and e.date_of_service = (a.starts_at at time zone 'America/New_York')::date
       where a.status = 'completed' and e.copay_cents is not null order by a.id limit 1`.execute(platform.owner.db);
    const seeded = rows[0]!;
    const res = await platform.query<{
      appointment: { eligibility: { outcome: string; adapter: string; copay: { amount: string } | null; checkedAt: string } | null };
    }>(
      'query ($id: ID!) { appointment(id: $id) { eligibility { outcome adapter copay { amount } checkedAt } } }',
      { id: seeded.id },
      { as: { role: 'front_desk' } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.appointment.eligibility).toEqual({
      outcome: seeded.outcome.toUpperCase(),
      adapter: 'built-in',
      copay: { amount: seeded.copay },
      checkedAt: seeded.checked_at.toISOString(),
    });
  });

  test('serves a paid claim through the gateway, each line back to its procedure and signed note', async () => {
    const { rows } = await sql<{ encounter_id: string; id: string; lines: number }>`
      select c.encounter_id, c.id, (select count(*)::int from pms.claim_line l where l.claim_id = c.id) as lines
        from pms.claim c where c.status = 'paid' order by c.id limit 1`.execute(platform.owner.db);
    const paid = rows[0]!;
    const res = await platform.query<ClaimsView>(CLAIMS, { id: paid.encounter_id }, { as: { role: 'biller' } });
    expect(res.errors).toBeUndefined();
    const { encounter } = res.data!;
    const claim = encounter.claims.find((c) => c.id === paid.id)!;
    expect(claim.status).toBe('PAID');
    expect(claim.lines).toHaveLength(paid.lines);
    for (const line of claim.lines) {
      expect(line.serviceDate).toBe(encounter.serviceDate);
      expect(line.diagnosisCodes.length).toBeGreaterThan(0);
      expect(line.procedure?.note?.signedAt).toBeTruthy();
    }
  });
});
