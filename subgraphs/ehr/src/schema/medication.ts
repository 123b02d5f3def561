import type { MedicationRoute, MedicationStatus, PrescriptionRow } from '@chartbridge/db';
import { mutationResult } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { allergiesByPatientId } from '../data/allergy.loaders.js';
import { prescriptionsByEncounterId, prescriptionsByPatientId } from '../data/medication.loaders.js';
import { drugAllergyAlerts } from '../rules/drug-allergy-alerts.js';
import { MEDICATION_ROUTES } from '../rules/medication-formats.js';
import { prescribe, stopMedication } from '../services/prescription.service.js';
import { ClinicalAlert } from './clinical-alert.js';
import { EncounterRef, PatientRef, ProviderRef, requiresConsent, requiresEncounterPatient } from './references.js';

const MedicationStatusEnum = builder.enumType('MedicationStatus', {
  values: {
    ACTIVE: { value: 'active', description: 'On the active medication list.' },
    STOPPED: { value: 'stopped', description: 'Stopped; kept on the chart.' },
  } as const,
});

const MedicationRouteEnum = builder.enumType('MedicationRoute', {
  description: 'Route of administration.',
  values: Object.fromEntries(
    Object.entries(MEDICATION_ROUTES).map(([route, description]) => [route, { value: route, description }]),
  ) as Record<MedicationRoute, { value: MedicationRoute; description: string }>,
});

export const Prescription = builder.objectRef<PrescriptionRow>('Prescription').implement({
  description: "A prescription; while active, the drug is on the patient's active medication list.",
  patientOf: (p) => p.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    drugName: t.exposeString('drug_name', { dataClass: 'clinical' }),
    rxnormCode: t.exposeString('rxnorm_code', { dataClass: 'clinical', description: 'RxNorm concept id (RXCUI), when known.' }),
    drugClass: t.exposeString('drug_class', {
      dataClass: 'clinical',
      description: "Lower case (`penicillins`): as given, else from the drug's ingredients when known.",
    }),
    dose: t.exposeString('dose', { dataClass: 'clinical' }),
    route: t.field({ type: MedicationRouteEnum, dataClass: 'clinical', resolve: (p) => p.route }),
    frequency: t.exposeString('frequency', { dataClass: 'clinical' }),
    quantity: t.exposeInt('quantity', { dataClass: 'clinical' }),
    refills: t.exposeInt('refills', { dataClass: 'clinical' }),
    status: t.field({ type: MedicationStatusEnum, nullable: false, dataClass: 'clinical', resolve: (p) => p.status }),
    prescriber: t.field({ type: ProviderRef, dataClass: 'reference', resolve: (p) => ({ id: p.prescriber_id }) }),
    encounter: t.field({
      type: EncounterRef,
      dataClass: 'reference',
      description: 'The encounter it was written in, if any.',
      resolve: (p) => (p.encounter_id ? { id: p.encounter_id, patientId: p.patient_id } : null),
    }),
    overridden: t.boolean({
      dataClass: 'clinical',
      description: 'True when it was written despite drug-allergy alerts, with a reason.',
      resolve: (p) => p.override_reason !== null,
    }),
    overrideReason: t.exposeString('override_reason', { dataClass: 'clinical' }),
    alerts: t.field({
      type: [ClinicalAlert],
      nullable: false,
      dataClass: 'clinical',
      description: "Drug-allergy conflicts with the patient's active allergies, as the chart is now; none once stopped.",
      resolve: async (p, _args, ctx) => drugAllergyAlerts(p, await allergiesByPatientId(ctx).load(p.patient_id)),
    }),
    recordedBy: t.exposeString('recorded_by', { dataClass: 'clinical', description: "Who wrote it (the user's subject)." }),
    createdAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (p) => p.created_at }),
    stoppedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (p) => p.stopped_at }),
  }),
});

builder.objectField(PatientRef, 'medications', (t) =>
  t.field({
    type: [Prescription],
    dataClass: 'clinical',
    ...requiresConsent(),
    description: "The patient's medications in the order prescribed: the active list by default; `status: null` for all.",
    args: { status: t.arg({ type: MedicationStatusEnum, defaultValue: 'active' }) },
    resolve: async (patient, args, ctx) => {
      const all = await prescriptionsByPatientId(ctx).load(patient.id);
      const status: MedicationStatus | null | undefined = args.status;
      return status ? all.filter((p) => p.status === status) : all;
    },
  }),
);

builder.objectField(EncounterRef, 'medications', (t) =>
  t.field({
    type: [Prescription],
    dataClass: 'clinical',
    description: 'The prescriptions written in this encounter, active and stopped.',
    ...requiresEncounterPatient(),
    resolve: (encounter, _args, ctx) => prescriptionsByEncounterId(ctx).load(encounter.id),
  }),
);

const PrescribeInput = builder.inputType('PrescribeInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    encounterId: t.id({ description: "The encounter it is written in; must be the patient's." }),
    drugName: t.string({ required: true }),
    rxnormCode: t.string({ description: 'RxNorm concept id (RXCUI): 1 to 8 digits.' }),
    drugClass: t.string({
      description: "Lower-cased; derived from the drug's ingredients when not given (`amoxicillin` gives `penicillins`).",
    }),
    dose: t.string({ required: true, description: 'e.g. `500 mg`.' }),
    route: t.field({ type: MedicationRouteEnum, required: true }),
    frequency: t.string({ required: true, description: 'e.g. `every 8 hours`, `TID`.' }),
    quantity: t.int({ required: true, description: 'Units to dispense: 1 or more.' }),
    refills: t.int({ required: true, description: '0 to 11.' }),
    prescriberId: t.id({ required: true, description: 'The prescribing provider.' }),
    overrideReason: t.string({
      description: 'Why to prescribe despite drug-allergy alerts (10 to 1000 characters); required when an allergy in conflict is severe.',
    }),
  }),
});

const resultOf = (name: string) => mutationResult(builder, name, Prescription);

builder.mutationFields((t) => ({
  prescribe: t.field({
    type: resultOf('PrescribeResult'),
    nullable: false,
    dataClass: 'reference',
    writes: 'prescription.create',
    description:
      "Writes a prescription (clinicians and nurses), checked against the patient's active allergies: the conflicts come back as its `alerts`; " +
      'a conflict with a severe allergy needs an `overrideReason` (else a CONFLICT naming it, and nothing written).',
    args: { input: t.arg({ type: PrescribeInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      prescribe(ctx, {
        patientId: input.patientId,
        encounterId: input.encounterId ?? null,
        drugName: input.drugName,
        rxnormCode: input.rxnormCode ?? null,
        drugClass: input.drugClass ?? null,
        dose: input.dose,
        route: input.route,
        frequency: input.frequency,
        quantity: input.quantity,
        refills: input.refills,
        prescriberId: input.prescriberId,
        overrideReason: input.overrideReason ?? null,
      }),
  }),
  stopMedication: t.field({
    type: resultOf('StopMedicationResult'),
    nullable: false,
    dataClass: 'reference',
    writes: 'prescription.stop',
    description: 'Stops an active medication (clinicians and nurses): it leaves the active list and stays on the chart.',
    args: {
      input: t.arg({
        type: builder.inputType('StopMedicationInput', { fields: (f) => ({ id: f.id({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) => stopMedication(ctx, input),
  }),
}));
