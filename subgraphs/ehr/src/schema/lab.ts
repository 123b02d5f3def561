import type { LabFlag, LabOrderRow, LabResultRow } from '@chartbridge/db';
import { codingType, connectionType, mutationResult, pageRequest, toConnection } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { labOrderById, labOrdersByEncounterId, labResultsByOrderId, labResultsPageByPatient } from '../data/lab.loaders.js';
import { orderLab, recordLabResult } from '../services/lab.service.js';
import { EncounterRef, PatientRef, ProviderRef, requiresConsent, requiresEncounterPatient } from './references.js';

const Coding = codingType(builder);

/** LOINC's code system URI (https://loinc.org; FHIR names it so). */
const LOINC_SYSTEM = 'http://loinc.org';

const LabFlagEnum = builder.enumType('LabFlag', {
  description: 'Abnormal flag of a result, in HL7 v2 table 0078 codes.',
  values: {
    N: { value: 'N', description: 'Normal: within the reference range.' },
    L: { value: 'L', description: 'Below the reference range.' },
    H: { value: 'H', description: 'Above the reference range.' },
    LL: { value: 'LL', description: 'Below the critical (panic) low limit.' },
    HH: { value: 'HH', description: 'Above the critical (panic) high limit.' },
    A: { value: 'A', description: 'Abnormal (a result that is not a number).' },
  } satisfies Record<LabFlag, { value: LabFlag; description: string }>,
});

const LabOrderStatusEnum = builder.enumType('LabOrderStatus', {
  values: {
    ORDERED: { value: 'ordered', description: 'Waiting for results.' },
    RESULTED: { value: 'resulted', description: 'At least one result was recorded.' },
  } as const,
});

const ResultRange = builder.objectRef<{ readonly low: string | null; readonly high: string | null }>('ResultRange').implement({
  description: "Limits of a numeric result, in the result's unit; either side may be open.",
  fields: (t) => ({
    low: t.float({ dataClass: 'reference', resolve: (r) => (r.low === null ? null : Number(r.low)) }),
    high: t.float({ dataClass: 'reference', resolve: (r) => (r.high === null ? null : Number(r.high)) }),
  }),
});

function range(low: string | null, high: string | null) {
  return low === null && high === null ? null : { low, high };
}

// Declared before they are implemented: a result points at its order and an order lists its results.
export const LabOrder = builder.objectRef<LabOrderRow>('LabOrder');
export const LabResult = builder.objectRef<LabResultRow>('LabResult');

LabResult.implement({
  description: 'A result of a lab order: a number with its unit, or a text, with its reference range and abnormal flag.',
  patientOf: (r) => r.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    order: t.field({ type: LabOrder, dataClass: 'reference', resolve: (r, _args, ctx) => labOrderById(ctx).load(r.order_id) }),
    code: t.field({
      type: Coding,
      nullable: false,
      dataClass: 'clinical',
      description: 'The LOINC code of the observation.',
      resolve: (r) => ({ system: LOINC_SYSTEM, code: r.loinc_code, display: null }),
    }),
    numericValue: t.float({ dataClass: 'clinical', resolve: (r) => (r.value_numeric === null ? null : Number(r.value_numeric)) }),
    textValue: t.exposeString('value_text', { dataClass: 'clinical' }),
    unit: t.exposeString('unit', { dataClass: 'clinical', description: 'UCUM unit of a numeric value.' }),
    referenceRange: t.field({ type: ResultRange, dataClass: 'clinical', resolve: (r) => range(r.reference_low, r.reference_high) }),
    criticalRange: t.field({
      type: ResultRange,
      dataClass: 'clinical',
      description: 'The critical (panic) limits, when the laboratory gave them.',
      resolve: (r) => range(r.critical_low, r.critical_high),
    }),
    flag: t.field({
      type: LabFlagEnum,
      dataClass: 'clinical',
      description: "The laboratory's flag, or computed from the limits.",
      resolve: (r) => r.flag,
    }),
    critical: t.exposeBoolean('critical', {
      nullable: false,
      dataClass: 'clinical',
      description: 'A critical (panic) value: act on it now.',
    }),
    observedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (r) => r.observed_at }),
    recordedBy: t.exposeString('recorded_by', { dataClass: 'clinical', description: "Who recorded it (the user's subject)." }),
    recordedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (r) => r.recorded_at }),
  }),
});

