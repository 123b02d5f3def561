import type { ClaimAppealRow, PatientPaymentRow, RemittanceAdjustmentRow, RemittanceLineRow, RemittanceRow } from '@chartbridge/db';
import {
  connectionType,
  dateInZone,
  forbidden,
  money,
  moneyType,
  mutationResult,
  pageRequest,
  parseId,
  toConnection,
} from '@chartbridge/kit';
import { builder } from '../builder.js';
import { claimById, claimLinesByClaimId } from '../data/claim.loaders.js';
import { payerById } from '../data/coverage.loaders.js';
import {
  adjustmentsByRemittanceLineId,
  appealsByClaimId,
  loadClaimBalance,
  loadEncounterBalance,
  loadPatientBalance,
  patientPaymentsByClaimId,
  remittanceById,
  remittanceLinesByClaimId,
  remittanceLinesByRemittanceId,
  type AccountBalance,
} from '../data/payment.loaders.js';
import { findDeniedClaims } from '../data/payment.repository.js';
import { appealClaim, postPatientPayment, postRemittance } from '../services/payment.service.js';
import { Claim, ClaimLine } from './claim.js';
import { learnConsents } from './consent-scope.js';
import { Payer } from './coverage.js';
import { Encounter } from './encounter.js';
import { Patient } from './patient.js';

const MoneyType = moneyType(builder);

const AdjustmentGroup = builder.enumType('AdjustmentGroup', {
  description: 'Claim adjustment group codes (X12 835 CAS01).',
  values: {
    CO: { description: 'Contractual obligation: the provider writes it off.' },
    PR: { description: 'Patient responsibility: deductible, coinsurance, copay; billed to the patient.' },
    OI: { description: 'Other insurance is responsible.' },
    PI: { description: 'Payer initiated reduction.' },
  } as const,
});

const PaymentMethod = builder.enumType('PaymentMethod', {
  values: { CASH: { value: 'cash' }, CHECK: { value: 'check' }, CARD: { value: 'card' }, OTHER: { value: 'other' } } as const,
});

const Adjustment = builder.objectRef<RemittanceAdjustmentRow>('Adjustment').implement({
  description: "A payer's adjustment of a line: group code, CARC reason and amount.",
  fields: (t) => ({
    group: t.field({ type: AdjustmentGroup, nullable: false, dataClass: 'financial', resolve: (a) => a.group_code }),
    reason: t.exposeString('reason_code', {
      nullable: false,
      dataClass: 'financial',
      description: 'The Claim Adjustment Reason Code (CARC), e.g. `45`, `97`.',
    }),
    amount: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (a) => money(a.amount_cents) }),
  }),
});

type Adjudication = RemittanceLineRow & { readonly patient_id: string };

const LineAdjudication = builder.objectRef<Adjudication>('LineAdjudication');
const Remittance = builder.objectRef<RemittanceRow>('Remittance');

LineAdjudication.implement({
  description: "A remittance's adjudication of one claim line.",
  patientOf: (l) => l.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    claim: t.field({ type: Claim, dataClass: 'financial', resolve: (l, _args, ctx) => claimById(ctx).load(l.claim_id) }),
    lineNumber: t.int({
      nullable: false,
      dataClass: 'financial',
      resolve: async (l, _args, ctx) =>
        (await claimLinesByClaimId(ctx).load(l.claim_id)).find((c) => c.id === l.claim_line_id)?.line_number ?? 0,
    }),
    paymentDate: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (l) => l.payment_date }),
    allowed: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (l) => money(l.allowed_cents) }),
    paid: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (l) => money(l.paid_cents) }),
    patientResponsibility: t.field({
      type: MoneyType,
      nullable: false,
      dataClass: 'financial',
      resolve: (l) => money(l.patient_responsibility_cents),
    }),
    denied: t.exposeBoolean('denied', {
      nullable: false,
      dataClass: 'financial',
      description: 'Paid nothing, adjusted for a reason other than the patient share.',
    }),
    reversal: t.boolean({
      nullable: false,
      dataClass: 'financial',
      description: "A payer's reversal: the amounts negate the posting it reverses.",
      resolve: (l) => l.reverses_line_id !== null,
    }),
    adjustments: t.field({
      type: [Adjustment],
      nullable: false,
      dataClass: 'financial',
      resolve: (l, _args, ctx) => adjustmentsByRemittanceLineId(ctx).load(l.id),
    }),
    remittance: t.field({
      type: Remittance,
      dataClass: 'financial',
      resolve: (l, _args, ctx) => remittanceById(ctx).load(l.remittance_id),
    }),
  }),
});

