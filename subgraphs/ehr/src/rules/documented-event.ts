import type { DiagnosisRow, ProcedureRow } from '@chartbridge/db';

/** The outbox event type that tells the PMS an encounter's documentation is signed or amended. */
export const ENCOUNTER_DOCUMENTED = 'encounter.documented';

/**
 * The `encounter.documented` payload (version 1): the signed facts charge capture needs, so the PMS
 * can build the draft claim without re-entry and keep them as its snapshot. Codes, never free text.
 */
export interface EncounterDocumentedEvent {
  readonly version: 1;
  readonly encounterId: string;
  readonly patientId: string;
  /** The date of service the PMS holds for the encounter, as the EHR saw it when signing. */
  readonly serviceDate: string;
  readonly noteId: string;
  readonly signedAt: string;
  readonly signedBy: string;
  /** Set when an addendum that changed the coding raised this event. */
  readonly addendumId: string | null;
  readonly diagnoses: ReadonlyArray<{ readonly id: string; readonly code: string; readonly description: string }>;
  readonly procedures: ReadonlyArray<{
    readonly id: string;
    readonly code: string;
    readonly codeSystem: 'cpt' | 'hcpcs';
    readonly display: string;
    readonly units: number;
    readonly modifiers: readonly string[];
    readonly performerId: string;
    readonly noteId: string | null;
    /** The linked diagnoses in pointer order (at most 4). */
    readonly diagnoses: ReadonlyArray<{ readonly id: string; readonly code: string; readonly position: number }>;
  }>;
}

export interface DocumentedFacts {
  readonly encounter: { readonly id: string; readonly patientId: string; readonly serviceDate: string };
  readonly note: { readonly id: string; readonly signedAt: Date; readonly signedBy: string };
  readonly addendumId: string | null;
  readonly diagnoses: readonly DiagnosisRow[];
  readonly procedures: readonly ProcedureRow[];
  readonly links: ReadonlyArray<{ readonly procedure_id: string; readonly id: string; readonly code: string; readonly position: number }>;
}

/** Builds the event from the encounter's coding as it stands in the signing transaction. Pure. */
export function encounterDocumentedEvent(facts: DocumentedFacts): EncounterDocumentedEvent {
  return {
    version: 1,
    encounterId: facts.encounter.id,
    patientId: facts.encounter.patientId,
    serviceDate: facts.encounter.serviceDate,
    noteId: facts.note.id,
    signedAt: facts.note.signedAt.toISOString(),
    signedBy: facts.note.signedBy,
    addendumId: facts.addendumId,
    diagnoses: facts.diagnoses.map((d) => ({ id: d.id, code: d.code, description: d.description })),
    procedures: facts.procedures.map((p) => ({
      id: p.id,
      code: p.code,
      codeSystem: p.code_system,
      display: p.display,
      units: p.units,
      modifiers: p.modifiers,
      performerId: p.performer_id,
      noteId: p.note_id,
      diagnoses: facts.links
        .filter((l) => l.procedure_id === p.id)
        .sort((a, b) => a.position - b.position)
        .map((l) => ({ id: l.id, code: l.code, position: l.position })),
    })),
  };
}

/** Whether a note has something to sign: at least one SOAP section with text. */
export function hasContent(note: {
  readonly subjective: string | null;
  readonly objective: string | null;
  readonly assessment: string | null;
  readonly plan: string | null;
}): boolean {
  return [note.subjective, note.objective, note.assessment, note.plan].some((s) => s !== null && s.trim() !== '');
}
