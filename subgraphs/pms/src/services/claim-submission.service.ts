import { appendAudit, contentHash, type ClaimRow, type PmsDatabase } from '@chartbridge/db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isUuid, type AccessControl } from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';
import { findDiagnosesByClaimIds, findLinesByClaimIds } from '../data/claim.repository.js';
import { findProviderNpis, lockClaim, updateClaimStatus } from '../data/claim-submission.repository.js';
import { findCoveragesByPatientIds } from '../data/coverage.repository.js';
import { DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS, documentationOf, hasErrors, scrubClaim, type Finding, type ScrubInput } from '../rules/claim-scrubber.js';
import { transitionProblem } from '../rules/claim-status.js';

type Failure = ValidationError | NotFoundError | ConflictError | ForbiddenError;

/** Only billers submit claims. */
function maySubmitClaim(access: AccessControl): boolean {
  return access.identity.role === 'biller';
}

function claimState(row: ClaimRow): string {
  return contentHash({
    ...row,
    source_event_at: new Date(row.source_event_at).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  });
}

/** Loads what the scrubber checks a claim against: one query per kind. */
export async function loadScrubInput(
  db: Kysely<PmsDatabase> | Transaction<PmsDatabase>,
  claim: ClaimRow,
  highDollarThresholdCents = DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS,
): Promise<ScrubInput> {
  const [lines, diagnoses, coverages] = await Promise.all([findLinesByClaimIds(db, [claim.id]), findDiagnosesByClaimIds(db, [claim.id]), findCoveragesByPatientIds(db, [claim.patient_id])]);
  const providerNpis = await findProviderNpis(db, [...new Set(lines.map((l) => l.rendering_provider_id))]);
  return {
    claim: { id: claim.id, status: claim.status },
    lines: lines.map((l) => ({
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
    diagnoses: diagnoses.map((d) => ({ position: d.position, code: d.code })),
    coverages: coverages.map((c) => ({ effectiveFrom: c.effective_from, effectiveTo: c.effective_to })),
    providerNpis,
    documentation: documentationOf(claim.snapshot),
    highDollarThresholdCents,
  };
}

/** Runs the scrubber over a stored claim. */
export async function scrubStoredClaim(db: Kysely<PmsDatabase> | Transaction<PmsDatabase>, claim: ClaimRow): Promise<Finding[]> {
  return scrubClaim(await loadScrubInput(db, claim));
}

/**
 * Submits a claim (billers): scrubs it, and with no error-severity finding moves it from draft
 * (through ready) or ready to submitted, with its audit record, in one transaction. Findings
 * refuse it (BAD_USER_INPUT, naming the rules); a claim past ready is a CONFLICT.
 */
export async function submitClaim(db: Kysely<PmsDatabase>, access: AccessControl, requestId: string, input: { readonly claimId: string }): Promise<ClaimRow | Failure> {
  if (!isUuid(input.claimId)) return new ValidationError('claimId is not a valid id', 'input.claimId');
  const claimId = input.claimId.toLowerCase();
  const { identity } = access;
  const base = { requestId, actorId: identity.subject, role: identity.role, client: identity.client, purpose: identity.purpose, action: 'claim.submit', entityType: 'claim', entityId: claimId };
  if (!maySubmitClaim(access)) {
    const patient = await db.selectFrom('pms.claim').select('patient_id').where('id', '=', claimId).executeTakeFirst();
    await appendAudit(db, 'pms', [{ ...base, outcome: 'denied', patientId: patient?.patient_id ?? null }]);
    return new ForbiddenError('You may not submit claims');
  }
  return db.transaction().execute(async (trx): Promise<ClaimRow | Failure> => {
    const claim = await lockClaim(trx, claimId);
    if (!claim) return new NotFoundError(`Claim ${claimId} was not found`, 'input.claimId');
    const path = claim.status === 'draft' ? (['ready', 'submitted'] as const) : (['submitted'] as const);
    let from = claim.status;
    for (const to of path) {
      const problem = transitionProblem(from, to);
      if (problem) return new ConflictError(problem, 'input.claimId');
      from = to;
    }
    const findings = scrubClaim(await loadScrubInput(trx, claim));
    if (hasErrors(findings)) {
      const rules = [...new Set(findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
      return new ValidationError(`The claim fails scrubbing: ${rules.join(', ')}`, 'input.claimId');
    }
    const submitted = await updateClaimStatus(trx, claim.id, 'submitted');
    await appendAudit(trx, 'pms', [
      { ...base, outcome: 'success', patientId: claim.patient_id, dataClasses: ['financial'], beforeHash: claimState(claim), afterHash: claimState(submitted) },
    ]);
    return submitted;
  });
}
