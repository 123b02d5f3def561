import type { CoverageRow, EligibilityCheckRow, PayerRow } from '@chartbridge/db';
import { money, moneyType, mutationResult } from '@chartbridge/kit';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { listPayers } from '../data/coverage.repository.js';
import {
  coverageById,
  coveragesByPatientId,
  eligibilityChecksByCoverageId,
  payerById,
  primaryEligibilityByAppointmentId,
} from '../data/coverage.loaders.js';
import { addCoverage, checkEligibility } from '../services/coverage.service.js';
import { Appointment } from './appointment.js';
import { Patient, requirePatient } from './patient.js';

const MoneyType = moneyType(builder);

const moneyOrNull = (cents: number | null) => (cents === null ? null : money(cents));

export const CoverageRank = builder.enumType('CoverageRank', {
  description: 'Which payer is billed first.',
  values: { PRIMARY: { value: 'primary' }, SECONDARY: { value: 'secondary' } } as const,
});

export const SubscriberRelationship = builder.enumType('SubscriberRelationship', {
  description: "The patient's relationship to the plan's subscriber (X12 individual relationship codes, reduced).",
  values: { SELF: { value: 'self' }, SPOUSE: { value: 'spouse' }, CHILD: { value: 'child' }, OTHER: { value: 'other' } } as const,
});

export const EligibilityOutcome = builder.enumType('EligibilityOutcome', {
  values: {
    ACTIVE: { value: 'active', description: 'The coverage is in force on the date of service.' },
    INACTIVE: { value: 'inactive', description: 'The coverage is not in force on the date of service.' },
    UNKNOWN: { value: 'unknown', description: 'The payer could not tell (or could not be reached).' },
  } as const,
});

export const Payer = builder.objectRef<PayerRow>('Payer').implement({
  description: 'An insurer or plan the practice bills.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    payerId: t.exposeString('payer_id', { dataClass: 'coverage', description: "The payer's electronic id, as clearinghouses know it." }),
    name: t.exposeString('name', { dataClass: 'coverage' }),
  }),
});

export const Coverage = builder.objectRef<CoverageRow>('Coverage');
export const EligibilityCheck = builder.objectRef<EligibilityCheckRow>('EligibilityCheck');

Coverage.implement({
  description: "A patient's insurance with one payer: member id, plan, subscriber, effective period and the plan's amounts.",
  patientOf: (c) => c.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    patient: t.field({
      type: Patient,
      nullable: false,
      dataClass: 'reference',
      resolve: (c, _args, ctx) => requirePatient(ctx, c.patient_id, 'Coverage'),
    }),
    payer: t.field({ type: Payer, dataClass: 'coverage', resolve: (c, _args, ctx) => payerById(ctx).load(c.payer_id) }),
    rank: t.field({ type: CoverageRank, dataClass: 'coverage', resolve: (c) => c.rank }),
    memberId: t.exposeString('member_id', { dataClass: 'coverage' }),
    groupNumber: t.exposeString('group_number', { dataClass: 'coverage' }),
    planName: t.exposeString('plan_name', { dataClass: 'coverage' }),
    subscriberName: t.exposeString('subscriber_name', { dataClass: 'coverage', description: 'The subscriber when it is not the patient.' }),
    relationship: t.field({ type: SubscriberRelationship, dataClass: 'coverage', resolve: (c) => c.relationship }),
    effectiveFrom: t.field({ type: 'Date', dataClass: 'coverage', resolve: (c) => c.effective_from }),
    effectiveTo: t.field({
      type: 'Date',
      dataClass: 'coverage',
      description: 'Inclusive; null while open-ended.',
      resolve: (c) => c.effective_to,
    }),
    // The plan's amounts are benefit terms (what the front desk collects at the visit), hence coverage, not financial.
    copay: t.field({ type: MoneyType, dataClass: 'coverage', resolve: (c) => moneyOrNull(c.copay_cents) }),
    deductible: t.field({ type: MoneyType, dataClass: 'coverage', resolve: (c) => moneyOrNull(c.deductible_cents) }),
    deductibleMet: t.field({ type: MoneyType, dataClass: 'coverage', resolve: (c) => money(c.deductible_met_cents) }),
    eligibilityChecks: t.field({
      type: [EligibilityCheck],
      dataClass: 'coverage',
      description: 'Every eligibility check of this coverage, newest first.',
      resolve: (c, _args, ctx) => eligibilityChecksByCoverageId(ctx).load(c.id),
    }),
  }),
});

