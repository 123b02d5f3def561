import { builder } from '../builder.js';

/** What a clinical decision-support rule found. */
export type ClinicalAlertKind = 'drug_allergy' | 'preventive_care' | 'abnormal_result' | 'critical_result';
/** How urgently a clinician should act: `critical` before going on, `warning` soon, `info` when convenient. */
export type ClinicalAlertSeverity = 'info' | 'warning' | 'critical';

/** A chart record an alert is about (`{ type: 'Allergy', id }`), for clients to link to. */
export interface ClinicalAlertReference {
  /** The GraphQL type of the record: `Allergy`, `Prescription`, `LabResult`, ... */
  readonly type: string;
  readonly id: string;
}

/**
 * An alert raised by a decision-support rule about one patient. Computed from the chart when asked
 * for, never stored: it always reflects the chart as it is. Shared by every rule of the EHR (drug
 * allergies here; preventive care and results on `Patient.alerts`).
 */
export interface ClinicalAlertValue {
  readonly patientId: string;
  readonly kind: ClinicalAlertKind;
  readonly severity: ClinicalAlertSeverity;
  readonly message: string;
  /** The rule that raised it, dotted (`drug-allergy.class`), stable for clients to filter on. */
  readonly rule: string;
  readonly references: readonly ClinicalAlertReference[];
}

export const ClinicalAlertKindEnum = builder.enumType('ClinicalAlertKind', {
  values: {
    DRUG_ALLERGY: { value: 'drug_allergy', description: 'A drug conflicts with an active allergy, by substance or by class.' },
    PREVENTIVE_CARE: { value: 'preventive_care', description: 'Preventive care is due for the patient\'s age and sex.' },
    ABNORMAL_RESULT: { value: 'abnormal_result', description: 'A result is outside its reference range.' },
    CRITICAL_RESULT: { value: 'critical_result', description: 'A result is at a critical (panic) value.' },
  } as const,
});

export const ClinicalAlertSeverityEnum = builder.enumType('ClinicalAlertSeverity', {
  values: {
    INFO: { value: 'info' },
    WARNING: { value: 'warning' },
    CRITICAL: { value: 'critical', description: 'Act before going on (a severe allergy, a critical result).' },
  } as const,
});

const ClinicalAlertReferenceType = builder.objectRef<ClinicalAlertReference>('ClinicalAlertReference').implement({
  description: 'A chart record an alert is about.',
  fields: (t) => ({
    type: t.exposeString('type', { nullable: false, dataClass: 'reference', description: 'The GraphQL type of the record, e.g. `Allergy`.' }),
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
  }),
});

export const ClinicalAlert = builder.objectRef<ClinicalAlertValue>('ClinicalAlert').implement({
  description: 'A clinical decision-support alert about the patient, computed from the chart as it is now.',
  patientOf: (a) => a.patientId,
  fields: (t) => ({
    kind: t.field({ type: ClinicalAlertKindEnum, nullable: false, dataClass: 'clinical', resolve: (a) => a.kind }),
    severity: t.field({ type: ClinicalAlertSeverityEnum, nullable: false, dataClass: 'clinical', resolve: (a) => a.severity }),
    message: t.exposeString('message', { dataClass: 'clinical' }),
    rule: t.exposeString('rule', { dataClass: 'clinical', description: 'The rule that raised it, e.g. `drug-allergy.class`.' }),
    references: t.field({
      type: [ClinicalAlertReferenceType],
      dataClass: 'clinical',
      description: 'The chart records the alert is about.',
      resolve: (a) => [...a.references],
    }),
  }),
});
