import { builder } from '../builder.js';
import { allergiesByEncounterId } from '../data/allergy.loaders.js';
import { immunizationsByEncounterId } from '../data/immunization.loaders.js';
import { problemsByEncounterId } from '../data/problem.loaders.js';
import { Allergy } from './allergy.js';
import { Immunization } from './immunization.js';
import { Problem } from './problem.js';
import { EncounterRef, requiresEncounterPatient } from './references.js';

// The chart entries recorded during a visit, beside its notes, coding, prescriptions, vitals and
// lab orders, so a visit reads as a whole. The patient's full lists stay on Patient.
builder.objectFields(EncounterRef, (t) => ({
  allergies: t.field({
    type: [Allergy],
    dataClass: 'clinical',
    description: 'Allergies recorded during this visit.',
    ...requiresEncounterPatient(),
    resolve: (e, _args, ctx) => allergiesByEncounterId(ctx).load(e.id),
  }),
  problems: t.field({
    type: [Problem],
    dataClass: 'clinical',
    description: 'Problems added to the list during this visit.',
    ...requiresEncounterPatient(),
    resolve: (e, _args, ctx) => problemsByEncounterId(ctx).load(e.id),
  }),
  immunizations: t.field({
    type: [Immunization],
    dataClass: 'clinical',
    description: 'Immunizations given during this visit.',
    ...requiresEncounterPatient(),
    resolve: (e, _args, ctx) => immunizationsByEncounterId(ctx).load(e.id),
  }),
}));