EligibilityCheck.implement({
  description: 'One eligibility check of a coverage for a date of service, and what came back. Kept as asked, never edited.',
  patientOf: (e) => e.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    coverage: t.field({
      type: Coverage,
      nullable: false,
      dataClass: 'reference',
      resolve: async (e, _args, ctx) => {
        const coverage = await coverageById(ctx).load(e.coverage_id);
        // A foreign key guarantees the row; its absence means the database is inconsistent.
        if (!coverage) throw new GraphQLError('Eligibility check without its coverage');
        return coverage;
      },
    }),
    dateOfService: t.field({ type: 'Date', dataClass: 'coverage', resolve: (e) => e.date_of_service }),
    outcome: t.field({ type: EligibilityOutcome, dataClass: 'coverage', resolve: (e) => e.outcome }),
    copay: t.field({ type: MoneyType, dataClass: 'coverage', resolve: (e) => moneyOrNull(e.copay_cents) }),
    remainingDeductible: t.field({
      type: MoneyType,
      dataClass: 'coverage',
      description: 'The deductible less what has been met, never negative.',
      resolve: (e) => moneyOrNull(e.remaining_deductible_cents),
    }),
    message: t.exposeString('message', { dataClass: 'coverage' }),
    adapter: t.exposeString('adapter', { dataClass: 'coverage', description: 'Which source answered (`built-in`: the stored coverage).' }),
    checkedBy: t.exposeString('checked_by', { dataClass: 'operational', description: 'The user who asked.' }),
    checkedAt: t.field({ type: 'DateTime', dataClass: 'coverage', resolve: (e) => e.checked_at }),
  }),
});

builder.objectField(Patient, 'coverages', (t) =>
  t.field({
    type: [Coverage],
    dataClass: 'coverage',
    description: "The patient's coverages, primary first, the most recent period first.",
    resolve: (p, _args, ctx) => coveragesByPatientId(ctx).load(p.id),
  }),
);

builder.objectField(Appointment, 'eligibility', (t) =>
  t.field({
    type: EligibilityCheck,
    dataClass: 'coverage',
    description:
      "The latest eligibility check of the patient's primary coverage for the appointment's day; null until one is made. " +
      'Reading it never checks: the front desk runs `checkEligibility` (e.g. right after `bookAppointment`).',
    resolve: (a, _args, ctx) => primaryEligibilityByAppointmentId(ctx).load(a.id),
  }),
);

builder.queryFields((t) => ({
  payers: t.field({
    type: [Payer],
    nullable: false,
    dataClass: 'reference',
    description: 'The payers the practice bills, by name.',
    resolve: async (_root, _args, ctx) => {
      const rows = await listPayers(ctx.db);
      for (const row of rows) payerById(ctx).prime(row.id, row);
      return rows;
    },
  }),
}));

const AddCoverageInput = builder.inputType('AddCoverageInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    payerId: t.id({ required: true, description: "The payer's `id` (from `payers`), not its electronic id." }),
    rank: t.field({ type: CoverageRank, required: true }),
    memberId: t.string({ required: true, description: '3 to 30 letters, digits or hyphens.' }),
    groupNumber: t.string(),
    planName: t.string(),
    subscriberName: t.string(),
    relationship: t.field({ type: SubscriberRelationship, description: 'Default SELF.' }),
    effectiveFrom: t.field({ type: 'Date', required: true }),
    effectiveTo: t.field({ type: 'Date', description: 'Inclusive; omit while open-ended.' }),
    copay: t.string({ description: 'A decimal amount in USD, e.g. "25.00"; not negative.' }),
    deductible: t.string({ description: 'A decimal amount in USD; not negative.' }),
    deductibleMet: t.string({ description: 'A decimal amount in USD; not negative; default 0.' }),
  }),
});

const CheckEligibilityInput = builder.inputType('CheckEligibilityInput', {
  fields: (t) => ({ coverageId: t.id({ required: true }), dateOfService: t.field({ type: 'Date', required: true }) }),
});

builder.mutationFields((t) => ({
  addCoverage: t.field({
    type: mutationResult(builder, 'AddCoverageResult', Coverage),
    nullable: false,
    dataClass: 'reference',
    writes: 'coverage.add',
    description: 'Records a coverage for a patient (front desk); one of the same rank in force in an overlapping period is a CONFLICT.',
    args: { input: t.arg({ type: AddCoverageInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addCoverage(ctx, {
        patientId: input.patientId,
        payerId: input.payerId,
        rank: input.rank,
        memberId: input.memberId,
        groupNumber: input.groupNumber ?? null,
        planName: input.planName ?? null,
        subscriberName: input.subscriberName ?? null,
        relationship: input.relationship ?? 'self',
        effectiveFrom: input.effectiveFrom,
        effectiveTo: input.effectiveTo ?? null,
        copay: input.copay ?? null,
        deductible: input.deductible ?? null,
        deductibleMet: input.deductibleMet ?? null,
      }),
  }),
  checkEligibility: t.field({
    type: mutationResult(builder, 'CheckEligibilityResult', EligibilityCheck),
    nullable: false,
    dataClass: 'reference',
    writes: 'eligibility.check',
    description: 'Checks a coverage for a date of service (front desk, billers); the check and its answer are stored and audited.',
    args: { input: t.arg({ type: CheckEligibilityInput, required: true }) },
    resolve: (_root, { input }, ctx) => checkEligibility(ctx, input),
  }),
}));
