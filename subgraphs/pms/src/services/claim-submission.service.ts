import {
  appendAudit,
  inTransaction,
  type ClaimDiagnosisRow,
  type ClaimLineRow,
  type ClaimRow,
  type CoverageRow,
  type PmsDatabase,
  type ProviderRow,
} from '@chartbridge/db';
import { ConflictError, MutationError, NotFoundError, authorizeChange, changeRecord } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import { findDiagnosesByClaimIds, findLinesByClaimIds } from '../data/claim.repository.js';
import { lockClaim, markSubmitted } from '../data/claim-submission.repository.js';
import { claimDiagnosesByClaimId, claimLinesByClaimId } from '../data/claim.loaders.js';
import { coveragesByPatientId } from '../data/coverage.loaders.js';
import { providerById } from '../data/provider.loaders.js';
import { findProvidersByIds } from '../data/provider.repository.js';
import type { PmsContext } from '../context.js';
import { findCoveragesByPatientIds } from '../data/coverage.repository.js';
import {
  DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS,
  documentationOf,
  hasErrors,
  scrubClaim,
  type Finding,
  type ScrubInput,
} from '../rules/claim-scrubber.js';
import { transitionProblem } from '../rules/claim-status.js';

/** A claim refused by the scrubber (`BAD_USER_INPUT` on `input.claimId`), with every finding, warnings included. */
export class ClaimScrubError extends MutationError {
  readonly code = 'BAD_USER_INPUT' as const;

  constructor(readonly findings: readonly Finding[]) {
    const rules = [...new Set(findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
    super(`The claim fails scrubbing: ${rules.join(', ')}`, 'input.claimId');
  }
}

/** A claim's state for the audit trail's before/after hashes. */
export function claimState(row: ClaimRow): object {
  return {
    ...row,
    source_event_at: new Date(row.source_event_at).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** What the scrubber checks a claim against, from the rows that describe it. Pure. */
export function toScrubInput(
  claim: ClaimRow,
  rows: {
    readonly lines: readonly ClaimLineRow[];
    readonly diagnoses: readonly ClaimDiagnosisRow[];
    readonly coverages: readonly CoverageRow[];
    readonly providers: ReadonlyArray<ProviderRow | null>;
  },
  highDollarThresholdCents = DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS,
): ScrubInput {
  return {
    claim: { id: claim.id, status: claim.status },
    lines: rows.lines.map((l) => ({
      lineNumber: l.line_number,
      procedureId: l.procedure_id,
      procedureCode: l.procedure_code,
      codeSystem: l.code_system,
      modifiers: l.modifiers,
      units: l.units,
      chargeCents: Number(l.charge_cents),
      serviceDate: l.service_date,
      renderingProviderId: l.rendering_provider_id,
      pointers: l.pointers,
    })),
    diagnoses: rows.diagnoses.map((d) => ({ position: d.position, code: d.code })),
    coverages: rows.coverages.map((c) => ({ effectiveFrom: c.effective_from, effectiveTo: c.effective_to })),
    providerNpis: new Map(rows.providers.flatMap((p) => (p ? [[p.id, p.npi] as const] : []))),
    documentation: documentationOf(claim.snapshot),
    highDollarThresholdCents,
  };
}

/** Loads what the scrubber checks one claim against, inside the submitting transaction: one query per kind. */
async function loadScrubInput(db: Kysely<PmsDatabase>, claim: ClaimRow): Promise<{ input: ScrubInput; payer: CoverageRow | undefined }> {
  const [lines, diagnoses, coverages] = await Promise.all([
    findLinesByClaimIds(db, [claim.id]),
    findDiagnosesByClaimIds(db, [claim.id]),
    findCoveragesByPatientIds(db, [claim.patient_id]),
  ]);
  const providers = await findProvidersByIds(db, [...new Set(lines.map((l) => l.rendering_provider_id))]);
  const serviceDate = lines.map((l) => l.service_date).sort()[0];
  const payer = serviceDate === undefined ? undefined : billedCoverage(coverages, serviceDate);
  return { input: toScrubInput(claim, { lines, diagnoses, coverages, providers }), payer };
}

/** The coverage a claim is billed to: the primary one in force on the date of service. */
export function billedCoverage(coverages: readonly CoverageRow[], serviceDate: string): CoverageRow | undefined {
  return coverages.find(
    (c) => c.rank === 'primary' && c.effective_from <= serviceDate && (c.effective_to === null || c.effective_to >= serviceDate),
  );
}

/**
 * Runs the scrubber over a stored claim as read: through the request's loaders, so a list of claims
 * costs one statement per kind of row, whatever its length.
 */
export async function scrubStoredClaim(ctx: PmsContext, claim: ClaimRow): Promise<Finding[]> {
  const [lines, diagnoses, coverages] = await Promise.all([
    claimLinesByClaimId(ctx).load(claim.id),
    claimDiagnosesByClaimId(ctx).load(claim.id),
    coveragesByPatientId(ctx).load(claim.patient_id),
  ]);
  const providers = await providerById(ctx).loadMany([...new Set(lines.map((l) => l.rendering_provider_id))]);
  return scrubClaim(toScrubInput(claim, { lines, diagnoses, coverages, providers: providers.map((p) => (p instanceof Error ? null : p)) }));
}

/**
 * Submits a claim (billers): scrubs it, and with no error-severity finding moves it from draft
 * (through ready) or ready to submitted, with its audit record, in one transaction. Error findings
 * refuse it ({@link ClaimScrubError}: BAD_USER_INPUT naming the rules, with the findings); a claim
 * past ready is a CONFLICT.
 */
export async function submitClaim(ctx: PmsContext, input: { readonly claimId: string }): Promise<ClaimRow | MutationError> {
  const { claimId } = input;
  return inTransaction(ctx.db, async (trx): Promise<ClaimRow | MutationError> => {
    const claim = await lockClaim(trx, claimId);
    const refused = await authorizeChange(ctx, 'claim.submit', claim?.patient_id ?? null, {
      db: trx,
      entityType: 'claim',
      entityId: claimId,
    });
    if (refused) return refused;
    if (!claim) return new NotFoundError(`Claim ${claimId} was not found`, 'input.claimId');
    const path = claim.status === 'draft' ? (['ready', 'submitted'] as const) : (['submitted'] as const);
    let from = claim.status;
    for (const to of path) {
      const problem = transitionProblem(from, to);
      if (problem) return new ConflictError(problem, 'input.claimId');
      from = to;
    }
    const { input, payer } = await loadScrubInput(trx, claim);
    const findings = scrubClaim(input);
    if (hasErrors(findings)) return new ClaimScrubError(findings);
    // The scrubber's coverage rule guarantees a coverage in force; its absence is an inconsistency.
    if (!payer) throw new Error('A claim passed scrubbing without a primary coverage');
    const submitted = await markSubmitted(trx, claim.id, { payerId: payer.payer_id, coverageId: payer.id, clean: findings.length === 0 });
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'claim.submit',
        entityType: 'claim',
        entityId: claimId,
        patientId: claim.patient_id,
        dataClasses: ['financial'],
        before: claimState(claim),
        after: claimState(submitted),
      }),
    ]);
    return submitted;
  });
}
