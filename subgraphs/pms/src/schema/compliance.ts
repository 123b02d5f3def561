import type { ClaimDiagnosisRow, ClaimRow, EncounterRow } from '@chartbridge/db';
import { forbidden, type SubgraphTypes } from '@chartbridge/kit';
import { RootFieldBuilder } from '@pothos/core';
import { builder } from '../builder.js';
import type { PmsContext } from '../context.js';
import { claimDiagnosesByClaimId, claimLinesByClaimId, claimsByEncounterId } from '../data/claim.loaders.js';
import type { ClaimLineWithPatient } from '../data/claim.repository.js';
import {
  complianceFindings,
  documentationFromRepresentation,
  type ComplianceClaim,
  type ComplianceFinding,
} from '../rules/compliance-findings.js';
import { Encounter } from './encounter.js';

// `Encounter.complianceFindings` checks the encounter's claims against the EHR's documentation as it
// stands now. The documentation is the EHR's: the PMS declares `Encounter.documentation` external and
// requires it, so the gateway reads it from the EHR (as the caller, under the EHR's policy) and sends
// it beside the encounter's key. The query plan is PMS (the encounter) -> EHR (its documentation) ->
// PMS (the findings).

/**
 * A field builder for another subgraph's fields, declared here only so that a field can require
 * them: the federation plugin prints them `@external` and never resolves them for a client. They are
 * `reference` here, like the EHR's external PMS fields: the owner classifies and enforces them.
 */
const externalFields = <Shape>() =>
  new RootFieldBuilder<SubgraphTypes<PmsContext>, Shape, 'ExternalEntity'>(builder, 'ExternalEntity', 'Object');

// The EHR's value types, with exactly the fields required below (an external field nobody requires
// does not compose).
const DocumentationAddendum = builder.objectRef<object>('DocumentationAddendum');
builder.configStore.addFields(DocumentationAddendum, () => {
  const t = externalFields<object>();
  return {
    createdAt: t.field({ type: 'DateTime', nullable: false, dataClass: 'reference' }),
    changesCoding: t.field({ type: 'Boolean', nullable: false, dataClass: 'reference' }),
  };
});
DocumentationAddendum.implement({});

const DocumentedProcedure = builder.objectRef<object>('DocumentedProcedure');
builder.configStore.addFields(DocumentedProcedure, () => {
  const t = externalFields<object>();
  return {
    id: t.field({ type: 'ID', nullable: false, dataClass: 'reference' }),
    code: t.field({ type: 'String', nullable: false, dataClass: 'reference' }),
    units: t.field({ type: 'Int', nullable: false, dataClass: 'reference' }),
    diagnosisCodes: t.field({ type: ['String'], nullable: false, dataClass: 'reference' }),
  };
});
DocumentedProcedure.implement({});

const EncounterDocumentation = builder.objectRef<object>('EncounterDocumentation');
builder.configStore.addFields(EncounterDocumentation, () => {
  const t = externalFields<object>();
  return {
    noteCount: t.field({ type: 'Int', nullable: false, dataClass: 'reference' }),
    signedNoteCount: t.field({ type: 'Int', nullable: false, dataClass: 'reference' }),
    lastSignedAt: t.field({ type: 'DateTime', dataClass: 'reference' }),
    serviceDate: t.field({ type: 'Date', dataClass: 'reference' }),
    addenda: t.field({ type: [DocumentationAddendum], nullable: false, dataClass: 'reference' }),
    diagnosisCodes: t.field({ type: ['String'], nullable: false, dataClass: 'reference' }),
    procedures: t.field({ type: [DocumentedProcedure], nullable: false, dataClass: 'reference' }),
  };
});
EncounterDocumentation.implement({});

builder.configStore.addFields(Encounter, () => ({
  documentation: externalFields<EncounterRow>().field({ type: EncounterDocumentation, dataClass: 'reference' }),
}));

/**
 * What `complianceFindings` requires of the EHR. Pothos types `requires` only on an external entity's
 * own fields, and types a selection as every ordering of its shape's keys (far too many orderings
 * for this one); its federation plugin reads `requires.selection` on every field (as alerts.ts in
 * the EHR relies on). The representation is checked at run time by `documentationFromRepresentation`.
 */
