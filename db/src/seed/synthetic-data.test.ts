import { describe, expect, test } from 'vitest';
import { isValidNpi } from '../codes/npi.js';
import { isValidSsn } from '../crypto/field-encryption.js';
import { SyntheticPractice } from './synthetic-data.js';

function generate(patients: number, seed: number, batchSize?: number) {
  const practice = new SyntheticPractice({ patients, seed, ...(batchSize ? { batchSize } : {}) });
  const batches = [...practice.batches()];
  return {
    providers: practice.providers,
    patients: batches.flatMap((b) => b.patients),
    encounters: batches.flatMap((b) => b.encounters),
    allergies: batches.flatMap((b) => b.allergies),
    notes: batches.flatMap((b) => b.notes),
    ssns: batches.flatMap((b) => b.ssns),
    payers: practice.payers,
    coverages: batches.flatMap((b) => b.coverages),
  };
}

describe('synthetic practice', () => {
  test('is the same for the same seed, whatever the batch size', () => {
    expect(generate(60, 7, 500)).toEqual(generate(60, 7, 7));
  });

  test('differs for another seed', () => {
    expect(generate(20, 7).patients).not.toEqual(generate(20, 8).patients);
  });

  test('ties every row to rows that exist, with unique ids, MRNs and valid NPIs', () => {
    const data = generate(200, 3);
    expect(data.patients).toHaveLength(200);
    const patientIds = new Set(data.patients.map((p) => p.id));
    const providerIds = new Set(data.providers.map((p) => p.id));
    const encounterIds = new Set(data.encounters.map((e) => e.id));
    expect(new Set(data.patients.map((p) => p.mrn)).size).toBe(200);
    expect(data.providers.every((p) => isValidNpi(p.npi))).toBe(true);
    expect(new Set(data.providers.map((p) => p.npi)).size).toBe(data.providers.length);
    expect(data.encounters.every((e) => patientIds.has(e.patient_id) && providerIds.has(e.provider_id))).toBe(true);
    expect(data.allergies.every((a) => patientIds.has(a.patient_id))).toBe(true);
    expect(data.notes.every((n) => encounterIds.has(n.encounter_id) && providerIds.has(n.author_id))).toBe(true);
  });

  test('has restricted behavioural-health notes among the progress notes', () => {
    const { notes } = generate(200, 3);
    const restricted = notes.filter((n) => n.kind === 'behavioral_health').length;
    expect(restricted).toBeGreaterThan(0);
    expect(restricted).toBeLessThan(notes.length / 4);
  });

  test('has signed and unsigned notes, and a signature time only on signed ones', () => {
    const { notes } = generate(200, 3);
    const signed = notes.filter((n) => n.status === 'signed');
    expect(signed.length).toBeGreaterThan(0);
    expect(signed.length).toBeLessThan(notes.length);
    expect(notes.every((n) => (n.status === 'signed') === (n.signed_at !== null))).toBe(true);
  });

  test('gives about 85% of patients an SSN that SSA could have assigned, in AAA-GG-SSSS form', () => {
    const { patients, ssns } = generate(400, 3);
    const patientIds = new Set(patients.map((p) => p.id));
    expect(ssns.length).toBeGreaterThan(400 * 0.78);
    expect(ssns.length).toBeLessThan(400 * 0.92);
    expect(ssns.every((s) => patientIds.has(s.patientId) && isValidSsn(s.ssn) && /^\d{3}-\d{2}-\d{4}$/.test(s.ssn))).toBe(true);
    expect(new Set(ssns.map((s) => s.patientId)).size).toBe(ssns.length);
  });

  test("keeps each patient's SSN when the practice grows, and draws others for another seed", () => {
    const base = generate(30, 7);
    expect(generate(60, 7).ssns.slice(0, base.ssns.length)).toEqual(base.ssns);
    expect(generate(30, 8).ssns).not.toEqual(base.ssns);
  });

  test('gives about 80% of patients one primary coverage in force, with a known payer and plan amounts that add up', () => {
    const { patients, payers, coverages } = generate(400, 3);
    const patientIds = new Set(patients.map((p) => p.id));
    const payerIds = new Set(payers.map((p) => p.id));
    expect(payers.length).toBeGreaterThanOrEqual(2);
    expect(new Set(payers.map((p) => p.payer_id)).size).toBe(payers.length);
    expect(coverages.length).toBeGreaterThan(400 * 0.72);
    expect(coverages.length).toBeLessThan(400 * 0.88);
    expect(new Set(coverages.map((c) => c.patient_id)).size).toBe(coverages.length);
    for (const c of coverages) {
      expect(patientIds.has(c.patient_id) && payerIds.has(c.payer_id)).toBe(true);
      expect(c.rank).toBe('primary');
      expect(c.member_id).toMatch(/^[A-Za-z0-9-]{3,30}$/);
      expect(c.effective_from <= '2026-11-20' && (c.effective_to === null || c.effective_to! >= '2026-11-20')).toBe(true);
      expect(c.deductible_met_cents! <= c.deductible_cents!).toBe(true);
      expect(c.relationship === 'self' ? c.subscriber_name === null : typeof c.subscriber_name === 'string').toBe(true);
    }
  });

  test("keeps each patient's coverage when the practice grows, and leaves the other streams' values as they were", () => {
    const base = generate(30, 7);
    const grown = generate(60, 7);
    expect(grown.payers).toEqual(base.payers);
    expect(grown.coverages.slice(0, base.coverages.length)).toEqual(base.coverages);
    expect(grown.patients.slice(0, 30)).toEqual(base.patients);
  });
});
