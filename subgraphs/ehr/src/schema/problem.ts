import type { ProblemRow } from '@chartbridge/db';
import { coding, codingType, mutationResult } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { problemsByPatientId } from '../data/problem.loaders.js';
import { recordProblem } from '../services/problem.service.js';
import { EncounterRef, PatientRef, requiresConsent } from './references.js';

const Coding = codingType(builder);

const ProblemStatus = builder.enumType('ProblemStatus', {
  values: { ACTIVE: { value: 'active' }, RESOLVED: { value: 'resolved' } } as const,
});

export const Problem = builder.objectRef<ProblemRow>('Problem').implement({
  description: "A condition on the patient's problem list, in ICD-10-CM.",
  patientOf: (p) => p.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    code: t.field({
      type: Coding,
      dataClass: 'clinical',
      description: 'ICD-10-CM, with the description the clinician recorded.',
      resolve: (p) => coding('icd10cm', p.code, p.description),
    }),
    description: t.exposeString('description', { dataClass: 'clinical' }),
    status: t.field({ type: ProblemStatus, nullable: false, dataClass: 'clinical', resolve: (p) => p.status }),
    onsetDate: t.field({ type: 'Date', dataClass: 'clinical', resolve: (p) => p.onset_date }),
    encounter: t.field({
      type: EncounterRef,
      dataClass: 'reference',
      description: 'The encounter it was recorded in, if any.',
      resolve: (p) => (p.encounter_id ? { id: p.encounter_id, patientId: p.patient_id } : null),
    }),
    recordedBy: t.exposeString('recorded_by', { dataClass: 'clinical', description: "Who recorded it (the user's subject)." }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (p) => p.recorded_at }),
  }),
});

builder.objectField(PatientRef, 'problems', (t) =>
  t.field({
    type: [Problem],
    dataClass: 'clinical',
    ...requiresConsent(),
    description: "The patient's problem list, active and resolved, in the order recorded.",
    resolve: (patient, _args, ctx) => problemsByPatientId(ctx).load(patient.id),
  }),
);

const RecordProblemInput = builder.inputType('RecordProblemInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    encounterId: t.id({ description: "The encounter it is recorded in; must be the patient's." }),
    code: t.string({ required: true, description: 'ICD-10-CM (`E11.9`; `e119` is read as `E11.9`).' }),
    description: t.string({ required: true }),
    status: t.field({ type: ProblemStatus, defaultValue: 'active' }),
    onsetDate: t.field({ type: 'Date', description: 'Not in the future.' }),
  }),
});

builder.mutationField('recordProblem', (t) =>
  t.field({
    type: mutationResult(builder, 'RecordProblemResult', Problem),
    nullable: false,
    dataClass: 'reference',
    writes: 'problem.record',
    description: "Adds a problem to the patient's problem list (clinicians and nurses); a code already active on it is a CONFLICT.",
    args: { input: t.arg({ type: RecordProblemInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordProblem(ctx, {
        patientId: input.patientId,
        encounterId: input.encounterId ?? null,
        code: input.code,
        description: input.description,
        status: input.status ?? 'active',
        onsetDate: input.onsetDate ?? null,
      }),
  }),
);
