import type { AllergyRow } from '@chartbridge/db';
import { mutationResult } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { allergiesByPatientId, allergyStatusByPatientId } from '../data/allergy.loaders.js';
import { categoryOf } from '../rules/allergy-status.js';
import { classifyAllergen } from '../rules/drug-classes.js';
import { patientAllergyStatus, recordAllergy, recordNoKnownDrugAllergies, type PatientAllergyStatus } from '../services/allergy.service.js';
import { EncounterRef, PatientRef, requiresConsent } from './references.js';

const AllergySeverity = builder.enumType('AllergySeverity', {
  values: { MILD: { value: 'mild' }, MODERATE: { value: 'moderate' }, SEVERE: { value: 'severe' } } as const,
});

const AllergyStatus = builder.enumType('AllergyStatus', {
  values: { ACTIVE: { value: 'active' }, INACTIVE: { value: 'inactive' }, RESOLVED: { value: 'resolved' } } as const,
});

const AllergyCategory = builder.enumType('AllergyCategory', {
  description: 'What kind of thing the patient reacts to (HL7 FHIR AllergyIntolerance.category).',
  values: {
    MEDICATION: { value: 'medication' },
    FOOD: { value: 'food' },
    ENVIRONMENT: { value: 'environment', description: 'Latex, pollen, insect venom, ...' },
    BIOLOGIC: { value: 'biologic', description: 'Blood products, vaccines and other biologics.' },
  } as const,
});

const DrugAllergyStatus = builder.enumType('DrugAllergyStatus', {
  values: {
    UNKNOWN: { value: 'unknown', description: 'Nobody has recorded an active drug allergy or their absence.' },
    NO_KNOWN_DRUG_ALLERGIES: {
      value: 'no_known_drug_allergies',
      description: 'A clinician asked and recorded that there are none (NKDA).',
    },
    HAS_ALLERGIES: { value: 'has_allergies', description: 'At least one active drug allergy is on the chart.' },
  } as const,
});

export const Allergy = builder.objectRef<AllergyRow>('Allergy').implement({
  description: "An allergy or intolerance on the patient's chart.",
  patientOf: (a) => a.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    substance: t.exposeString('substance', { nullable: false, dataClass: 'clinical' }),
    allergenClass: t.string({
      dataClass: 'clinical',
      description: "The allergen's class, lower case (`penicillins`, `nsaids`): as recorded, else from the substance when known.",
      resolve: (a) => a.allergen_class ?? classifyAllergen(a.substance).allergenClass,
    }),
    category: t.field({
      type: AllergyCategory,
      dataClass: 'clinical',
      description: 'As recorded; for older rows, from the substance (an unknown substance counts as a medication).',
      resolve: (a) => categoryOf(a),
    }),
    reaction: t.exposeString('reaction', { dataClass: 'clinical' }),
    severity: t.field({ type: AllergySeverity, dataClass: 'clinical', resolve: (a) => a.severity }),
    status: t.field({ type: AllergyStatus, nullable: false, dataClass: 'clinical', resolve: (a) => a.status }),
    encounter: t.field({
      type: EncounterRef,
      dataClass: 'reference',
      description: 'The encounter it was recorded in, if any.',
      resolve: (a) => (a.encounter_id ? { id: a.encounter_id, patientId: a.patient_id } : null),
    }),
    recordedBy: t.exposeString('recorded_by', { dataClass: 'clinical', description: "Who recorded it (the user's subject)." }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (a) => a.recorded_at }),
  }),
});

const PatientAllergyStatusType = builder.objectRef<PatientAllergyStatus>('PatientAllergyStatus').implement({
  description: 'Whether the patient has drug allergies: recorded as a statement, never inferred from an empty list.',
  patientOf: (s) => s.patientId,
  fields: (t) => ({
    status: t.field({ type: DrugAllergyStatus, nullable: false, dataClass: 'clinical', resolve: (s) => s.status }),
    recordedAt: t.field({
      type: 'DateTime',
      dataClass: 'clinical',
      description: 'When "no known drug allergies" was last recorded or confirmed; null for the other statuses.',
      resolve: (s) => (s.status === 'no_known_drug_allergies' ? (s.statement?.recorded_at ?? null) : null),
    }),
    recordedBy: t.string({
      dataClass: 'clinical',
      description: 'Who recorded "no known drug allergies"; null for the other statuses.',
      resolve: (s) => (s.status === 'no_known_drug_allergies' ? (s.statement?.recorded_by ?? null) : null),
    }),
  }),
});

builder.objectFields(PatientRef, (t) => ({
  allergies: t.field({
    type: [Allergy],
    dataClass: 'clinical',
    ...requiresConsent(),
    description: 'Every allergy recorded for the patient, active and resolved.',
    resolve: (patient, _args, ctx) => allergiesByPatientId(ctx).load(patient.id),
  }),
  allergyStatus: t.field({
    type: PatientAllergyStatusType,
    dataClass: 'clinical',
    ...requiresConsent(),
    description: 'UNKNOWN until someone records an active drug allergy or "no known drug allergies".',
    resolve: async (patient, _args, ctx) => {
      const [allergies, statement] = await Promise.all([
        allergiesByPatientId(ctx).load(patient.id),
        allergyStatusByPatientId(ctx).load(patient.id),
      ]);
      return patientAllergyStatus(patient.id, allergies, statement);
    },
  }),
}));

const RecordAllergyInput = builder.inputType('RecordAllergyInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    encounterId: t.id({ description: "The encounter it is recorded in; must be the patient's." }),
    substance: t.string({ required: true }),
    allergenClass: t.string({ description: 'Lower-cased; derived from the substance when not given (`amoxicillin` gives `penicillins`).' }),
    category: t.field({
      type: AllergyCategory,
      description: 'Derived from the substance when not given; required when the substance is unknown.',
    }),
    reaction: t.string(),
    severity: t.field({ type: AllergySeverity }),
    status: t.field({ type: AllergyStatus, defaultValue: 'active' }),
  }),
});

builder.mutationFields((t) => ({
  recordAllergy: t.field({
    type: mutationResult(builder, 'RecordAllergyResult', Allergy),
    nullable: false,
    dataClass: 'reference',
    writes: 'allergy.record',
    description: 'Records an allergy (clinicians and nurses). An active drug allergy withdraws "no known drug allergies".',
    args: { input: t.arg({ type: RecordAllergyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordAllergy(ctx, {
        patientId: input.patientId,
        encounterId: input.encounterId ?? null,
        substance: input.substance,
        allergenClass: input.allergenClass ?? null,
        category: input.category ?? null,
        reaction: input.reaction ?? null,
        severity: input.severity ?? null,
        status: input.status ?? 'active',
      }),
  }),
  recordNoKnownDrugAllergies: t.field({
    type: mutationResult(builder, 'RecordNoKnownDrugAllergiesResult', PatientAllergyStatusType),
    nullable: false,
    dataClass: 'reference',
    writes: 'allergy_status.record',
    description:
      'Records that the patient has no known drug allergies (clinicians and nurses); a CONFLICT while an active drug allergy is on the chart.',
    args: {
      input: t.arg({
        type: builder.inputType('RecordNoKnownDrugAllergiesInput', { fields: (f) => ({ patientId: f.id({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) => recordNoKnownDrugAllergies(ctx, input),
  }),
}));
