import type { ImmunizationRow } from '@chartbridge/db';
import { codingType, mutationResult } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { immunizationsByPatientId } from '../data/immunization.loaders.js';
import { recordImmunization } from '../services/immunization.service.js';
import { EncounterRef, PatientRef, ProviderRef, requiresConsent } from './references.js';

const Coding = codingType(builder);

/** FHIR's URI for the CDC's CVX code system (https://terminology.hl7.org/CodeSystem-CVX.html). */
const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';

export const Immunization = builder.objectRef<ImmunizationRow>('Immunization').implement({
  description: 'A vaccine given to the patient, coded in CVX.',
  patientOf: (i) => i.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    code: t.field({
      type: Coding,
      nullable: false,
      dataClass: 'clinical',
      description: 'The CVX code, with the vaccine name as its display.',
      resolve: (i) => ({ system: CVX_SYSTEM, code: i.cvx_code, display: i.vaccine_name }),
    }),
    vaccineName: t.exposeString('vaccine_name', { dataClass: 'clinical' }),
    administeredOn: t.field({ type: 'Date', dataClass: 'clinical', resolve: (i) => i.administered_on }),
    lotNumber: t.exposeString('lot_number', { dataClass: 'clinical' }),
    site: t.exposeString('site', { dataClass: 'clinical', description: 'Where on the body it was given, e.g. "left deltoid".' }),
    performer: t.field({
      type: ProviderRef,
      dataClass: 'reference',
      description: 'Who gave it; null when given elsewhere.',
      resolve: (i) => (i.performer_id ? { id: i.performer_id } : null),
    }),
    encounter: t.field({
      type: EncounterRef,
      dataClass: 'reference',
      description: 'The encounter it was recorded in, if any.',
      resolve: (i) => (i.encounter_id ? { id: i.encounter_id, patientId: i.patient_id } : null),
    }),
    recordedBy: t.exposeString('recorded_by', { dataClass: 'clinical', description: "Who recorded it (the user's subject)." }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (i) => i.recorded_at }),
  }),
});

builder.objectField(PatientRef, 'immunizations', (t) =>
  t.field({
    type: [Immunization],
    dataClass: 'clinical',
    ...requiresConsent(),
    description: 'Every immunization on the chart, the most recently given first.',
    resolve: (patient, _args, ctx) => immunizationsByPatientId(ctx).load(patient.id),
  }),
);

const RecordImmunizationInput = builder.inputType('RecordImmunizationInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    encounterId: t.id({ description: "The encounter it is given or reported in; must be the patient's." }),
    cvxCode: t.string({ required: true, description: 'CDC CVX code: 1 to 3 digits (e.g. 150, influenza, injectable, quadrivalent).' }),
    vaccineName: t.string({ required: true }),
    administeredOn: t.field({ type: 'Date', required: true, description: 'Not in the future; earlier for a dose given elsewhere.' }),
    lotNumber: t.string(),
    site: t.string({ description: 'Body site, e.g. "left deltoid".' }),
    performerId: t.id({ description: 'The provider who gave it.' }),
  }),
});

builder.mutationFields((t) => ({
  recordImmunization: t.field({
    type: mutationResult(builder, 'RecordImmunizationResult', Immunization),
    nullable: false,
    dataClass: 'reference',
    writes: 'immunization.record',
    description: "Records an immunization on the patient's chart (clinicians and nurses).",
    args: { input: t.arg({ type: RecordImmunizationInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordImmunization(ctx, {
        patientId: input.patientId,
        encounterId: input.encounterId ?? null,
        cvxCode: input.cvxCode,
        vaccineName: input.vaccineName,
        administeredOn: input.administeredOn,
        lotNumber: input.lotNumber ?? null,
        site: input.site ?? null,
        performerId: input.performerId ?? null,
      }),
  }),
}));
