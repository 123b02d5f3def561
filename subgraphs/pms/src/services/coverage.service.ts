import {
  appendAudit,
  inTransaction,
  type CoverageRank,
  type CoverageRow,
  type EligibilityCheckRow,
  type SubscriberRelationship,
} from '@chartbridge/db';
import {
  type MutationError,
  ConflictError,
  NotFoundError,
  ValidationError,
  authorizeChange,
  changeRecord,
  isIsoDate,
} from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findCoveragesByIds, findPayersByIds, insertCoverage, insertEligibilityCheck } from '../data/coverage.repository.js';
import { findPatientsByIds } from '../data/patient.repository.js';
import { builtInEligibilityAdapter } from '../eligibility/built-in-eligibility-adapter.js';
import { eligibilityRequestOf, type EligibilityAdapter } from '../eligibility/eligibility-adapter.js';
import { amountCents, memberIdProblem, periodProblem } from '../rules/coverage.js';

export interface AddCoverageInput {
  readonly patientId: string;
  readonly payerId: string;
  readonly rank: CoverageRank;
  readonly memberId: string;
  readonly groupNumber: string | null;
  readonly planName: string | null;
  readonly subscriberName: string | null;
  readonly relationship: SubscriberRelationship;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  /** Decimal amounts (`"25.00"`), held as integer cents. */
  readonly copay: string | null;
  readonly deductible: string | null;
  readonly deductibleMet: string | null;
}

function coverageState(row: CoverageRow): object {
  return { ...row, created_at: row.created_at.toISOString() };
}

function checkState(row: EligibilityCheckRow): object {
  return { ...row, checked_at: row.checked_at.toISOString() };
}

/** PostgreSQL's exclusion-constraint violation: a coverage of the same rank already in force then. */
function isOverlap(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23P01';
}

/** Trims optional text; blank is absent. */
function text(value: string | null): string | null {
  return value?.trim() || null;
}

/**
 * Adds a coverage to a patient (front desk), with its audit record in the same transaction. A
 * coverage of the same rank whose period overlaps is a CONFLICT: end the old one first.
 */
export async function addCoverage(ctx: PmsContext, input: AddCoverageInput): Promise<CoverageRow | MutationError> {
  const memberId = input.memberId.trim();
  const memberProblem = memberIdProblem(memberId);
  if (memberProblem) return new ValidationError(memberProblem, 'input.memberId');
  if (!isIsoDate(input.effectiveFrom)) return new ValidationError('effectiveFrom is not a date', 'input.effectiveFrom');
  if (input.effectiveTo !== null && !isIsoDate(input.effectiveTo))
    return new ValidationError('effectiveTo is not a date', 'input.effectiveTo');
  const period = periodProblem(input.effectiveFrom, input.effectiveTo);
  if (period) return new ValidationError(period, 'input.effectiveTo');
  const cents: Record<'copay' | 'deductible' | 'deductibleMet', number | null> = { copay: null, deductible: null, deductibleMet: null };
  for (const field of ['copay', 'deductible', 'deductibleMet'] as const) {
    const amount = amountCents(field, input[field]);
    if (amount !== null && typeof amount === 'object') return new ValidationError(amount.problem, `input.${field}`);
    cents[field] = amount;
  }
  const groupNumber = text(input.groupNumber);
  const planName = text(input.planName);
  const subscriberName = text(input.subscriberName);
  for (const [field, value, max] of [
    ['groupNumber', groupNumber, 50],
    ['planName', planName, 200],
    ['subscriberName', subscriberName, 200],
  ] as const) {
    if (value && value.length > max) return new ValidationError(`${field} is longer than ${max} characters`, `input.${field}`);
  }
  const { patientId, payerId } = input;
  const refused = await authorizeChange(ctx, 'coverage.add', patientId, { entityType: 'coverage' });
  if (refused) return refused;
  try {
    return await inTransaction(ctx.db, async (trx) => {
      const [patient] = await findPatientsByIds(trx, [patientId]);
      if (!patient) return new NotFoundError(`Patient ${patientId} was not found`, 'input.patientId');
      const [payer] = await findPayersByIds(trx, [payerId]);
      if (!payer) return new NotFoundError(`Payer ${payerId} was not found`, 'input.payerId');
      const created = await insertCoverage(trx, {
        patient_id: patientId,
        payer_id: payerId,
        rank: input.rank,
        member_id: memberId,
        group_number: groupNumber,
        plan_name: planName,
        subscriber_name: subscriberName,
        relationship: input.relationship,
        effective_from: input.effectiveFrom,
        effective_to: input.effectiveTo,
        copay_cents: cents.copay,
        deductible_cents: cents.deductible,
        deductible_met_cents: cents.deductibleMet ?? 0,
        created_by: ctx.access.identity.subject,
      });
      await appendAudit(trx, 'pms', [
        changeRecord(ctx, {
          action: 'coverage.add',
          entityType: 'coverage',
          entityId: created.id,
          patientId,
          before: null,
          after: coverageState(created),
        }),
      ]);
      return created;
    });
  } catch (error) {
    if (isOverlap(error))
      return new ConflictError(`The patient already has a ${input.rank} coverage in force in that period`, 'input.effectiveFrom');
    throw error;
  }
}

/**
 * Checks a coverage's eligibility for a date of service (front desk, billers) through the adapter,
 * and stores the check and its answer with its audit record in one transaction. The adapter is
 * asked outside the transaction: a payer's answer can take seconds, and nothing is written until it
 * is in. An inactive answer is a stored result, not an error.
 */
export async function checkEligibility(
  ctx: PmsContext,
  input: { readonly coverageId: string; readonly dateOfService: string },
  adapter: EligibilityAdapter = builtInEligibilityAdapter,
): Promise<EligibilityCheckRow | MutationError> {
  if (!isIsoDate(input.dateOfService)) return new ValidationError('dateOfService is not a date', 'input.dateOfService');
  const { coverageId } = input;
  const [coverage] = await findCoveragesByIds(ctx.db, [coverageId]);
  const refused = await authorizeChange(ctx, 'eligibility.check', coverage?.patient_id ?? null, {
    entityType: 'coverage',
    entityId: coverageId,
  });
  if (refused) return refused;
  if (!coverage) return new NotFoundError(`Coverage ${coverageId} was not found`, 'input.coverageId');
  const [payer] = await findPayersByIds(ctx.db, [coverage.payer_id]);
  // A foreign key guarantees the payer; its absence means the database is inconsistent.
  if (!payer) throw new Error('Coverage without its payer');
  const answer = await adapter.check(eligibilityRequestOf(coverage, { payerId: payer.payer_id, name: payer.name }, input.dateOfService));
  return inTransaction(ctx.db, async (trx) => {
    const created = await insertEligibilityCheck(trx, {
      coverage_id: coverage.id,
      patient_id: coverage.patient_id,
      date_of_service: input.dateOfService,
      checked_by: ctx.access.identity.subject,
      adapter: adapter.name,
      outcome: answer.outcome,
      copay_cents: answer.copayCents,
      remaining_deductible_cents: answer.remainingDeductibleCents,
      message: answer.message?.slice(0, 1000) ?? null,
      raw_response: JSON.stringify(answer.raw),
    });
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'eligibility.check',
        entityType: 'eligibility_check',
        entityId: created.id,
        patientId: coverage.patient_id,
        before: null,
        after: checkState(created),
      }),
    ]);
    return created;
  });
}