function documentationRequirement(): object {
  return {
    requires: {
      selection:
        'documentation { noteCount signedNoteCount lastSignedAt serviceDate addenda { createdAt changesCoding } diagnosisCodes procedures { id code units diagnosisCodes } }',
    },
  };
}

const ComplianceFindingType = builder.objectRef<ComplianceFinding>('ComplianceFinding').implement({
  description: "Where a live claim of the encounter and the encounter's current documentation disagree.",
  fields: (t) => ({
    rule: t.exposeString('rule', {
      nullable: false,
      dataClass: 'financial',
      description:
        'DATE_MISMATCH, LATE_SIGNATURE, DOCUMENTED_AFTER_SUBMISSION, UNDOCUMENTED_CODE, UNSIGNED_DOCUMENTATION, HIGH_DOLLAR_UNDOCUMENTED or LINKAGE_MISMATCH.',
    }),
    severity: t.string({
      nullable: false,
      dataClass: 'financial',
      description: '`ERROR` (the claim does not stand as billed) or `WARNING` (worth a look), as `ScrubFinding.severity`.',
      resolve: (f) => f.severity.toUpperCase(),
    }),
    message: t.exposeString('message', {
      nullable: true,
      dataClass: 'clinical_coding',
      description: 'What is wrong, with codes and counts; never patient details.',
    }),
    claimId: t.exposeID('claimId', { nullable: false, dataClass: 'reference', description: 'The claim at fault.' }),
    lineNumber: t.exposeInt('lineNumber', {
      nullable: true,
      dataClass: 'financial',
      description: 'The line at fault; null for the whole claim.',
    }),
  }),
});

function toComplianceClaim(
  claim: ClaimRow,
  lines: readonly ClaimLineWithPatient[],
  diagnoses: readonly ClaimDiagnosisRow[],
): ComplianceClaim {
  return {
    id: claim.id,
    status: claim.status,
    // The latest submission is what the payer holds; the first one stands in until it is recorded.
    submittedAt: claim.submitted_at ?? claim.first_submitted_at,
    lines: lines.map((l) => ({
      lineNumber: l.line_number,
      procedureId: l.procedure_id,
      procedureCode: l.procedure_code,
      units: l.units,
      chargeCents: Number(l.charge_cents),
      serviceDate: l.service_date,
      pointers: l.pointers,
    })),
    diagnoses: diagnoses.map((d) => ({ position: d.position, code: d.code })),
  };
}

/** The findings for one encounter, through the request's loaders (a list of encounters costs one statement per kind). */
async function encounterFindings(
  ctx: PmsContext,
  encounter: EncounterRow & { readonly documentation?: unknown },
): Promise<ComplianceFinding[]> {
  const documentation = documentationFromRepresentation(encounter.documentation);
  // Without the EHR's answer there is nothing to compare with: an empty list would read as "clean".
  if (!documentation)
    throw forbidden("Encounter.complianceFindings needs the encounter's documentation from the EHR, which is not available to you");
  const claims = (await claimsByEncounterId(ctx).load(encounter.id)).filter((c) => c.status !== 'void');
  const [lines, diagnoses] = await Promise.all([
    Promise.all(claims.map((c) => claimLinesByClaimId(ctx).load(c.id))),
    Promise.all(claims.map((c) => claimDiagnosesByClaimId(ctx).load(c.id))),
  ]);
  const compared = claims.map((c, i) => toComplianceClaim(c, lines[i] ?? [], diagnoses[i] ?? []));
  return complianceFindings(compared, documentation, { timeZone: ctx.practiceTimeZone });
}

builder.objectField(Encounter, 'complianceFindings', (t) =>
  t.field({
    type: [ComplianceFindingType],
    dataClass: 'financial',
    ...documentationRequirement(),
    description:
      "The encounter's live claims checked against its documentation as it is now in the EHR (not the snapshot the claim was " +
      'built from): dates, signatures, documentation after submission, billed codes, units and diagnosis linkage. Catches an ' +
      'addendum that changed the coding after billing. Empty when every live claim agrees with the chart.',
    resolve: (encounter, _args, ctx) => encounterFindings(ctx, encounter),
  }),
);
