import type { AllergyRow, PrescriptionRow } from '@chartbridge/db';
import { describe, expect, test } from 'vitest';
import { drugAllergyAlerts } from './drug-allergy-alerts.js';

const PATIENT = '7d3c1c51-3f7a-4c1e-9a51-0c2f8e5b6a01';

const prescription = (over: Partial<PrescriptionRow> = {}): PrescriptionRow => ({
  id: 'rx-1',
  patient_id: PATIENT,
  encounter_id: null,
  drug_name: 'Amoxicillin',
  rxnorm_code: null,
  drug_class: null,
  dose: '500 mg',
  route: 'PO',
  frequency: 'every 8 hours',
  quantity: 30,
  refills: 0,
  prescriber_id: 'b7e0a0de-52a4-4d8e-8f57-3c55d8f4c9a2',
  override_reason: null,
  status: 'active',
  recorded_by: 'clinician-1',
  created_at: new Date('2026-03-01T10:00:00Z'),
  stopped_at: null,
  stopped_by: null,
  ...over,
});

const allergy = (over: Partial<AllergyRow> & Pick<AllergyRow, 'id' | 'substance'>): AllergyRow => ({
  patient_id: PATIENT,
  reaction: null,
  severity: 'moderate',
  status: 'active',
  recorded_at: new Date('2026-01-01T10:00:00Z'),
  allergen_class: null,
  category: 'medication',
  encounter_id: null,
  recorded_by: 'nurse-1',
  ...over,
});

describe('drug-allergy alerts', () => {
  test('an active prescription in the class of a severe allergy raises a critical alert naming both records', () => {
    const alerts = drugAllergyAlerts(prescription(), [allergy({ id: 'al-1', substance: 'Penicillin', severity: 'severe' })]);
    expect(alerts).toEqual([
      {
        patientId: PATIENT,
        kind: 'drug_allergy',
        severity: 'critical',
        message: "Amoxicillin is in the penicillins class, like Penicillin, a severe allergy on the patient's chart",
        rule: 'drug-allergy.class',
        references: [
          { type: 'Allergy', id: 'al-1' },
          { type: 'Prescription', id: 'rx-1' },
        ],
      },
    ]);
  });

  test('a drug containing the allergen itself is a substance match', () => {
    const [alert] = drugAllergyAlerts(prescription({ drug_name: 'Amoxicillin-clavulanate' }), [
      allergy({ id: 'al-1', substance: 'Amoxicillin' }),
    ]);
    expect(alert).toMatchObject({
      rule: 'drug-allergy.substance',
      message: "Amoxicillin-clavulanate contains Amoxicillin, a moderate allergy on the patient's chart",
    });
  });

  test.each([
    ['severe', 'critical'],
    ['moderate', 'warning'],
    ['mild', 'info'],
    [null, 'warning'],
  ] as const)('an allergy of severity %s gives a %s alert', (severity, expected) => {
    const [alert] = drugAllergyAlerts(prescription(), [allergy({ id: 'al-1', substance: 'Penicillin', severity })]);
    expect(alert?.severity).toBe(expected);
  });

  test("the prescription's recorded drug class is checked as well as its ingredients", () => {
    const keflex = prescription({ drug_name: 'Keflex', drug_class: 'cephalosporins' });
    expect(drugAllergyAlerts(keflex, [allergy({ id: 'al-1', substance: 'Cefazolin', allergen_class: 'cephalosporins' })])).toHaveLength(1);
    expect(
      drugAllergyAlerts({ ...keflex, drug_class: null }, [
        allergy({ id: 'al-1', substance: 'Cefazolin', allergen_class: 'cephalosporins' }),
      ]),
    ).toEqual([]);
  });

  test('one alert per conflicting allergy; inactive and resolved allergies and unrelated ones raise none', () => {
    const alerts = drugAllergyAlerts(prescription(), [
      allergy({ id: 'al-1', substance: 'Penicillin' }),
      allergy({ id: 'al-2', substance: 'Amoxicillin', severity: 'mild' }),
      allergy({ id: 'al-3', substance: 'Ampicillin', status: 'resolved' }),
      allergy({ id: 'al-4', substance: 'Penicillin G', status: 'inactive' }),
      allergy({ id: 'al-5', substance: 'Peanuts', category: 'food' }),
    ]);
    expect(alerts.map((a) => [a.references[0]?.id, a.rule])).toEqual([
      ['al-1', 'drug-allergy.class'],
      ['al-2', 'drug-allergy.substance'],
    ]);
  });

  test('a stopped prescription raises none, whatever the chart', () => {
    expect(
      drugAllergyAlerts(prescription({ status: 'stopped', stopped_at: new Date('2026-03-02T10:00:00Z'), stopped_by: 'clinician-1' }), [
        allergy({ id: 'al-1', substance: 'Penicillin', severity: 'severe' }),
      ]),
    ).toEqual([]);
  });
});
