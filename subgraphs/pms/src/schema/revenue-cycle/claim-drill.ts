import { formatCents, forbidden, pageRequest, toConnection, type SubgraphTypes } from '@chartbridge/kit';
import type { FieldRef, ObjectFieldBuilder } from '@pothos/core';
import { builder } from '../../builder.js';
import type { PmsContext } from '../../context.js';
import { patientById } from '../../data/patient.loaders.js';
import { CLAIM_DRILL_DEFINITION, claimDrill, type ClaimDrillFilter, type DrillClaim } from '../../reports/claim-drill.report.js';
import { claimsCsv } from '../../reports/report-csv.js';
import { ClaimStatus } from '../claim.js';
import { Patient } from '../patient.js';
import { reportConnection } from './report-connection.js';
import { withReportInput } from './report-access.js';

// Drill-down rows: a report's bucket or group down to its claims, a page at a time. No patient
// data but a pseudonymous key; billers may follow `patient`, which the analyst role cannot read.

export const RevenueCycleClaim = builder.objectRef<DrillClaim>('RevenueCycleClaim').implement({
  description:
    "A claim behind a report's bucket or group, with its amounts on the report's day. The patient appears as a pseudonymous key only.",
  fields: (t) => ({
    claimId: t.exposeID('claimId', { nullable: false, dataClass: 'financial' }),
    status: t.field({ type: ClaimStatus, nullable: false, dataClass: 'financial', resolve: (c) => c.status }),
    patientKey: t.exposeString('patientKey', {
      nullable: false,
      dataClass: 'financial',
      description:
        "The patient's stable pseudonymous key (HMAC-SHA256 of the patient id under the practice's report key, 32 hex digits): the same patient has the same key on every row and request; not reversible without the key.",
    }),
    patient: t.field({
      type: Patient,
      dataClass: 'reference',
      description: 'The patient, for roles that may see patient records (billers); null with FORBIDDEN for analysts.',
      resolve: async (c, _args, ctx) => {
        // Belt and braces: the analyst lacks `reference` anyway, but no report role but the biller follows this link.
        if (ctx.access.identity.role !== 'biller') throw forbidden('RevenueCycleClaim.patient is not available to your role');
        return patientById(ctx).load(c.patientId);
      },
    }),
    serviceDate: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (c) => c.serviceDate }),
    createdAt: t.field({ type: 'DateTime', nullable: false, dataClass: 'financial', resolve: (c) => c.createdAt }),
    firstSubmittedAt: t.field({ type: 'DateTime', dataClass: 'financial', resolve: (c) => c.firstSubmittedAt }),
    firstAdjudicatedOn: t.field({
      type: 'Date',
      dataClass: 'financial',
      description: "The payment date of the claim's first remittance.",
      resolve: (c) => c.firstAdjudicatedOn,
    }),
    payerId: t.exposeID('payerId', { dataClass: 'operational' }),
    payerName: t.exposeString('payerName', { dataClass: 'operational' }),
    providerId: t.exposeID('providerId', { nullable: false, dataClass: 'operational' }),
    providerName: t.exposeString('providerName', { dataClass: 'operational' }),
    locationId: t.exposeID('locationId', { dataClass: 'operational' }),
    locationName: t.exposeString('locationName', { dataClass: 'operational' }),
    charge: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'The claim\'s total charge, a decimal string (e.g. "125.00").',
      resolve: (c) => formatCents(c.chargeCents),
    }),
    payerPaid: t.string({ nullable: false, dataClass: 'financial', resolve: (c) => formatCents(c.payerPaidCents) }),
    adjusted: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'Applied adjustments: CO, OI and PI on lines that are not denied.',
      resolve: (c) => formatCents(c.adjustedCents),
    }),
    patientPaid: t.string({ nullable: false, dataClass: 'financial', resolve: (c) => formatCents(c.patientPaidCents) }),
    balance: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'charge − payerPaid − adjusted − patientPaid (0 for a void claim).',
      resolve: (c) => formatCents(c.balanceCents),
    }),
    ageDays: t.exposeInt('ageDays', {
      nullable: false,
      dataClass: 'financial',
      description: "Days from the date of service to the report's day.",
    }),
  }),
});

interface DrillStatement {
  readonly filter: ClaimDrillFilter;
  readonly definition: string;
}

const RevenueCycleClaimConnection = reportConnection<DrillClaim, DrillStatement>('RevenueCycleClaim', RevenueCycleClaim, (c) =>
  claimsCsv(
    c.filter,
    c.edges.map((e) => e.node),
  ),
);

builder.objectFields(RevenueCycleClaimConnection, (t) => ({
  asOf: t.field({
    type: 'Date',
    nullable: false,
    dataClass: 'financial',
    description: 'The day the amounts are on.',
    resolve: (c) => c.filter.asOf,
  }),
  definition: t.exposeString('definition', { nullable: false, dataClass: 'financial' }),
}));

/** A page of the claims a drill filter selects, oldest date of service first. */
export async function drillPage(ctx: PmsContext, filter: ClaimDrillFilter, args: { first?: number | null; after?: string | null }) {
  const page = await withReportInput(() => pageRequest(args, ['date', 'uuid']));
  const rows = await claimDrill(
    ctx.reports.db,
    ctx.reports.pseudonyms,
    filter,
    { first: page.first, ...(page.after ? { after: [page.after[0] ?? '', page.after[1] ?? ''] as const } : {}) },
    ctx.reports.timeZone,
  );
  return { ...toConnection(rows, page, (r) => [r.serviceDate, r.claimId]), filter, definition: CLAIM_DRILL_DEFINITION };
}

type Fields<Parent> = ObjectFieldBuilder<SubgraphTypes<PmsContext>, Parent>;

/** The `claims(first, after)` field of a bucket or group: the claims behind it. */
export function drillField<Parent>(
  t: Fields<Parent>,
  filterOf: (parent: Parent) => ClaimDrillFilter,
  description: string,
): FieldRef<SubgraphTypes<PmsContext>, unknown, 'Object'> {
  return t.field({
    type: RevenueCycleClaimConnection,
    nullable: false,
    dataClass: 'financial',
    description: `${description} First up to 100 (default 20), oldest date of service first.`,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (parent, args, ctx) => drillPage(ctx, filterOf(parent), args),
  });
}

export { RevenueCycleClaimConnection };
