import { builder } from '../builder.js';
import type { ClinicalAlertReference, ClinicalAlertValue } from '../rules/clinical-alert.js';

export const ClinicalAlertKindEnum = builder.enumType('ClinicalAlertKind', {
  values: {
    DRUG_ALLERGY: { value: 'drug_allergy', description: 'A drug conflicts with an active allergy, by substance or by class.' },
    PREVENTIVE_CARE: { value: 'preventive_care', description: "Preventive care is due for the patient's age and sex." },
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
    type: t.exposeString('type', {
      nullable: false,
      dataClass: 'reference',
      description: 'The GraphQL type of the record, e.g. `Allergy`.',
    }),
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
