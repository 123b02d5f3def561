import { builder } from '../builder.js';

/**
 * The PMS's entities as the EHR sees them: only their key. The EHR adds clinical fields to Patient
 * and Encounter, and points at Provider (a note's author) without resolving any of its fields.
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
export const EncounterRef = builder.externalRef('Encounter', builder.selection<EntityKey>('id'), (ref) => ref);
export const ProviderRef = builder.externalRef('Provider', builder.keyDirective(builder.selection<EntityKey>('id'), false));

ProviderRef.implement({
  fields: (t) => ({ id: t.exposeID('id', { nullable: false, dataClass: 'reference' }) }),
});
