import { builder } from '../builder.js';
import { allergiesByPatientId } from '../data/allergy.loaders.js';
import { prescriptionsByPatientId } from '../data/medication.loaders.js';
import { problemsByPatientId } from '../data/problem.loaders.js';
import { latestVitalsByPatientId } from '../data/vitals.loaders.js';
import { Allergy } from './allergy.js';
import { patientAlerts } from './alerts.js';
import { ClinicalAlert } from './clinical-alert.js';
import { Prescription } from './medication.js';
import { Problem } from './problem.js';
import { PatientRef, type EntityKey, type PatientRepresentation } from './references.js';
import { VitalSigns } from './vitals.js';

/** What the PMS sends with an appointment's key when `previsitSummary` requires its patient. */
interface AppointmentRepresentation extends EntityKey {
  readonly patient?: PatientRepresentation | null;
}

interface PrevisitSummaryShape {
  readonly patient: PatientRepresentation;
}

/**
 * Clinical preparation (docs/PRACTICE-DOMAIN.md, "Where the two domains meet"): the PMS schedule drives it, the EHR
 * contributes a summary to each appointment. The appointment's patient (with the PMS's birth date,
 * sex and a partner's consent) arrives through `@requires`, so no patient id is taken from a client.
 */
const AppointmentRef = builder.externalRef('Appointment', builder.selection<EntityKey>('id'), (ref, ctx): AppointmentRepresentation => {
  const { patient } = ref as AppointmentRepresentation;
  if (patient?.consentedDataClasses) ctx.access.registerConsent(patient.id, patient.consentedDataClasses);
  return ref;
});

const PrevisitSummary = builder.objectRef<PrevisitSummaryShape>('PrevisitSummary').implement({
  description: 'What a clinician reads before the visit: allergies, active medications and problems, open alerts, last vitals.',
  patientOf: (s) => s.patient.id,
  fields: (t) => ({
    allergies: t.field({
      type: [Allergy],
      nullable: false,
      dataClass: 'clinical',
      description: 'Active allergies.',
      resolve: async (s, _args, ctx) => (await allergiesByPatientId(ctx).load(s.patient.id)).filter((a) => a.status === 'active'),
    }),
    activeMedications: t.field({
      type: [Prescription],
      nullable: false,
      dataClass: 'clinical',
      resolve: async (s, _args, ctx) => (await prescriptionsByPatientId(ctx).load(s.patient.id)).filter((p) => p.status === 'active'),
    }),
    activeProblems: t.field({
      type: [Problem],
      nullable: false,
      dataClass: 'clinical',
      resolve: async (s, _args, ctx) => (await problemsByPatientId(ctx).load(s.patient.id)).filter((p) => p.status === 'active'),
    }),
    alerts: t.field({
      type: [ClinicalAlert],
      nullable: false,
      dataClass: 'clinical',
      description: 'Open decision-support alerts, most urgent first (as Patient.alerts).',
      resolve: (s, _args, ctx) => patientAlerts(ctx, s.patient, new Date()),
    }),
    lastVitals: t.field({
      type: VitalSigns,
      dataClass: 'clinical',
      resolve: (s, _args, ctx) => latestVitalsByPatientId(ctx).load(s.patient.id),
    }),
  }),
});

AppointmentRef.implement({
  // The appointment's patient arrives with `previsitSummary`'s `@requires`; without it nothing of a patient is answered.
  patientOf: (a) => a.patient?.id ?? null,
  externalFields: (t) => ({ patient: t.field({ type: PatientRef, nullable: false, dataClass: 'reference' }) }),
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    previsitSummary: t.field({
      type: PrevisitSummary,
      dataClass: 'clinical',
      requires: builder.selection<{
        patient?: { id: string; birthDate?: string | null; sex?: string | null; consentedDataClasses?: string[] | null } | null;
      }>('patient { id birthDate sex consentedDataClasses }'),
      resolve: (appointment) => {
        const { patient } = appointment as AppointmentRepresentation;
        return patient ? { patient } : null;
      },
    }),
  }),
});
