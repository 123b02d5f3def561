import { maskSsn, normalizeSsn, patientSsnAad, type FieldKeyring, type PatientRow } from '@chartbridge/db';
import { builder } from '../builder.js';
import { Patient } from './patient.js';

/** The patient's SSN opened from its row, or null when none was registered. Throws if it cannot be opened. */
function openSsn(patient: PatientRow, keyring: FieldKeyring): string | null {
  if (patient.ssn_ciphertext === null) return null;
  const ssn = normalizeSsn(keyring.decrypt(patient.ssn_ciphertext, patientSsnAad(patient.id)));
  // Only valid numbers are ever sealed; anything else means the row was written around the application.
  if (ssn === null) throw new Error('A sealed SSN is not a valid SSN');
  return ssn;
}

// The field is `demographic`, so every role that sees a patient's demographics gets at least the
// masked form; the full number is a second gate inside it, on `sensitive_identifier`, recorded for
// the audit trail when it opens (45 CFR 164.502(b), minimum necessary: a clinician needs to tell
// patients apart, a biller needs the number on a claim).
builder.objectField(Patient, 'ssn', (t) =>
  t.string({
    dataClass: 'demographic',
    description:
      'Social Security number: in full (`123-45-6789`) for callers cleared for sensitive identifiers, masked to its last four digits (`***-**-6789`) for the others; null when none was registered.',
    resolve: (patient, _args, ctx) => {
      const ssn = openSsn(patient, ctx.keyring);
      if (ssn === null) return null;
      if (!ctx.access.allows('sensitive_identifier')) return maskSsn(ssn);
      ctx.access.recordAccess(patient.id, 'sensitive_identifier');
      return ssn;
    },
  }),
);