Remittance.implement({
  description: "A payer's payment advice (835): one check or EFT, adjudicating lines of one or more claims.",
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    payer: t.field({ type: Payer, dataClass: 'financial', resolve: (r, _args, ctx) => payerById(ctx).load(r.payer_id) }),
    traceNumber: t.exposeString('trace_number', {
      nullable: false,
      dataClass: 'financial',
      description: 'The check or EFT trace number; unique per payer.',
    }),
    paymentDate: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.payment_date }),
    totalPaid: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (r) => money(r.total_paid_cents) }),
    postedAt: t.field({ type: 'DateTime', nullable: false, dataClass: 'financial', resolve: (r) => r.posted_at }),
    lines: t.field({
      type: [LineAdjudication],
      nullable: false,
      dataClass: 'financial',
      resolve: async (r, _args, ctx) => {
        const lines = await remittanceLinesByRemittanceId(ctx).load(r.id);
        await learnConsents(ctx, [...new Set(lines.map((l) => l.patient_id))]);
        return lines;
      },
    }),
  }),
});

const PatientPayment = builder.objectRef<PatientPaymentRow>('PatientPayment').implement({
  description: "A patient's payment, on a claim or on account.",
  patientOf: (p) => p.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    amount: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (p) => money(p.amount_cents) }),
    method: t.field({ type: PaymentMethod, nullable: false, dataClass: 'financial', resolve: (p) => p.method }),
    reference: t.exposeString('reference', { dataClass: 'financial' }),
    receivedOn: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (p) => p.received_on }),
    claim: t.field({
      type: Claim,
      dataClass: 'financial',
      description: 'Null for a payment on account.',
      resolve: (p, _args, ctx) => (p.claim_id ? claimById(ctx).load(p.claim_id) : null),
    }),
  }),
});

const ClaimAppeal = builder.objectRef<ClaimAppealRow>('ClaimAppeal').implement({
  description: 'An appeal of a denial.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    reason: t.exposeString('reason', { dataClass: 'financial' }),
    appealedAt: t.field({ type: 'DateTime', nullable: false, dataClass: 'financial', resolve: (a) => a.appealed_at }),
  }),
});

const BalanceType = builder.objectRef<AccountBalance>('Balance').implement({
  description:
    'What is owed, exact to the cent: balance = charge - payer paid - adjusted - patient paid - on account; ' +
    "the patient's part is their responsibility (PR) less their payments; a denied line stays in the insurance part until appealed or voided.",
  fields: (t) => ({
    charge: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (b) => money(b.chargeCents) }),
    payerPaid: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (b) => money(b.payerPaidCents) }),
    adjusted: t.field({
      type: MoneyType,
      nullable: false,
      dataClass: 'financial',
      description: 'Written off: CO, OI and PI adjustments of lines not denied.',
      resolve: (b) => money(b.adjustedCents),
    }),
    patientResponsibility: t.field({
      type: MoneyType,
      nullable: false,
      dataClass: 'financial',
      resolve: (b) => money(b.patientResponsibilityCents),
    }),
    patientPaid: t.field({
      type: MoneyType,
      nullable: false,
      dataClass: 'financial',
      description: 'Payments applied to claims.',
      resolve: (b) => money(b.patientPaidCents),
    }),
    onAccount: t.field({
      type: MoneyType,
      nullable: false,
      dataClass: 'financial',
      description: "Payments not applied to a claim (a patient's only).",
      resolve: (b) => money(b.onAccountCents),
    }),
    balance: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (b) => money(b.balanceCents) }),
    patientBalance: t.field({
      type: MoneyType,
      nullable: false,
      dataClass: 'financial',
      description: 'Negative when the patient has a credit.',
      resolve: (b) => money(b.patientBalanceCents),
    }),
    insuranceBalance: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (b) => money(b.insuranceBalanceCents) }),
  }),
});

const ClaimDenial = builder.objectRef<RemittanceAdjustmentRow & { readonly line_number: number }>('ClaimDenial').implement({
  description: 'Why a line was denied: the adjustment of a denied line.',
  fields: (t) => ({
    lineNumber: t.exposeInt('line_number', { nullable: false, dataClass: 'financial' }),
    group: t.field({ type: AdjustmentGroup, nullable: false, dataClass: 'financial', resolve: (a) => a.group_code }),
    reason: t.exposeString('reason_code', { nullable: false, dataClass: 'financial', description: 'CARC code.' }),
    amount: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (a) => money(a.amount_cents) }),
    paymentDate: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (a) => a.payment_date }),
  }),
});

