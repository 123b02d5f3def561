import { RootFieldBuilder } from '@pothos/core';
import type { SubgraphTypes } from '@chartbridge/kit';
import { builder } from '../builder.js';
import type { EhrContext } from '../context.js';
import { allergiesByPatientId } from '../data/allergy.loaders.js';
import { immunizationsByPatientId } from '../data/immunization.loaders.js';
import { alertResultsByPatientId } from '../data/lab.loaders.js';
import { prescriptionsByPatientId } from '../data/medication.loaders.js';
import { lastBloodPressureByPatientId } from '../data/vitals.loaders.js';
import type { ClinicalAlertSeverity, ClinicalAlertValue } from '../rules/clinical-alert.js';
import { drugAllergyAlerts } from '../rules/drug-allergy-alerts.js';
import { resultAlerts } from '../rules/lab-flags.js';
import { preventiveCareDue, type AdministrativeSex } from '../rules/preventive-care.js';
import { ClinicalAlert } from './clinical-alert.js';
import { PatientRef, type PatientRepresentation } from './references.js';

/**
 * The PMS's `Sex` enum, as the EHR sees it: only so that `Patient.sex` can be declared external
 * here. The representation carries the enum value's name (`FEMALE`), which is what the rules read.
 */
const SEXES: readonly AdministrativeSex[] = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'];
const Sex = builder.enumType('Sex', {
  description: 'Administrative sex, as registered.',
  values: Object.fromEntries(SEXES.map((sex) => [sex, { value: sex }])) as Record<AdministrativeSex, { value: AdministrativeSex }>,
});

// The preventive-care rules need the PMS's birth date and sex: declared external on Patient and
// required by `alerts`, so the gateway fetches them from the PMS (as the caller, under the PMS's
// policy) and sends them in the representation. Pothos builds external fields only inside
// `PatientRef.implement` (references.ts); these are added to the same type with the same field kind,
// which is what makes the federation plugin print them `@external`. The EHR never resolves them
// for a client (the PMS does, under its `demographic` class), so here they are only `reference`,
// like `consentedDataClasses`: a policy directive on an external field would not compose.
builder.configStore.addFields(PatientRef, () => {
  const t = new RootFieldBuilder<SubgraphTypes<EhrContext>, PatientRepresentation, 'ExternalEntity'>(builder, 'ExternalEntity', 'Object');
  return {
    birthDate: t.field({ type: 'Date', dataClass: 'reference' }),
    sex: t.field({ type: Sex, dataClass: 'reference' }),
  };
});

function asSex(value: string | null | undefined): AdministrativeSex | null {
  return SEXES.find((sex) => sex === value) ?? null;
}

/**
 * What `alerts` requires of the PMS: the partner's consent, as every clinical field of Patient, and
 * the birth date and sex. Pothos types `requires` only inside `PatientRef.implement`; its federation
 * plugin reads the option on every field (see `requiresConsent` in references.ts).
 */
function alertRequirements(): object {
  return {
    requires: builder.selection<{ consentedDataClasses?: string[] | null; birthDate?: string | null; sex?: string | null }>(
      'consentedDataClasses birthDate sex',
    ),
  };
}

const SEVERITY_ORDER: Readonly<Record<ClinicalAlertSeverity, number>> = { critical: 0, warning: 1, info: 2 };

/**
 * Every alert of one patient on the chart as it is at `now`: the rules are pure (rules/), this reads
 * what they need through the request's loaders, so a list of patients costs one statement per kind
 * of record, whatever its length.
 */
export async function patientAlerts(ctx: EhrContext, patient: PatientRepresentation, now: Date): Promise<ClinicalAlertValue[]> {
  const [immunizations, lastBloodPressure, results, prescriptions, allergies] = await Promise.all([
    immunizationsByPatientId(ctx).load(patient.id),
    lastBloodPressureByPatientId(ctx).load(patient.id),
    alertResultsByPatientId(ctx).load(patient.id),
    prescriptionsByPatientId(ctx).load(patient.id),
    allergiesByPatientId(ctx).load(patient.id),
  ]);
  const drugAllergy = prescriptions.flatMap((prescription) => drugAllergyAlerts(prescription, allergies));
  const labs = resultAlerts(
    results.map((r) => ({
      id: r.id,
      loincCode: r.loinc_code,
      testName: r.test_name,
      value: r.value_numeric ?? r.value_text ?? '',
      unit: r.unit,
      flag: r.flag,
      critical: r.critical,
      observedAt: r.observed_at,
    })),
    now,
  ).map((alert): ClinicalAlertValue => ({
    patientId: patient.id,
    kind: alert.kind,
    severity: alert.severity,
    message: alert.message,
    rule: alert.rule,
    references: [{ type: 'LabResult', id: alert.resultId }],
  }));
  const preventive = preventiveCareDue({
    today: now.toISOString().slice(0, 10),
    birthDate: patient.birthDate ?? null,
    sex: asSex(patient.sex),
    immunizations: immunizations.map((i) => ({ cvxCode: i.cvx_code, administeredOn: i.administered_on })),
    lastBloodPressureOn: lastBloodPressure?.taken_at.toISOString().slice(0, 10) ?? null,
    labResults: results.map((r) => ({ loincCode: r.loinc_code, observedOn: r.observed_at.toISOString().slice(0, 10) })),
  }).map((due): ClinicalAlertValue => ({
    patientId: patient.id,
    kind: 'preventive_care',
    severity: 'info',
    message: due.message,
    rule: `preventive-care.${due.rule}`,
    references: [],
  }));
  return [...drugAllergy, ...labs, ...preventive].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

builder.objectField(PatientRef, 'alerts', (t) =>
  t.field({
    type: [ClinicalAlert],
    dataClass: 'clinical',
    ...alertRequirements(),
    description:
      "Decision support on the patient's chart, most urgent first: drug-allergy conflicts of active prescriptions, " +
      'abnormal and critical lab results (the latest result of each test, observed in the last 30 days), and preventive ' +
      'care due by age and sex (influenza vaccine, colorectal and cervical cancer screening, blood pressure screening). ' +
      'Computed from the chart when asked, never stored.',
    resolve: (patient, _args, ctx) => patientAlerts(ctx, patient, new Date()),
  }),
);
