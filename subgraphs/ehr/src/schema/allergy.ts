import type { AllergyRow } from '@chartbridge/db';
import { builder } from '../builder.js';
import { allergiesByPatientId } from '../data/loaders.js';
import { PatientRef } from './references.js';

const AllergySeverity = builder.enumType('AllergySeverity', {
  values: { MILD: { value: 'mild' }, MODERATE: { value: 'moderate' }, SEVERE: { value: 'severe' } } as const,
});

const AllergyStatus = builder.enumType('AllergyStatus', {
  values: { ACTIVE: { value: 'active' }, INACTIVE: { value: 'inactive' }, RESOLVED: { value: 'resolved' } } as const,
});

export const Allergy = builder.objectRef<AllergyRow>('Allergy').implement({
  description: 'An allergy or intolerance on the patient\'s chart.',
  patientOf: (a) => a.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    substance: t.exposeString('substance', { nullable: false, dataClass: 'clinical' }),
    reaction: t.exposeString('reaction', { dataClass: 'clinical' }),
    severity: t.field({ type: AllergySeverity, dataClass: 'clinical', resolve: (a) => a.severity }),
    status: t.field({ type: AllergyStatus, nullable: false, dataClass: 'clinical', resolve: (a) => a.status }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (a) => a.recorded_at }),
  }),
});

PatientRef.implement({
  patientOf: (p) => p.id,
  externalFields: (t) => ({
    consentedDataClasses: t.stringList({ dataClass: 'reference' }),
  }),
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    allergies: t.field({
      type: [Allergy],
      dataClass: 'clinical',
      // A partner's consent lives in the PMS; requiring it here applies it to clinical data too (the
      // value is read where the representation arrives, references.ts).
      requires: builder.selection<{ consentedDataClasses?: string[] | null }>('consentedDataClasses'),
      description: 'Every allergy recorded for the patient, active and resolved.',
      resolve: (patient, _args, ctx) => allergiesByPatientId(ctx).load(patient.id),
    }),
  }),
});
