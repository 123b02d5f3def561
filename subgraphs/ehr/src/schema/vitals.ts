import type { VitalSignsRow } from '@chartbridge/db';
import { connectionType, mutationResult, pageRequest, toConnection } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { latestVitalsByPatientId, vitalsByEncounterId, vitalsPageByPatient } from '../data/vitals.loaders.js';
import { UCUM, fromCelsius, fromCentimetres, fromKilograms } from '../rules/vital-signs.js';
import { recordVitals } from '../services/vitals.service.js';
import { EncounterRef, PatientRef, requiresConsent, requiresEncounterPatient } from './references.js';

/** A measured value and its unit. */
interface QuantityShape {
  readonly value: number;
  readonly unit: string;
}

const Quantity = builder.objectRef<QuantityShape>('Quantity').implement({
  description:
    'A measured value with its unit, a UCUM code (https://ucum.org): `Cel`, `[degF]`, `kg`, `[lb_av]`, `cm`, `[in_i]`, `/min`, `kg/m2`.',
  fields: (t) => ({
    value: t.exposeFloat('value', { nullable: false, dataClass: 'reference' }),
    unit: t.exposeString('unit', { nullable: false, dataClass: 'reference' }),
  }),
});

const BloodPressure = builder.objectRef<{ readonly systolic: number; readonly diastolic: number }>('BloodPressure').implement({
  description: 'A blood pressure reading, in mmHg (UCUM `mm[Hg]`).',
  fields: (t) => ({
    systolic: t.exposeInt('systolic', { nullable: false, dataClass: 'reference' }),
    diastolic: t.exposeInt('diastolic', { nullable: false, dataClass: 'reference' }),
    unit: t.string({ nullable: false, dataClass: 'reference', resolve: () => UCUM.mmHg }),
  }),
});

const TemperatureUnitEnum = builder.enumType('TemperatureUnit', {
  values: {
    CEL: { value: 'CEL', description: 'Degrees Celsius (UCUM `Cel`).' },
    FAH: { value: 'FAH', description: 'Degrees Fahrenheit (UCUM `[degF]`).' },
  } as const,
});
const WeightUnitEnum = builder.enumType('WeightUnit', {
  values: {
    KG: { value: 'KG', description: 'Kilograms.' },
    LB: { value: 'LB', description: 'Avoirdupois pounds (UCUM `[lb_av]`).' },
  } as const,
});
const LengthUnitEnum = builder.enumType('LengthUnit', {
  values: {
    CM: { value: 'CM', description: 'Centimetres.' },
    IN: { value: 'IN', description: 'International inches (UCUM `[in_i]`).' },
  } as const,
});

function quantity(stored: string | null, convert: (value: number) => number, unit: string): QuantityShape | null {
  return stored === null ? null : { value: convert(Number(stored)), unit };
}

export const VitalSigns = builder.objectRef<VitalSignsRow>('VitalSigns').implement({
  description: 'One set of vital signs. Every measurement names its unit; temperature, weight and height can be read in either unit.',
  patientOf: (v) => v.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    takenAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (v) => v.taken_at }),
    encounter: t.field({
      type: EncounterRef,
      dataClass: 'reference',
      description: 'The encounter they were taken in, if any.',
      resolve: (v) => (v.encounter_id ? { id: v.encounter_id, patientId: v.patient_id } : null),
    }),
    bloodPressure: t.field({
      type: BloodPressure,
      dataClass: 'clinical',
      resolve: (v) =>
        v.systolic_mmhg !== null && v.diastolic_mmhg !== null ? { systolic: v.systolic_mmhg, diastolic: v.diastolic_mmhg } : null,
    }),
    heartRate: t.field({
      type: Quantity,
      dataClass: 'clinical',
      description: 'Beats per minute (`/min`).',
      resolve: (v) => (v.heart_rate_per_min === null ? null : { value: v.heart_rate_per_min, unit: UCUM.perMinute }),
    }),
    temperature: t.field({
      type: Quantity,
      dataClass: 'clinical',
      args: { unit: t.arg({ type: TemperatureUnitEnum, defaultValue: 'CEL', required: true }) },
      resolve: (v, { unit }) => quantity(v.temperature_cel, (c) => fromCelsius(c, unit), UCUM[unit]),
    }),
    weight: t.field({
      type: Quantity,
      dataClass: 'clinical',
      args: { unit: t.arg({ type: WeightUnitEnum, defaultValue: 'KG', required: true }) },
      resolve: (v, { unit }) => quantity(v.weight_kg, (kg) => fromKilograms(kg, unit), UCUM[unit]),
    }),
    height: t.field({
      type: Quantity,
      dataClass: 'clinical',
      args: { unit: t.arg({ type: LengthUnitEnum, defaultValue: 'CM', required: true }) },
      resolve: (v, { unit }) => quantity(v.height_cm, (cm) => fromCentimetres(cm, unit), UCUM[unit]),
    }),
    bmi: t.field({
      type: Quantity,
      dataClass: 'clinical',
      description: "Body mass index (`kg/m2`, one decimal), from this weight and this height or the patient's latest one.",
      resolve: (v) => quantity(v.bmi, (bmi) => bmi, UCUM.bmi),
    }),
    recordedBy: t.exposeString('recorded_by', { dataClass: 'clinical', description: "Who recorded them (the user's subject)." }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (v) => v.recorded_at }),
  }),
});

