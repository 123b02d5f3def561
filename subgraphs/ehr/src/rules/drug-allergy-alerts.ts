import type { AllergyRow, AllergySeverity, PrescriptionRow } from '@chartbridge/db';
import type { ClinicalAlertSeverity, ClinicalAlertValue } from './clinical-alert.js';
import { describeConflict, findDrugAllergyConflicts } from './drug-allergy.js';

/** A conflict is as urgent as the allergy is severe; an allergy of unrecorded severity warns. */
const ALERT_SEVERITY: Readonly<Record<AllergySeverity, ClinicalAlertSeverity>> = { severe: 'critical', moderate: 'warning', mild: 'info' };

/**
 * The drug-allergy alerts of an active prescription against the patient's allergies as they are
 * now (a stopped one raises none): one per conflict (drug-allergy.ts), naming the allergy and the
 * prescription. For `Prescription.alerts` and `Patient.alerts`. Pure.
 */
export function drugAllergyAlerts(prescription: PrescriptionRow, allergies: readonly AllergyRow[]): ClinicalAlertValue[] {
  if (prescription.status !== 'active') return [];
  const conflicts = findDrugAllergyConflicts(
    { name: prescription.drug_name, drugClass: prescription.drug_class },
    allergies.map((a) => ({ id: a.id, substance: a.substance, allergenClass: a.allergen_class, severity: a.severity, status: a.status })),
  );
  return conflicts.map((conflict) => ({
    patientId: prescription.patient_id,
    kind: 'drug_allergy',
    severity: conflict.severity ? ALERT_SEVERITY[conflict.severity] : 'warning',
    message: describeConflict(prescription.drug_name, conflict),
    rule: `drug-allergy.${conflict.match}`,
    references: [
      { type: 'Allergy', id: conflict.allergyId },
      { type: 'Prescription', id: prescription.id },
    ],
  }));
}