LabOrder.implement({
  description: 'A lab test ordered in an encounter (LOINC-coded), with its results.',
  patientOf: (o) => o.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    code: t.field({
      type: Coding,
      nullable: false,
      dataClass: 'clinical',
      description: 'The LOINC code, with the test name as its display.',
      resolve: (o) => ({ system: LOINC_SYSTEM, code: o.loinc_code, display: o.test_name }),
    }),
    testName: t.exposeString('test_name', { dataClass: 'clinical' }),
    status: t.field({ type: LabOrderStatusEnum, nullable: false, dataClass: 'clinical', resolve: (o) => o.status }),
    encounter: t.field({
      type: EncounterRef,
      nullable: false,
      dataClass: 'reference',
      resolve: (o) => ({ id: o.encounter_id, patientId: o.patient_id }),
    }),
    orderingProvider: t.field({ type: ProviderRef, dataClass: 'reference', resolve: (o) => ({ id: o.ordering_provider_id }) }),
    orderedBy: t.exposeString('ordered_by', { dataClass: 'clinical', description: "Who entered the order (the user's subject)." }),
    orderedAt: t.field({ type: 'DateTime', dataClass: 'clinical', resolve: (o) => o.ordered_at }),
    results: t.field({
      type: [LabResult],
      dataClass: 'clinical',
      description: 'Its results, in the order they were observed.',
      resolve: (o, _args, ctx) => labResultsByOrderId(ctx).load(o.id),
    }),
  }),
});

const LabResultConnection = connectionType(builder, 'LabResult', LabResult);

builder.objectField(PatientRef, 'labResults', (t) =>
  t.field({
    type: LabResultConnection,
    dataClass: 'clinical',
    ...requiresConsent(),
    description: "The patient's lab results, newest first (`first` up to 100, default 20).",
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (patient, args, ctx) => {
      const page = pageRequest(args, ['instant', 'uuid']);
      const [at, id] = page.after ?? [];
      const rows = await labResultsPageByPatient(ctx).load({
        patientId: patient.id,
        first: page.first,
        ...(at && id ? { after: [new Date(at), id] as const } : {}),
      });
      return toConnection(rows, page, (r) => [r.observed_at.toISOString(), r.id]);
    },
  }),
);

builder.objectField(EncounterRef, 'labOrders', (t) =>
  t.field({
    type: [LabOrder],
    dataClass: 'clinical',
    description: 'The lab tests ordered in this encounter, in the order they were placed, with their results.',
    ...requiresEncounterPatient(),
    resolve: (encounter, _args, ctx) => labOrdersByEncounterId(ctx).load(encounter.id),
  }),
);

const OrderLabInput = builder.inputType('OrderLabInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    encounterId: t.id({ required: true, description: "The encounter it is ordered in; must be the patient's, and not cancelled." }),
    orderingProviderId: t.id({ required: true }),
    loincCode: t.string({ required: true, description: 'LOINC code: 1 to 7 digits, a hyphen and its Mod 10 check digit (e.g. 2345-7).' }),
    testName: t.string({ required: true }),
  }),
});

const RecordLabResultInput = builder.inputType('RecordLabResultInput', {
  description: 'One result of an order: exactly one of numericValue (with its unit) and textValue.',
  fields: (t) => ({
    orderId: t.id({ required: true }),
    loincCode: t.string({ description: "The observation's own LOINC code (a panel's member); the order's when not given." }),
    numericValue: t.float(),
    textValue: t.string(),
    unit: t.string({ description: 'UCUM unit, e.g. mmol/L; required with numericValue.' }),
    referenceLow: t.float(),
    referenceHigh: t.float(),
    criticalLow: t.float({ description: 'Critical (panic) low limit: a value below it is flagged LL.' }),
    criticalHigh: t.float({ description: 'Critical (panic) high limit: a value above it is flagged HH.' }),
    flag: t.field({ type: LabFlagEnum, description: "The laboratory's flag; computed from the limits when not given." }),
    critical: t.boolean({ description: 'Whether the laboratory called it critical; from the flag (LL, HH) when not given.' }),
    observedAt: t.field({ type: 'DateTime', description: 'When the specimen was observed; now when not given. Not in the future.' }),
  }),
});

builder.mutationFields((t) => ({
  orderLab: t.field({
    type: mutationResult(builder, 'OrderLabResult', LabOrder),
    nullable: false,
    dataClass: 'reference',
    writes: 'lab.order',
    description: 'Orders a lab test for an encounter (clinicians and nurses).',
    args: { input: t.arg({ type: OrderLabInput, required: true }) },
    resolve: (_root, { input }, ctx) => orderLab(ctx, input),
  }),
  recordLabResult: t.field({
    type: mutationResult(builder, 'RecordLabResultResult', LabResult),
    nullable: false,
    dataClass: 'reference',
    writes: 'lab.result.record',
    description: 'Records a result against a lab order (clinicians and nurses); flags it from its limits when the laboratory did not.',
    args: { input: t.arg({ type: RecordLabResultInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordLabResult(ctx, {
        orderId: input.orderId,
        loincCode: input.loincCode ?? null,
        numericValue: input.numericValue ?? null,
        textValue: input.textValue ?? null,
        unit: input.unit ?? null,
        referenceLow: input.referenceLow ?? null,
        referenceHigh: input.referenceHigh ?? null,
        criticalLow: input.criticalLow ?? null,
        criticalHigh: input.criticalHigh ?? null,
        flag: input.flag ?? null,
        critical: input.critical ?? null,
        observedAt: input.observedAt ?? null,
      }),
  }),
}));
