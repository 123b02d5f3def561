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
import { startTestPlatformRelayingByHand, type TestPlatform } from '../support/test-platform.js';

// Payments and A/R end to end through the gateway: a documented visit becomes a claim, a biller
// submits it and posts the payer's remittance; balances follow to the cent, the same trace posts
// once (even concurrently), denials land on the work queue and are appealed.

let platform: TestPlatform;
interface Visit {
  readonly encounter: string;
  readonly patient: string;
  readonly provider: string;
}
interface Billed {
  readonly claimId: string;
  readonly payerId: string;
  readonly visit: Visit;
}

const run = mutationsOn(() => platform);
const biller = BILLER;
// The front desk takes payments under the PAYMENT purpose, which opens the amounts of a patient's account.
const frontDesk = { as: { role: 'front_desk' as const, purpose: 'PAYMENT' as const } };

const REMIT = `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) {
  __typename ... on Remittance { id traceNumber totalPaid { amount } lines { lineNumber paid { amount } denied adjustments { group reason amount { amount } } } }
  ... on Error { message code field } } }`;
const PAY = `mutation ($input: PostPatientPaymentInput!) { postPatientPayment(input: $input) { __typename ... on PatientPayment { id amount { amount } claim { id } } ... on Error { message code field } } }`;
const APPEAL = `mutation ($input: AppealClaimInput!) { appealClaim(input: $input) { __typename ... on Claim { id status } ... on Error { message code field } } }`;
const BALANCE = `balance { charge { amount } payerPaid { amount } adjusted { amount } patientResponsibility { amount } patientPaid { amount } onAccount { amount } balance { amount } patientBalance { amount } insuranceBalance { amount } }`;
const CLAIM = `query ($id: ID!) { claim(id: $id) { id status adjudicatedAt ${BALANCE} denials { lineNumber group reason amount { amount } } appeals { reason }
  lines { lineNumber adjudications { paid { amount } denied } } } }`;

interface BalanceView {
  charge: { amount: string };
  payerPaid: { amount: string };
  adjusted: { amount: string };
  patientResponsibility: { amount: string };
  patientPaid: { amount: string };
  onAccount: { amount: string };
  balance: { amount: string };
  patientBalance: { amount: string };
  insuranceBalance: { amount: string };
}
interface ClaimView {
  id: string;
  status: string;
  adjudicatedAt: string | null;
  balance: BalanceView;
  denials: Array<{ lineNumber: number; group: string; reason: string; amount: { amount: string } }>;
  appeals: Array<{ reason: string }>;
  lines: Array<{ lineNumber: number; adjudications: Array<{ paid: { amount: string }; denied: boolean }> }>;
}

async function claimView(id: string): Promise<ClaimView> {
  const res = await platform.query<{ claim: ClaimView }>(CLAIM, { id }, biller);
  expect(res.errors).toBeUndefined();
  return res.data!.claim;
}

const amounts = (b: BalanceView) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.amount]));

/** Documents a visit (one office visit, 99213 at 125.00), signs it and relays the event; returns the draft claim. */
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
  await run(SIGN_NOTE, { id: note['id'], version: 1 }, clinicianOf(visit.provider));
  expect(await platform.relayOutboxOnce()).toMatchObject({ published: 1, failed: 0 });
  const { rows } = await sql<{ id: string }>`select id from pms.claim where encounter_id = ${visit.encounter}`.execute(platform.owner.db);
  return rows[0]!.id;
}

/** A documented visit's claim, submitted. */
async function billedVisit(visit: Visit): Promise<Billed> {
  const claimId = await documentedClaim(visit);
  expect(await run(SUBMIT_CLAIM, { claimId }, biller)).toMatchObject({ __typename: 'Claim', status: 'SUBMITTED' });
  const { rows: billed } = await sql<{ payer_id: string }>`select payer_id from pms.claim where id = ${claimId}`.execute(platform.owner.db);
  return { claimId, payerId: billed[0]!.payer_id, visit };
}

