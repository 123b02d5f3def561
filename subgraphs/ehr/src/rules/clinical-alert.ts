// The value every clinical decision-support rule of the EHR raises. Types only.

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
 * allergies, results, preventive care), and exposed as the `ClinicalAlert` type (schema/clinical-alert.ts).
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
