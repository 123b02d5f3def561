import { builder } from '../builder.js';

/**
 * The PMS's entities as the EHR sees them: only their key. The EHR adds clinical fields to Patient
 * and Encounter, and points at Provider (a note's author) without resolving any of its fields.
 */
export interface EntityKey {
  readonly id: string;
}

export const PatientRef = builder.externalRef('Patient', builder.selection<EntityKey>('id'), (ref) => ref);
export const EncounterRef = builder.externalRef('Encounter', builder.selection<EntityKey>('id'), (ref) => ref);
export const ProviderRef = builder.externalRef('Provider', builder.keyDirective(builder.selection<EntityKey>('id'), false));

ProviderRef.implement({
  fields: (t) => ({ id: t.exposeID('id', { nullable: false, dataClass: 'reference' }) }),
});