/** 125.00 charged, 100.00 allowed, 80.00 paid, CO-45 25.00 written off, PR-2 20.00 coinsurance. */
const PAID_LINE = {
  lineNumber: 1,
  allowed: '100.00',
  paid: '80.00',
  patientResponsibility: '20.00',
  adjustments: [
    { group: 'CO', reason: '45', amount: '25.00' },
    { group: 'PR', reason: '2', amount: '20.00' },
  ],
};
/** Denied: CO-97 (the benefit is included in another service's payment) for the whole charge. */
const DENIED_LINE = { lineNumber: 1, allowed: '0.00', paid: '0.00', adjustments: [{ group: 'CO', reason: '97', amount: '125.00' }] };

const remittance = (billed: Billed, trace: string, line: Record<string, unknown>, paymentDate = '2026-11-01') => ({
  payerId: billed.payerId,
  traceNumber: trace,
  paymentDate,
  claims: [{ claimId: billed.claimId, lines: [line] }],
});

async function paymentRowCounts(): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*)::int from pms.remittance) as remittances, (select count(*)::int from pms.remittance_line) as lines,
           (select count(*)::int from pms.remittance_adjustment) as adjustments, (select count(*)::int from pms.patient_payment) as payments,
           (select count(*)::int from pms.claim_appeal) as appeals`.execute(platform.owner.db);
  return rows[0]!;
}

let visits: Visit[] = [];

beforeAll(async () => {
  platform = await startTestPlatformRelayingByHand({ patients: 40, seed: 43 });
  // Signed-off seeded encounters of distinct patients with a primary coverage in force, and no claim yet.
  const { rows } = await sql<Visit>`
    select distinct on (e.patient_id) e.id as encounter, e.patient_id as patient, e.provider_id as provider from pms.encounter e
     where not exists (select 1 from ehr.clinical_note n where n.encounter_id = e.id and n.status = 'draft')
       and not exists (select 1 from pms.claim k where k.encounter_id = e.id)
       and exists (select 1 from pms.coverage c where c.patient_id = e.patient_id and c.rank = 'primary'
                    and c.effective_from <= e.service_date and (c.effective_to is null or e.service_date <= c.effective_to))
     order by e.patient_id, e.id limit 8`.execute(platform.owner.db);
  visits = rows;
  expect(visits.length).toBe(8);
});

afterAll(async () => {
  await platform?.stop();
});

describe('postRemittance and balances', () => {
  test('a paid line leaves the coinsurance to the patient; the patient pays it and the claim owes nothing', async () => {
    const billed = await billedVisit(visits[0]!);
    const posted = await run(REMIT, remittance(billed, 'EFT-1001', PAID_LINE), biller);
    expect(posted).toMatchObject({
      __typename: 'Remittance',
      traceNumber: 'EFT-1001',
      totalPaid: { amount: '80.00' },
      lines: [{ lineNumber: 1, paid: { amount: '80.00' }, denied: false }],
    });

    const view = await claimView(billed.claimId);
    expect(view.status).toBe('PAID');
    expect(view.adjudicatedAt).not.toBeNull();
    expect(amounts(view.balance)).toEqual({
      charge: '125.00',
      payerPaid: '80.00',
      adjusted: '25.00',
      patientResponsibility: '20.00',
      patientPaid: '0.00',
      onAccount: '0.00',
      balance: '20.00',
      patientBalance: '20.00',
      insuranceBalance: '0.00',
    });

    const payment = await run(
      PAY,
      { patientId: billed.visit.patient, claimId: billed.claimId, amount: '20.00', method: 'CARD', receivedOn: '2026-11-05' },
      frontDesk,
    );
    expect(payment).toMatchObject({ __typename: 'PatientPayment', amount: { amount: '20.00' }, claim: { id: billed.claimId } });
    expect(amounts((await claimView(billed.claimId)).balance)).toMatchObject({
      balance: '0.00',
      patientBalance: '0.00',
      patientPaid: '20.00',
    });

    const { rows: audit } = await sql<{ action: string; outcome: string }>`
      select action, outcome from audit.event where chain = 'pms' and patient_id = ${billed.visit.patient} and action in ('remittance.post', 'patient_payment.post') order by seq`.execute(
      platform.owner.db,
    );
    expect(audit).toEqual([
      { action: 'remittance.post', outcome: 'success' },
      { action: 'patient_payment.post', outcome: 'success' },
    ]);
  });

  test("the encounter's and the patient's balances add their claims and take off payments on account", async () => {
    const billed = await billedVisit(visits[1]!);
    await run(REMIT, remittance(billed, 'EFT-2001', PAID_LINE), biller);
    const onAccount = await run(
      PAY,
      { patientId: billed.visit.patient, amount: '5.50', method: 'CASH', receivedOn: '2026-11-02' },
      frontDesk,
    );
    expect(onAccount).toMatchObject({ __typename: 'PatientPayment', claim: null });

    const res = await platform.query<{ encounter: { balance: BalanceView; patient: { balance: BalanceView } } }>(
      `query ($id: ID!) { encounter(id: $id) { ${BALANCE} patient { ${BALANCE} } } }`,
      { id: billed.visit.encounter },
      biller,
    );
    expect(res.errors).toBeUndefined();
    expect(amounts(res.data!.encounter.balance)).toMatchObject({ balance: '20.00', patientBalance: '20.00', onAccount: '0.00' });
    // 20.00 coinsurance less 5.50 on account.
    expect(amounts(res.data!.encounter.patient.balance)).toMatchObject({ balance: '14.50', patientBalance: '14.50', onAccount: '5.50' });
  });

  test('the same trace posts once: a replay returns the first posting, other content is a CONFLICT', async () => {
    const billed = await billedVisit(visits[2]!);
    const first = await run(REMIT, remittance(billed, 'EFT-3001', PAID_LINE), biller);
    const before = await paymentRowCounts();
    const again = await run(REMIT, remittance(billed, 'EFT-3001', PAID_LINE), biller);
    expect(again['id']).toBe(first['id']);
    const changed = await run(
      REMIT,
      remittance(billed, 'EFT-3001', {
        ...PAID_LINE,
        paid: '79.99',
        adjustments: [{ group: 'CO', reason: '45', amount: '25.01' }, PAID_LINE.adjustments[1]],
      }),
      biller,
    );
    expect(changed).toMatchObject({ __typename: 'ConflictError', field: 'input.traceNumber' });
    expect(await paymentRowCounts()).toEqual(before);
  });

  test('twelve concurrent postings of one trace post it once', async () => {
    const billed = await billedVisit(visits[3]!);
    const before = await paymentRowCounts();
    const results = await Promise.all(Array.from({ length: 12 }, () => run(REMIT, remittance(billed, 'EFT-4001', PAID_LINE), biller)));
    expect(new Set(results.map((r) => r.__typename))).toEqual(new Set(['Remittance']));
    expect(new Set(results.map((r) => r['id'])).size).toBe(1);
    const after = await paymentRowCounts();
    expect(after['remittances']).toBe(before['remittances']! + 1);
    expect(after['lines']).toBe(before['lines']! + 1);
    expect(after['adjustments']).toBe(before['adjustments']! + 2);
    expect((await claimView(billed.claimId)).status).toBe('PAID');
  });

  test('a denial goes to the work queue with its reason, is appealed, and the next remittance pays it', async () => {
    const billed = await billedVisit(visits[4]!);
    await run(REMIT, remittance(billed, 'EFT-5001', DENIED_LINE), biller);
    let view = await claimView(billed.claimId);
    expect(view.status).toBe('DENIED');
    expect(view.denials).toEqual([{ lineNumber: 1, group: 'CO', reason: '97', amount: { amount: '125.00' } }]);
    // The denied amount stays open, owed by the payer, until the appeal is decided.
    expect(amounts(view.balance)).toMatchObject({
      balance: '125.00',
      insuranceBalance: '125.00',
      patientBalance: '0.00',
      adjusted: '0.00',
    });

    const queue = await platform.query<{ deniedClaims: { edges: Array<{ node: { id: string } }> } }>(
      `{ deniedClaims(first: 100) { edges { node { id } } } }`,
      {},
      biller,
    );
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.deniedClaims.edges.map((e) => e.node.id)).toContain(billed.claimId);

    expect(
      await run(APPEAL, { claimId: billed.claimId, reason: 'The visit was separately identifiable; notes attached.' }, biller),
    ).toMatchObject({ __typename: 'Claim', status: 'APPEALED' });
    expect(await run(APPEAL, { claimId: billed.claimId, reason: 'again' }, biller)).toMatchObject({
      __typename: 'ConflictError',
      field: 'input.claimId',
    });

    await run(REMIT, remittance(billed, 'EFT-5002', PAID_LINE, '2026-11-10'), biller);
    view = await claimView(billed.claimId);
    expect(view.status).toBe('PAID');
    expect(view.denials).toEqual([]);
    expect(view.appeals).toHaveLength(1);
    expect(view.lines[0]!.adjudications.map((a) => a.denied)).toEqual([true, false]);
    expect(amounts(view.balance)).toMatchObject({ balance: '20.00', payerPaid: '80.00', adjusted: '25.00', insuranceBalance: '0.00' });
    const after = await platform.query<{ deniedClaims: { edges: Array<{ node: { id: string } }> } }>(
      `{ deniedClaims(first: 100) { edges { node { id } } } }`,
      {},
      biller,
    );
    expect(after.data!.deniedClaims.edges.map((e) => e.node.id)).not.toContain(billed.claimId);
  });
});

describe('reversals', () => {
  test("a payer's reversal takes back the payment; the corrected payment that follows settles the claim", async () => {
    const billed = await billedVisit(visits[7]!);
    const reverse = (trace: string) => ({
      payerId: billed.payerId,
      traceNumber: trace,
      paymentDate: '2026-11-12',
      claims: [{ claimId: billed.claimId, reversal: true, lines: [] }],
    });
    expect(await run(REMIT, reverse('REV-0'), biller)).toMatchObject({ __typename: 'ConflictError', field: 'input.claims.0.claimId' });
    await run(REMIT, remittance(billed, 'EFT-7001', PAID_LINE), biller);

    const reversal = await run(REMIT, reverse('REV-7001'), biller);
    expect(reversal).toMatchObject({
      __typename: 'Remittance',
      totalPaid: { amount: '-80.00' },
      lines: [{ lineNumber: 1, paid: { amount: '-80.00' }, denied: false }],
    });
    let view = await claimView(billed.claimId);
    expect(view.status).toBe('ACCEPTED');
    expect(amounts(view.balance)).toMatchObject({
      payerPaid: '0.00',
      adjusted: '0.00',
      patientResponsibility: '0.00',
      balance: '125.00',
      insuranceBalance: '125.00',
    });
    // Nothing left in force to reverse.
    expect(await run(REMIT, reverse('REV-7002'), biller)).toMatchObject({ __typename: 'ConflictError', field: 'input.claims.0.claimId' });

    // Corrected: 110.00 allowed, 90.00 paid, CO-45 15.00, PR-2 20.00.
    const corrected = {
      lineNumber: 1,
      allowed: '110.00',
      paid: '90.00',
      patientResponsibility: '20.00',
      adjustments: [
        { group: 'CO', reason: '45', amount: '15.00' },
        { group: 'PR', reason: '2', amount: '20.00' },
      ],
    };
    await run(REMIT, remittance(billed, 'EFT-7003', corrected, '2026-11-13'), biller);
    view = await claimView(billed.claimId);
    expect(view.status).toBe('PAID');
    expect(amounts(view.balance)).toMatchObject({
      payerPaid: '90.00',
      adjusted: '15.00',
      patientResponsibility: '20.00',
      balance: '20.00',
      insuranceBalance: '0.00',
    });
    expect(view.lines[0]!.adjudications.map((a) => a.paid.amount)).toEqual(['80.00', '-80.00', '90.00']);
  });

  test('a reversal gives no lines', async () => {
    const claimId = visits[0]!.encounter;
    const res = await run(
      REMIT,
      {
        payerId: '00000000-0000-4000-8000-000000000000',
        traceNumber: 'REV-X',
        paymentDate: '2026-11-12',
        claims: [{ claimId, reversal: true, lines: [PAID_LINE] }],
      },
      biller,
    );
    expect(res).toMatchObject({ __typename: 'ValidationError', field: 'input.claims.0.lines' });
  });
});

describe('bad input changes nothing', () => {
  let billed: Billed;
  beforeAll(async () => {
    billed = await billedVisit(visits[5]!);
  });

  const line = (change: Record<string, unknown>) => ({ ...PAID_LINE, ...change });
  test.each<[string, (b: Billed) => Record<string, unknown>, string, string]>([
    [
      'an unknown payer',
      (b) => ({ ...remittance(b, 'BAD-1', PAID_LINE), payerId: '00000000-0000-4000-8000-000000000000' }),
      'NotFoundError',
      'input.payerId',
    ],
    ['a malformed trace number', (b) => remittance(b, 'no spaces', PAID_LINE), 'ValidationError', 'input.traceNumber'],
    ['a payment date in the future', (b) => remittance(b, 'BAD-2', PAID_LINE, '2999-01-01'), 'ValidationError', 'input.paymentDate'],
    [
      'an unknown claim',
      (b) => ({ ...remittance(b, 'BAD-3', PAID_LINE), claims: [{ claimId: '00000000-0000-4000-8000-000000000000', lines: [PAID_LINE] }] }),
      'NotFoundError',
      'input.claims.0.claimId',
    ],
    ['fractional cents', (b) => remittance(b, 'BAD-4', line({ paid: '80.005' })), 'ValidationError', 'input.claims.0.lines.0.paid'],
    ['a negative amount', (b) => remittance(b, 'BAD-5', line({ allowed: '-1.00' })), 'ValidationError', 'input.claims.0.lines.0.allowed'],
    [
      'a line that does not balance',
      (b) => remittance(b, 'BAD-6', line({ paid: '70.00' })),
      'ValidationError',
      'input.claims.0.lines.0.adjustments',
    ],
    [
      'an unknown line number',
      (b) => remittance(b, 'BAD-7', line({ lineNumber: 9 })),
      'ValidationError',
      'input.claims.0.lines.0.lineNumber',
    ],
    [
      'a reason that is not a CARC',
      (b) => remittance(b, 'BAD-8', line({ adjustments: [{ group: 'CO', reason: 'ABC', amount: '25.00' }, PAID_LINE.adjustments[1]] })),
      'ValidationError',
      'input.claims.0.lines.0.adjustments.0.reason',
    ],
  ])('%s', async (_name, input, typename, field) => {
    const before = await paymentRowCounts();
    expect(await run(REMIT, input(billed), biller)).toMatchObject({ __typename: typename, field });
    expect(await paymentRowCounts()).toEqual(before);
    expect((await claimView(billed.claimId)).status).toBe('SUBMITTED');
  });

  test("a remittance for another payer's claim", async () => {
    const { rows } = await sql<{ id: string }>`select id from pms.payer where id <> ${billed.payerId} limit 1`.execute(platform.owner.db);
    const before = await paymentRowCounts();
    expect(await run(REMIT, { ...remittance(billed, 'BAD-9', PAID_LINE), payerId: rows[0]!.id }, biller)).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.claims.0.claimId',
    });
    expect(await paymentRowCounts()).toEqual(before);
  });

  test('a claim in the wrong state (a draft) is a CONFLICT', async () => {
    const draft: Billed = { ...billed, claimId: await documentedClaim(visits[6]!) };
    const before = await paymentRowCounts();
    expect(await run(REMIT, remittance(draft, 'BAD-10', PAID_LINE), biller)).toMatchObject({
      __typename: 'ConflictError',
      field: 'input.claims.0.claimId',
    });
    expect(await paymentRowCounts()).toEqual(before);
    expect((await claimView(draft.claimId)).status).toBe('DRAFT');
  });

  test('only billers post remittances: a front desk user is refused and the refusal audited', async () => {
    const before = await paymentRowCounts();
    expect(await run(REMIT, remittance(billed, 'BAD-11', PAID_LINE), frontDesk)).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect(await paymentRowCounts()).toEqual(before);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from audit.event where action = 'remittance.post' and outcome = 'denied'`.execute(platform.owner.db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  test.each<[string, (b: Billed) => Record<string, unknown>, string, string]>([
    [
      'more than the claim owes',
      (b) => ({ patientId: b.visit.patient, claimId: b.claimId, amount: '125.01', method: 'CASH', receivedOn: '2026-11-01' }),
      'ValidationError',
      'input.amount',
    ],
    [
      'a zero amount',
      (b) => ({ patientId: b.visit.patient, amount: '0.00', method: 'CASH', receivedOn: '2026-11-01' }),
      'ValidationError',
      'input.amount',
    ],
    [
      'fractional cents',
      (b) => ({ patientId: b.visit.patient, amount: '1.001', method: 'CASH', receivedOn: '2026-11-01' }),
      'ValidationError',
      'input.amount',
    ],
    [
      "another patient's claim",
      (b) => ({ patientId: visits[0]!.patient, claimId: b.claimId, amount: '1.00', method: 'CASH', receivedOn: '2026-11-01' }),
      'ValidationError',
      'input.claimId',
    ],
    [
      'an unknown patient',
      () => ({ patientId: '00000000-0000-4000-8000-000000000000', amount: '1.00', method: 'CASH', receivedOn: '2026-11-01' }),
      'NotFoundError',
      'input.patientId',
    ],
    [
      'a date in the future',
      (b) => ({ patientId: b.visit.patient, amount: '1.00', method: 'CASH', receivedOn: '2999-01-01' }),
      'ValidationError',
      'input.receivedOn',
    ],
  ])('a patient payment of %s', async (_name, input, typename, field) => {
    const before = await paymentRowCounts();
    expect(await run(PAY, input(billed), frontDesk)).toMatchObject({ __typename: typename, field });
    expect(await paymentRowCounts()).toEqual(before);
  });

  test('the front desk acting for OPERATIONS takes no payment: FORBIDDEN naming the purpose, no amount disclosed, nothing written, audited', async () => {
    const before = await paymentRowCounts();
    const operations = { as: { role: 'front_desk' as const, purpose: 'OPERATIONS' as const } };
    // More than the claim owes: acting for PAYMENT this names the balance; acting for OPERATIONS it must not.
    const input = { patientId: billed.visit.patient, claimId: billed.claimId, amount: '125.01', method: 'CASH', receivedOn: '2026-11-01' };
    const refused = await run(PAY, input, operations);
    expect(refused).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
      message: 'You may not post patient payments acting for OPERATIONS',
    });
    expect(String(refused['message'])).not.toMatch(/\d/);
    expect(await paymentRowCounts()).toEqual(before);
    const { rows } = await sql<{ outcome: string; patient_id: string | null; data_classes: string[] }>`
      select outcome, patient_id, data_classes from audit.event where chain = 'pms' and action = 'patient_payment.post' and role = 'front_desk' and purpose = 'OPERATIONS'
       order by seq desc limit 1`.execute(platform.owner.db);
    expect(rows).toEqual([{ outcome: 'denied', patient_id: billed.visit.patient, data_classes: ['financial'] }]);
    expect(await run(PAY, input, frontDesk)).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringMatching(/^The claim owes \d+\.\d\d/),
    });
  });

  test('the denial queue is for billers', async () => {
    const res = await platform.query(`{ deniedClaims(first: 5) { edges { node { id } } } }`, {}, frontDesk);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
