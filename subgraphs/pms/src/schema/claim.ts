import type { ClaimCaptureIssue, ClaimRow } from '@chartbridge/db';
import { coding, codingType, money, moneyType } from '@chartbridge/kit';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { claimById, claimDiagnosesByClaimId, claimLinesByClaimId, claimsByEncounterId, claimsByPatientId } from '../data/claim.loaders.js';
import type { ClaimLineWithPatient } from '../data/claim.repository.js';
import { encounterById } from '../data/encounter.loaders.js';
import { patientById } from '../data/patient.loaders.js';
import { providerById } from '../data/provider.loaders.js';
import { findReachable, learnConsents } from './consent-scope.js';
import { Encounter } from './encounter.js';
import { Patient } from './patient.js';
import { Provider } from './provider.js';

const Coding = codingType(builder);
const MoneyType = moneyType(builder);

/** The EHR's documented procedure, which a claim line bills: the PMS only points at it. */
export const ProcedureRef = builder.externalRef('Procedure', builder.keyDirective(builder.selection<{ id: string }>('id'), false));
ProcedureRef.implement({
  fields: (t) => ({ id: t.exposeID('id', { nullable: false, dataClass: 'reference' }) }),
});

export const ClaimStatus = builder.enumType('ClaimStatus', {
  values: {
    DRAFT: {
      value: 'draft',
      description: 'Built by charge capture from signed documentation; rebuilt when an addendum changes the coding.',
    },
    READY: { value: 'ready', description: 'Scrubbed and waiting to be submitted.' },
    SUBMITTED: { value: 'submitted' },
    ACCEPTED: { value: 'accepted', description: 'The payer took the claim in for adjudication.' },
    REJECTED: { value: 'rejected', description: 'Refused before adjudication (its form); corrected as a draft.' },
    PAID: { value: 'paid' },
    PARTIALLY_PAID: { value: 'partially_paid' },
    DENIED: { value: 'denied', description: 'Adjudicated and refused; appealed or voided.' },
    APPEALED: { value: 'appealed' },
    VOID: { value: 'void' },
  } as const,
});

const ClaimCaptureIssueCode = builder.enumType('ClaimCaptureIssueCode', {
  values: {
    NO_FEE: { value: 'NO_FEE', description: 'The code has no fee in force on the date of service: the line is charged 0.' },
    TOO_MANY_DIAGNOSES: {
      value: 'TOO_MANY_DIAGNOSES',
      description: 'More than 12 diagnoses were documented: the others, and pointers to them, are left off.',
    },
    UNKNOWN_RENDERING_PROVIDER: {
      value: 'UNKNOWN_RENDERING_PROVIDER',
      description: "The procedure's performer is not a provider of the practice.",
    },
  } as const,
});

const ClaimCaptureIssueType = builder.objectRef<ClaimCaptureIssue>('ClaimCaptureIssue').implement({
  description: 'Something charge capture could not settle, for a biller to fix before the claim is ready.',
  fields: (t) => ({
    code: t.field({ type: ClaimCaptureIssueCode, nullable: false, dataClass: 'reference', resolve: (i) => i.code }),
    // Names procedure and diagnosis codes.
    message: t.exposeString('message', {
      nullable: true,
      dataClass: 'clinical_coding',
      description: 'What to fix, with codes: null and FORBIDDEN without clinical_coding.',
    }),
    lineNumber: t.exposeInt('lineNumber', {
      nullable: true,
      dataClass: 'reference',
      description: 'The line at fault; null for the whole claim.',
    }),
  }),
});