const VitalSignsConnection = connectionType(builder, 'VitalSigns', VitalSigns);

builder.objectFields(PatientRef, (t) => ({
  vitals: t.field({
    type: VitalSignsConnection,
    dataClass: 'clinical',
    ...requiresConsent(),
    description: "The patient's vital signs, newest first (`first` up to 100, default 20).",
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (patient, args, ctx) => {
      const page = pageRequest(args, ['instant', 'uuid']);
      const [at, id] = page.after ?? [];
      const rows = await vitalsPageByPatient(ctx).load({
        patientId: patient.id,
        first: page.first,
        ...(at && id ? { after: [new Date(at), id] as const } : {}),
      });
      return toConnection(rows, page, (v) => [v.taken_at.toISOString(), v.id]);
    },
  }),
  lastVitals: t.field({
    type: VitalSigns,
    dataClass: 'clinical',
    ...requiresConsent(),
    description: 'The newest set of vital signs; null when none was taken.',
    resolve: (patient, _args, ctx) => latestVitalsByPatientId(ctx).load(patient.id),
  }),
}));

builder.objectField(EncounterRef, 'vitals', (t) =>
  t.field({
    type: [VitalSigns],
    dataClass: 'clinical',
    description: 'The vital signs taken in this encounter, in the order they were taken.',
    ...requiresEncounterPatient(),
    resolve: (encounter, _args, ctx) => vitalsByEncounterId(ctx).load(encounter.id),
  }),
);

const RecordVitalsInput = builder.inputType('RecordVitalsInput', {
  description: 'Any measurements of one set of vital signs. Temperature, weight and height each need their unit.',
  fields: (t) => ({
    patientId: t.id({ required: true }),
    encounterId: t.id({ description: "The encounter they are taken in; must be the patient's." }),
    takenAt: t.field({ type: 'DateTime', description: 'When they were taken; now when not given. Not in the future.' }),
    systolic: t.int({ description: 'mmHg, 50 to 300; with diastolic.' }),
    diastolic: t.int({ description: 'mmHg, 20 to 200, below systolic; with systolic.' }),
    heartRate: t.int({ description: 'Beats per minute, 20 to 300.' }),
    temperature: t.float({ description: '25 to 45 Celsius (77 to 113 Fahrenheit).' }),
    temperatureUnit: t.field({ type: TemperatureUnitEnum, description: 'Required with temperature.' }),
    weight: t.float({ description: '0.2 to 500 kg.' }),
    weightUnit: t.field({ type: WeightUnitEnum, description: 'Required with weight.' }),
    height: t.float({ description: '20 to 275 cm.' }),
    heightUnit: t.field({ type: LengthUnitEnum, description: 'Required with height.' }),
  }),
});

builder.mutationFields((t) => ({
  recordVitals: t.field({
    type: mutationResult(builder, 'RecordVitalsResult', VitalSigns),
    nullable: false,
    dataClass: 'reference',
    writes: 'vitals.record',
    description:
      'Records a set of vital signs (clinicians and nurses); stored in Celsius, kilograms and centimetres, with the BMI derived.',
    args: { input: t.arg({ type: RecordVitalsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordVitals(ctx, {
        patientId: input.patientId,
        encounterId: input.encounterId ?? null,
        takenAt: input.takenAt ?? null,
        systolic: input.systolic ?? null,
        diastolic: input.diastolic ?? null,
        heartRate: input.heartRate ?? null,
        temperature: input.temperature ?? null,
        temperatureUnit: input.temperatureUnit ?? null,
        weight: input.weight ?? null,
        weightUnit: input.weightUnit ?? null,
        height: input.height ?? null,
        heightUnit: input.heightUnit ?? null,
      }),
  }),
}));