builder.objectFields(Claim, (t) => ({
  balance: t.field({
    type: BalanceType,
    dataClass: 'financial',
    resolve: async (c, _args, ctx) => ({ ...(await loadClaimBalance(ctx, c.id)), onAccountCents: 0 }),
  }),
  payer: t.field({
    type: Payer,
    dataClass: 'financial',
    description: 'Whom the claim was billed to (set at submission).',
    resolve: (c, _args, ctx) => (c.payer_id ? payerById(ctx).load(c.payer_id) : null),
  }),
  submittedAt: t.field({ type: 'DateTime', dataClass: 'financial', description: 'The latest submission.', resolve: (c) => c.submitted_at }),
  firstSubmittedAt: t.field({ type: 'DateTime', dataClass: 'financial', resolve: (c) => c.first_submitted_at }),
  adjudicatedAt: t.field({
    type: 'DateTime',
    dataClass: 'financial',
    description: 'When the first remittance for it was posted.',
    resolve: (c) => c.adjudicated_at,
  }),
  adjudications: t.field({
    type: [LineAdjudication],
    dataClass: 'financial',
    description: "Every remittance line posted for the claim's lines, in payment order.",
    resolve: async (c, _args, ctx) => (await remittanceLinesByClaimId(ctx).load(c.id)).map((l) => ({ ...l, patient_id: c.patient_id })),
  }),
  denials: t.field({
    type: [ClaimDenial],
    dataClass: 'financial',
    description: "The reasons of the claim's denied lines in its latest adjudication (empty unless the claim is DENIED or PARTIALLY_PAID).",
    resolve: async (c, _args, ctx) => {
      if (c.status !== 'denied' && c.status !== 'partially_paid') return [];
      const [posted, lines] = await Promise.all([remittanceLinesByClaimId(ctx).load(c.id), claimLinesByClaimId(ctx).load(c.id)]);
      const latest = new Map<string, RemittanceLineRow>();
      for (const l of posted) if (l.reverses_line_id === null) latest.set(l.claim_line_id, l);
      const denied = [...latest.values()].filter((l) => l.denied);
      const adjustments = await adjustmentsByRemittanceLineId(ctx).loadMany(denied.map((l) => l.id));
      const numberOf = new Map(lines.map((l) => [l.id, l.line_number]));
      return denied.flatMap((l, i) => {
        const adj = adjustments[i];
        return adj instanceof Error || adj === undefined ? [] : adj.map((a) => ({ ...a, line_number: numberOf.get(l.claim_line_id) ?? 0 }));
      });
    },
  }),
  appeals: t.field({ type: [ClaimAppeal], dataClass: 'financial', resolve: (c, _args, ctx) => appealsByClaimId(ctx).load(c.id) }),
  patientPayments: t.field({
    type: [PatientPayment],
    dataClass: 'financial',
    resolve: (c, _args, ctx) => patientPaymentsByClaimId(ctx).load(c.id),
  }),
}));

builder.objectField(ClaimLine, 'adjudications', (t) =>
  t.field({
    type: [LineAdjudication],
    dataClass: 'financial',
    description: "The remittances' adjudications of this line, in payment order.",
    resolve: async (l, _args, ctx) =>
      (await remittanceLinesByClaimId(ctx).load(l.claim_id))
        .filter((r) => r.claim_line_id === l.id)
        .map((r) => ({ ...r, patient_id: l.patient_id })),
  }),
);

builder.objectField(Encounter, 'balance', (t) =>
  t.field({
    type: BalanceType,
    dataClass: 'financial',
    description: "The encounter's claims' balances together.",
    resolve: (e, _args, ctx) => loadEncounterBalance(ctx, e.id),
  }),
);

builder.objectField(Patient, 'balance', (t) =>
  t.field({
    type: BalanceType,
    dataClass: 'financial',
    description: "Every claim's balance, less payments on account.",
    resolve: (p, _args, ctx) => loadPatientBalance(ctx, p.id),
  }),
);

const ClaimConnection = connectionType(builder, 'Claim', Claim);

builder.queryFields((t) => ({
  deniedClaims: t.field({
    type: ClaimConnection,
    nullable: false,
    dataClass: 'reference',
    description:
      'The denial work queue (billers): denied and partially paid claims, oldest adjudication first; read `denials` for the reasons and `appealClaim` to appeal.',
    args: { first: t.arg.int(), after: t.arg.string(), payerId: t.arg.id() },
    resolve: async (_root, args, ctx) => {
      if (ctx.access.identity.role !== 'biller') throw forbidden('The denial work queue is for billers');
      const page = pageRequest(args, ['instant', 'uuid']);
      const payerId = args.payerId ? parseId(args.payerId, 'payerId') : null;
      const rows = await findDeniedClaims(ctx.db, {
        first: page.first,
        after: page.after ? { at: page.after[0] ?? '', id: page.after[1] ?? '' } : null,
        payerId,
      });
      for (const row of rows) claimById(ctx).prime(row.id, row);
      return toConnection(rows, page, (c) => [(c.adjudicated_at ?? c.updated_at).toISOString(), c.id]);
    },
  }),
}));