export const ClaimLine = builder.objectRef<ClaimLineWithPatient>('ClaimLine').implement({
  description: 'A service line of a claim: one documented procedure, its charge and its diagnosis pointers.',
  patientOf: (l) => l.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    lineNumber: t.exposeInt('line_number', { nullable: false, dataClass: 'financial' }),
    procedureCode: t.field({
      type: Coding,
      nullable: false,
      dataClass: 'clinical_coding',
      resolve: (l) => coding(l.code_system, l.procedure_code, l.display),
    }),
    units: t.exposeInt('units', { nullable: false, dataClass: 'financial' }),
    modifiers: t.stringList({ nullable: false, dataClass: 'clinical_coding', resolve: (l) => l.modifiers }),
    charge: t.field({
      type: MoneyType,
      nullable: false,
      dataClass: 'financial',
      description: 'The fee in force on the date of service times the units.',
      resolve: (l) => money(l.charge_cents),
    }),
    serviceDate: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (l) => l.service_date }),
    renderingProvider: t.field({
      type: Provider,
      dataClass: 'reference',
      resolve: (l, _args, ctx) => providerById(ctx).load(l.rendering_provider_id),
    }),
    diagnosisCodes: t.field({
      type: [Coding],
      nullable: false,
      dataClass: 'clinical_coding',
      description: "The claim's diagnoses this line points at, in pointer order.",
      resolve: async (l, _args, ctx) => {
        const diagnoses = await claimDiagnosesByClaimId(ctx).load(l.claim_id);
        return l.pointers.flatMap((p) => diagnoses.filter((d) => d.position === p).map((d) => coding('icd10cm', d.code, d.description)));
      },
    }),
    procedure: t.field({
      type: ProcedureRef,
      dataClass: 'reference',
      description: 'The documented procedure in the EHR that this line bills.',
      resolve: (l) => ({ id: l.procedure_id }),
    }),
  }),
});

export const Claim = builder.objectRef<ClaimRow>('Claim').implement({
  description: "A professional claim for an encounter, built from the encounter's signed documentation.",
  patientOf: (c) => c.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    status: t.field({ type: ClaimStatus, nullable: false, dataClass: 'financial', resolve: (c) => c.status }),
    totalCharge: t.field({ type: MoneyType, nullable: false, dataClass: 'financial', resolve: (c) => money(c.total_charge_cents) }),
    lines: t.field({
      type: [ClaimLine],
      nullable: false,
      dataClass: 'financial',
      resolve: (c, _args, ctx) => claimLinesByClaimId(ctx).load(c.id),
    }),
    diagnoses: t.field({
      type: [Coding],
      nullable: false,
      dataClass: 'clinical_coding',
      description: "The claim's ICD-10-CM list (at most 12), in pointer position order.",
      resolve: async (c, _args, ctx) =>
        (await claimDiagnosesByClaimId(ctx).load(c.id)).map((d) => coding('icd10cm', d.code, d.description)),
    }),
    captureIssues: t.field({ type: [ClaimCaptureIssueType], nullable: false, dataClass: 'financial', resolve: (c) => c.capture_issues }),
    encounter: t.field({
      type: Encounter,
      nullable: false,
      dataClass: 'reference',
      resolve: async (c, _args, ctx) => {
        const encounter = await encounterById(ctx).load(c.encounter_id);
        // A foreign key guarantees the row; its absence means the database is inconsistent.
        if (!encounter) throw new GraphQLError('Claim without its encounter');
        return encounter;
      },
    }),
    patient: t.field({
      type: Patient,
      nullable: false,
      dataClass: 'reference',
      resolve: async (c, _args, ctx) => {
        const patient = await patientById(ctx).load(c.patient_id);
        if (!patient) throw new GraphQLError('Claim without its patient');
        return patient;
      },
    }),
    provider: t.field({
      type: Provider,
      dataClass: 'reference',
      description: "The encounter's provider.",
      resolve: (c, _args, ctx) => providerById(ctx).load(c.provider_id),
    }),
    createdAt: t.field({ type: 'DateTime', dataClass: 'financial', resolve: (c) => c.created_at }),
    updatedAt: t.field({ type: 'DateTime', dataClass: 'financial', resolve: (c) => c.updated_at }),
  }),
});

builder.asEntity(Claim, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (ref, ctx) => {
    const claim = await claimById(ctx).load(ref.id);
    if (claim) await learnConsents(ctx, [claim.patient_id]);
    return claim;
  },
});

builder.objectField(Encounter, 'claims', (t) =>
  t.field({
    type: [Claim],
    dataClass: 'financial',
    description: "The encounter's claims, oldest first (a voided claim stays, beside the one that replaced it).",
    resolve: (e, _args, ctx) => claimsByEncounterId(ctx).load(e.id),
  }),
);

builder.objectField(Patient, 'claims', (t) =>
  t.field({
    type: [Claim],
    dataClass: 'financial',
    description: "The patient's claims, oldest first.",
    resolve: (p, _args, ctx) => claimsByPatientId(ctx).load(p.id),
  }),
);

builder.queryFields((t) => ({
  claim: t.field({
    type: Claim,
    dataClass: 'reference',
    description: 'One claim by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => findReachable(ctx, 'Claim', args.id, (id) => claimById(ctx).load(id)),
  }),
}));
