import { forbidden } from '@chartbridge/kit';
import { builder } from '../builder.js';

/**
 * The PMS's entities as the EHR sees them: their key (and an encounter's patient). The EHR adds
 * clinical fields to Patient and Encounter, and points at Provider (a note's author) without
 * resolving any of its fields.
 */
export interface EntityKey {
  readonly id: string;
}

/** What the PMS sends along with a patient's key when an EHR field requires it. */
export interface PatientRepresentation extends EntityKey {
  /** A partner's consented classes for this patient, computed by the PMS (which owns consent). */
  readonly consentedDataClasses?: readonly string[] | null;
  /** The PMS's birth date (`YYYY-MM-DD`) and sex (its enum name, `FEMALE`), when `Patient.alerts` requires them. */
  readonly birthDate?: string | null;
  readonly sex?: string | null;
}

// The representation comes from the gateway (signed internal token), built from the PMS's answer:
// a partner's consent learned here is the PMS's, not the client's.
export const PatientRef = builder.externalRef('Patient', builder.selection<EntityKey>('id'), (ref, ctx): PatientRepresentation => {
  // The key selection types only `id`; a required field arrives beside it in the same representation.
  const { consentedDataClasses } = ref as PatientRepresentation;
  if (consentedDataClasses) ctx.access.registerConsent(ref.id, consentedDataClasses);
  return ref;
});

/**
 * The EHR's side of Patient: whose rows its fields are (the patient's own), the partner's consent the
 * PMS sends along (external), and the key. Every field the EHR adds to Patient (in the file of its
 * aggregate, with `builder.objectField`) spreads {@link requiresConsent}.
 */
PatientRef.implement({
  patientOf: (p) => p.id,
  externalFields: (t) => ({
    consentedDataClasses: t.stringList({ dataClass: 'reference' }),
  }),
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
  }),
});

/**
 * A partner's consent lives in the PMS; requiring it on a clinical field of Patient applies it to
 * that field too (the value is read where the representation arrives, above). Every clinical field
 * the EHR adds to Patient requires it: spread this into the field's options. Pothos types `requires`
 * only inside `PatientRef.implement`, but its federation plugin reads the option on every field, so
 * the directive is printed all the same.
 */
export function requiresConsent(): object {
  return { requires: builder.selection<{ consentedDataClasses?: string[] | null }>('consentedDataClasses') };
}

/** What the gateway sends with an encounter's key for the EHR's fields on it (their `@requires`). */
export interface EncounterRepresentation extends EntityKey {
  readonly patient?: PatientRepresentation | null;
}

/** An encounter as the EHR's fields see it: its key and whose it is. */
export interface EncounterKey extends EntityKey {
  readonly patientId: string;
}

/**
 * Every field the EHR adds to Encounter requires the encounter's patient from the PMS (its id, and
 * for a partner the classes the patient's live consent grants it), so the field policy checks the
 * patient's row and the consent like any of the patient's fields, and the access is audited against
 * the patient. Spread it into the field's options (Pothos types `requires` only inside
 * `EncounterRef.implement`; its federation plugin reads the option on every field).
 */
export function requiresEncounterPatient(): object {
  type Required = { patient?: { id: string; consentedDataClasses?: string[] | null } | null };
  return { requires: builder.selection<Required>('patient { id consentedDataClasses }') };
}

// An encounter the gateway sends the EHR carries its patient, from the PMS (above): one without it
// (a field that forgot its `@requires`) is refused rather than answered unchecked. The EHR's own rows
// that point at an encounter carry their patient themselves.
export const EncounterRef = builder.externalRef('Encounter', builder.selection<EntityKey>('id'), (ref, ctx): EncounterKey => {
  const { patient } = ref as EncounterRepresentation;
  if (!patient) throw forbidden("This encounter's patient is not available to you");
  if (patient.consentedDataClasses) ctx.access.registerConsent(patient.id, patient.consentedDataClasses);
  return { id: ref.id, patientId: patient.id };
});

EncounterRef.implement({
  // Whose the encounter is, from the PMS (or the EHR row that points at it): every field of it is the patient's.
  patientOf: (e) => e.patientId,
  externalFields: (t) => ({ patient: t.field({ type: PatientRef, nullable: false, dataClass: 'reference' }) }),
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
  }),
});

export const ProviderRef = builder.externalRef('Provider', builder.keyDirective(builder.selection<EntityKey>('id'), false));

ProviderRef.implement({
  fields: (t) => ({ id: t.exposeID('id', { nullable: false, dataClass: 'reference' }) }),
});
