import type { DiagnosisRow, ProcedureRow } from '@chartbridge/db';
import { coding, codingType, mutationResult, notFound, parseId } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { noteById } from '../data/clinical-note.loaders.js';
import {
  diagnosesByEncounterId,
  diagnosisById,
  linkedDiagnosesByProcedureId,
  procedureById,
  proceduresByEncounterId,
} from '../data/coding.loaders.js';
import { recordDiagnosis, recordProcedure } from '../services/coding.service.js';
import { ClinicalNote } from './clinical-note.js';
import { EncounterRef, ProviderRef, requiresEncounterPatient } from './references.js';

const Coding = codingType(builder);

export const Diagnosis = builder.objectRef<DiagnosisRow>('Diagnosis').implement({
  description: 'A diagnosis documented for an encounter, in ICD-10-CM.',
  patientOf: (d) => d.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    code: t.field({
      type: Coding,
      nullable: false,
      dataClass: 'clinical_coding',
      resolve: (d) => coding('icd10cm', d.code, d.description),
    }),
    encounter: t.field({
      type: EncounterRef,
      nullable: false,
      dataClass: 'reference',
      resolve: (d) => ({ id: d.encounter_id, patientId: d.patient_id }),
    }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (d) => d.created_at }),
  }),
});

builder.asEntity(Diagnosis, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => diagnosisById(ctx).load(ref.id),
});

export const Procedure = builder.objectRef<ProcedureRow>('Procedure').implement({
  description: 'A procedure documented for an encounter, in CPT or HCPCS, with the diagnoses that justify it.',
  patientOf: (p) => p.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    code: t.field({
      type: Coding,
      nullable: false,
      dataClass: 'clinical_coding',
      resolve: (p) => coding(p.code_system, p.code, p.display),
    }),
    units: t.exposeInt('units', { nullable: false, dataClass: 'clinical_coding' }),
    modifiers: t.stringList({ nullable: false, dataClass: 'clinical_coding', resolve: (p) => p.modifiers }),
    performer: t.field({ type: ProviderRef, dataClass: 'reference', resolve: (p) => ({ id: p.performer_id }) }),
    diagnoses: t.field({
      type: [Diagnosis],
      nullable: false,
      dataClass: 'clinical_coding',
      description: 'The diagnoses that justify it, in claim-pointer order.',
      resolve: (p, _args, ctx) => linkedDiagnosesByProcedureId(ctx).load(p.id),
    }),
    note: t.field({
      type: ClinicalNote,
      dataClass: 'reference',
      resolve: (p, _args, ctx) => (p.note_id ? noteById(ctx).load(p.note_id) : null),
    }),
    encounter: t.field({
      type: EncounterRef,
      nullable: false,
      dataClass: 'reference',
      resolve: (p) => ({ id: p.encounter_id, patientId: p.patient_id }),
    }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (p) => p.created_at }),
  }),
});

builder.asEntity(Procedure, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => procedureById(ctx).load(ref.id),
});

builder.objectFields(EncounterRef, (t) => ({
  diagnoses: t.field({
    type: [Diagnosis],
    dataClass: 'clinical_coding',
    ...requiresEncounterPatient(),
    resolve: (e, _args, ctx) => diagnosesByEncounterId(ctx).load(e.id),
  }),
  procedures: t.field({
    type: [Procedure],
    dataClass: 'clinical_coding',
    ...requiresEncounterPatient(),
    resolve: (e, _args, ctx) => proceduresByEncounterId(ctx).load(e.id),
  }),
}));

builder.queryFields((t) => ({
  procedure: t.field({
    type: Procedure,
    dataClass: 'reference',
    description: 'One documented procedure by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      const procedure = await procedureById(ctx).load(id);
      if (!procedure) throw notFound('Procedure', id);
      ctx.access.assertCanReachPatient(procedure.patient_id);
      return procedure;
    },
  }),
}));

const RecordDiagnosisResult = mutationResult(builder, 'RecordDiagnosisResult', Diagnosis);

const RecordProcedureResult = mutationResult(builder, 'RecordProcedureResult', Procedure);

const RecordDiagnosisInput = builder.inputType('RecordDiagnosisInput', {
  fields: (t) => ({
    encounterId: t.id({ required: true }),
    code: t.string({ required: true, description: 'ICD-10-CM, with or without its dot.' }),
  }),
});

const RecordProcedureInput = builder.inputType('RecordProcedureInput', {
  fields: (t) => ({
    encounterId: t.id({ required: true }),
    code: t.string({ required: true, description: 'CPT or HCPCS Level II.' }),
    display: t.string({ description: "Required for CPT: CPT's descriptions are the AMA's, so the caller supplies the text." }),
    units: t.int({ defaultValue: 1 }),
    modifiers: t.stringList({ defaultValue: [], description: 'Up to 4, e.g. 25, 59, LT.' }),
    performerId: t.id({ required: true }),
    diagnosisIds: t.idList({ required: true, description: '1 to 4 diagnoses of the same encounter, in pointer order.' }),
    noteId: t.id(),
  }),
});

builder.mutationFields((t) => ({
  recordDiagnosis: t.field({
    type: RecordDiagnosisResult,
    nullable: false,
    dataClass: 'reference',
    writes: 'diagnosis.record',
    args: { input: t.arg({ type: RecordDiagnosisInput, required: true }) },
    resolve: (_root, { input }, ctx) => recordDiagnosis(ctx, input),
  }),
  recordProcedure: t.field({
    type: RecordProcedureResult,
    nullable: false,
    dataClass: 'reference',
    writes: 'procedure.record',
    args: { input: t.arg({ type: RecordProcedureInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordProcedure(ctx, {
        encounterId: input.encounterId,
        code: input.code,
        display: input.display ?? null,
        units: input.units ?? 1,
        modifiers: input.modifiers ?? [],
        performerId: input.performerId,
        diagnosisIds: input.diagnosisIds,
        noteId: input.noteId ?? null,
      }),
  }),
}));
