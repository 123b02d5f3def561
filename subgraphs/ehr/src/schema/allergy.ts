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
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false }),
    substance: t.exposeString('substance', { nullable: false }),
    reaction: t.exposeString('reaction'),
    severity: t.field({ type: AllergySeverity, resolve: (a) => a.severity }),
    status: t.field({ type: AllergyStatus, nullable: false, resolve: (a) => a.status }),
    recordedAt: t.field({ type: 'DateTime', resolve: (a) => a.recorded_at }),
  }),
});

PatientRef.implement({
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false }),
    allergies: t.field({
      type: [Allergy],
      description: 'Every allergy recorded for the patient, active and resolved.',
      resolve: (patient, _args, ctx) => allergiesByPatientId(ctx).load(patient.id),
    }),
  }),
});
