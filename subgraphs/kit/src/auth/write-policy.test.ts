import { describe, expect, test } from 'vitest';
import type { Identity, Purpose, Role } from './identity.js';
import { WRITE_ACTIONS, writeDecision, writePolicyProblems, writeRule } from './write-policy.js';

function caller(role: Role, purpose: Purpose, extra: Partial<Identity> = {}): Identity {
  return {
    subject: `${role}-1`,
    role,
    scopes: [],
    patientId: null,
    partnerId: null,
    purpose,
    breakGlassReason: null,
    client: null,
    providerId: null,
    ...extra,
  };
}

const PATIENT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

describe('writeDecision', () => {
  test('allows a granted role acting for a granted purpose on any row', () => {
    expect(writeDecision(caller('clinician', 'TREATMENT'), 'note.sign', PATIENT)).toEqual({ allowed: true });
    expect(writeDecision(caller('biller', 'PAYMENT'), 'remittance.post', null)).toEqual({ allowed: true });
  });

  test('refuses a role without a grant, naming the action and nothing of the record', () => {
    expect(writeDecision(caller('nurse', 'TREATMENT'), 'note.sign', PATIENT)).toEqual({ allowed: false, reason: 'You may not sign notes' });
    expect(writeDecision(caller('analyst', 'OPERATIONS'), 'claim.submit', PATIENT)).toEqual({
      allowed: false,
      reason: 'You may not submit claims',
    });
  });

  test('decides the purpose: the front desk takes payments acting for PAYMENT, never for OPERATIONS', () => {
    expect(writeDecision(caller('front_desk', 'PAYMENT'), 'patient_payment.post', PATIENT)).toEqual({ allowed: true });
    expect(writeDecision(caller('front_desk', 'OPERATIONS'), 'patient_payment.post', PATIENT)).toEqual({
      allowed: false,
      reason: 'You may not post patient payments acting for OPERATIONS',
    });
    expect(writeDecision(caller('front_desk', 'PAYMENT'), 'patient.ssn.write', PATIENT).allowed).toBe(false);
  });

  test('a patient changes only their own row, and nothing tied to no row', () => {
    const patient = caller('patient', 'TREATMENT', { patientId: PATIENT });
    expect(writeDecision(patient, 'appointment.book', PATIENT)).toEqual({ allowed: true });
    expect(writeDecision(patient, 'appointment.book', PATIENT.toUpperCase())).toEqual({ allowed: true });
    expect(writeDecision(patient, 'appointment.book', OTHER)).toMatchObject({ allowed: false });
    expect(writeDecision(patient, 'consent.record', null)).toMatchObject({ allowed: false });
    // Not yet knowing the row decides role and purpose only.
    expect(writeDecision(patient, 'consent.record', undefined)).toEqual({ allowed: true });
  });

  test('lowering a note’s protection takes a clinician and a stated reason', () => {
    expect(writeDecision(caller('clinician', 'TREATMENT'), 'note.declassify', PATIENT)).toEqual({
      allowed: false,
      reason: "You may not lower a note's protection (change a restricted note's kind) without stating a reason in X-Break-Glass-Reason",
    });
    expect(
      writeDecision(caller('clinician', 'TREATMENT', { breakGlassReason: 'Emergency: overdose' }), 'note.declassify', PATIENT),
    ).toEqual({ allowed: true });
    expect(
      writeDecision(caller('nurse', 'TREATMENT', { breakGlassReason: 'Emergency: overdose' }), 'note.declassify', PATIENT),
    ).toMatchObject({ allowed: false });
  });
});

test('every action has an owner, a description and at least one grant', () => {
  for (const action of WRITE_ACTIONS) {
    const rule = writeRule(action);
    expect(['pms', 'ehr']).toContain(rule.owner);
    expect(rule.does.length).toBeGreaterThan(3);
    expect(Object.keys(rule.grants).length).toBeGreaterThan(0);
  }
});

test('the table is consistent with the read policy', () => {
  expect(writePolicyProblems()).toEqual([]);
});
