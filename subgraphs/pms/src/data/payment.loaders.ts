import type { ClaimAppealRow, PatientPaymentRow, RemittanceAdjustmentRow, RemittanceLineRow, RemittanceRow } from '@chartbridge/db';
import { byId, groupedBy } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { claimBalanceOfRows, sumBalances, type Balance } from '../rules/remittance.js';
import { claimById, claimsByEncounterId, claimsByPatientId } from './claim.loaders.js';
import {
  findAdjustmentsByClaimIds,
  findAdjustmentsByRemittanceLineIds,
  findAppealsByClaimIds,
  findPatientPaymentsByClaimIds,
  findRemittanceLinesByClaimIds,
  findRemittanceLinesByRemittanceIds,
  findRemittancesByIds,
  findUnappliedPaymentsByPatientIds,
} from './payment.repository.js';

// Payments' request-scoped loaders: a list of claims costs one statement per kind of row.

export const remittanceById = byId<PmsContext, RemittanceRow>(findRemittancesByIds);

export const remittanceLinesByClaimId = groupedBy<PmsContext, RemittanceLineRow>(findRemittanceLinesByClaimIds, (r) => r.claim_id);

export const remittanceLinesByRemittanceId = groupedBy<PmsContext, RemittanceLineRow & { patient_id: string }>(
  findRemittanceLinesByRemittanceIds,
  (r) => r.remittance_id,
);

export const adjustmentsByClaimId = groupedBy<PmsContext, RemittanceAdjustmentRow>(findAdjustmentsByClaimIds, (r) => r.claim_id);

export const adjustmentsByRemittanceLineId = groupedBy<PmsContext, RemittanceAdjustmentRow>(
  findAdjustmentsByRemittanceLineIds,
  (r) => r.remittance_line_id,
);

export const patientPaymentsByClaimId = groupedBy<PmsContext, PatientPaymentRow>(findPatientPaymentsByClaimIds, (r) => r.claim_id ?? '');

export const unappliedPaymentsByPatientId = groupedBy<PmsContext, PatientPaymentRow>(
  findUnappliedPaymentsByPatientIds,
  (r) => r.patient_id,
);

export const appealsByClaimId = groupedBy<PmsContext, ClaimAppealRow>(findAppealsByClaimIds, (r) => r.claim_id);

/** A claim's balance: its posted lines, adjustments and patient payments through the loaders above. */
export async function loadClaimBalance(ctx: PmsContext, claimId: string): Promise<Balance> {
  const [claim, lines, adjustments, payments] = await Promise.all([
    claimById(ctx).load(claimId),
    remittanceLinesByClaimId(ctx).load(claimId),
    adjustmentsByClaimId(ctx).load(claimId),
    patientPaymentsByClaimId(ctx).load(claimId),
  ]);
  if (!claim) throw new Error('Balance of a claim that does not exist');
  return claimBalanceOfRows(claim, lines, adjustments, payments);
}

export interface AccountBalance extends Balance {
  /** Payments on account, not applied to a claim: already taken off the balances. */
  readonly onAccountCents: number;
}

export async function loadEncounterBalance(ctx: PmsContext, encounterId: string): Promise<AccountBalance> {
  const claims = await claimsByEncounterId(ctx).load(encounterId);
  return { ...sumBalances(await Promise.all(claims.map((c) => loadClaimBalance(ctx, c.id)))), onAccountCents: 0 };
}

/** A patient's balance: every claim's, less the payments on account. */
export async function loadPatientBalance(ctx: PmsContext, patientId: string): Promise<AccountBalance> {
  const [claims, onAccount] = await Promise.all([
    claimsByPatientId(ctx).load(patientId),
    unappliedPaymentsByPatientId(ctx).load(patientId),
  ]);
  const sum = sumBalances(await Promise.all(claims.map((c) => loadClaimBalance(ctx, c.id))));
  const onAccountCents = onAccount.reduce((s, p) => s + Number(p.amount_cents), 0);
  return {
    ...sum,
    balanceCents: sum.balanceCents - onAccountCents,
    patientBalanceCents: sum.patientBalanceCents - onAccountCents,
    onAccountCents,
  };
}