const AdjustmentInput = builder.inputType('AdjustmentInput', {
  fields: (t) => ({
    group: t.field({ type: AdjustmentGroup, required: true }),
    reason: t.string({ required: true, description: 'CARC code, e.g. "45".' }),
    amount: t.string({ required: true, description: 'A positive decimal amount in USD.' }),
  }),
});

const RemittanceLineInput = builder.inputType('RemittanceLineInput', {
  fields: (t) => ({
    lineNumber: t.int({ required: true }),
    allowed: t.string({ required: true, description: 'Decimal amount in USD.' }),
    paid: t.string({ required: true, description: 'Decimal amount in USD.' }),
    patientResponsibility: t.string({ description: 'The sum of the PR adjustments; default "0.00".' }),
    adjustments: t.field({ type: [AdjustmentInput], required: true, description: 'The line must balance: charge = paid + adjustments.' }),
  }),
});

const RemittanceClaimInput = builder.inputType('RemittanceClaimInput', {
  fields: (t) => ({
    claimId: t.id({ required: true }),
    reversal: t.boolean({
      description:
        "The payer takes back its earlier adjudication of the claim (835 claim status 22): give no lines; the claim's postings are negated and it is ACCEPTED again.",
    }),
    lines: t.field({ type: [RemittanceLineInput], required: true, description: 'Every line of the claim, once (none for a reversal).' }),
  }),
});

const PostRemittanceInput = builder.inputType('PostRemittanceInput', {
  fields: (t) => ({
    payerId: t.id({ required: true, description: "The payer's `id` (from `payers`)." }),
    traceNumber: t.string({ required: true, description: 'Check or EFT trace number: posting the same trace again posts nothing.' }),
    paymentDate: t.field({ type: 'Date', required: true }),
    claims: t.field({ type: [RemittanceClaimInput], required: true }),
  }),
});

const PostPatientPaymentInput = builder.inputType('PostPatientPaymentInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    claimId: t.id({ description: 'The claim it pays; omit for a payment on account.' }),
    amount: t.string({ required: true, description: 'A positive decimal amount in USD.' }),
    method: t.field({ type: PaymentMethod, required: true }),
    reference: t.string({ description: 'Check number or card authorization: letters, digits, hyphens.' }),
    receivedOn: t.field({ type: 'Date', required: true }),
  }),
});

const AppealClaimInput = builder.inputType('AppealClaimInput', {
  fields: (t) => ({ claimId: t.id({ required: true }), reason: t.string({ required: true }) }),
});

builder.mutationFields((t) => ({
  postRemittance: t.field({
    type: mutationResult(builder, 'PostRemittanceResult', Remittance),
    nullable: false,
    dataClass: 'reference',
    writes: 'remittance.post',
    description:
      "Posts a payer's remittance (billers): each claim paid, partially paid or denied by its lines. The same payer and trace posted again returns the first posting and changes nothing.",
    args: { input: t.arg({ type: PostRemittanceInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      postRemittance(ctx, dateInZone(new Date(), ctx.practiceTimeZone), {
        payerId: input.payerId,
        traceNumber: input.traceNumber,
        paymentDate: input.paymentDate,
        claims: input.claims.map((c) => ({
          claimId: c.claimId,
          reversal: c.reversal ?? false,
          lines: c.lines.map((l) => ({
            lineNumber: l.lineNumber,
            allowed: l.allowed,
            paid: l.paid,
            patientResponsibility: l.patientResponsibility ?? null,
            adjustments: l.adjustments,
          })),
        })),
      }),
  }),
  postPatientPayment: t.field({
    type: mutationResult(builder, 'PostPatientPaymentResult', PatientPayment),
    nullable: false,
    dataClass: 'reference',
    writes: 'patient_payment.post',
    description: "Posts a patient's payment (front desk, billers): on a claim up to what it owes, or on account.",
    args: { input: t.arg({ type: PostPatientPaymentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      postPatientPayment(ctx, dateInZone(new Date(), ctx.practiceTimeZone), {
        patientId: input.patientId,
        claimId: input.claimId ?? null,
        amount: input.amount,
        method: input.method,
        reference: input.reference ?? null,
        receivedOn: input.receivedOn,
      }),
  }),
  appealClaim: t.field({
    type: mutationResult(builder, 'AppealClaimResult', Claim),
    nullable: false,
    dataClass: 'reference',
    writes: 'claim.appeal',
    description: 'Appeals a denied or partially paid claim (billers); the claim becomes APPEALED and takes the next remittance.',
    args: { input: t.arg({ type: AppealClaimInput, required: true }) },
    resolve: (_root, { input }, ctx) => appealClaim(ctx, input),
  }),
}));
