import { appendAudit, inTransaction, type ClinicalNoteRow, type EhrDatabase, type NoteKind } from '@chartbridge/db';
import { ConflictError, NotFoundError, ValidationError, isUuid, type ForbiddenError } from '@chartbridge/kit';
import type { Transaction } from 'kysely';
import type { EhrContext } from '../context.js';
import { insertAddendum, insertNote, lockNote, markSigned, updateDraft, type AddendumWithKind, type SoapSections } from '../data/clinical-note.repository.js';
import { findDiagnosesByEncounterIds, findLinkedDiagnoses, findProceduresByEncounterIds } from '../data/coding.repository.js';
import type { EncounterFacts } from '../data/encounter-directory.js';
import { insertOutboxEvent } from '../data/outbox.repository.js';
import { ENCOUNTER_DOCUMENTED, encounterDocumentedEvent, hasContent } from '../rules/documented-event.js';
import { changeRecord, mayDocument, maySign, refuse, requireEncounter } from './ehr-changes.js';

type Failure = ValidationError | NotFoundError | ConflictError | ForbiddenError;

const MAX_SECTION = 100_000;

function checkSections(sections: SoapSections): ValidationError | undefined {
  for (const [name, text] of Object.entries(sections)) {
    if (typeof text === 'string' && text.length > MAX_SECTION) return new ValidationError(`${name} is longer than ${MAX_SECTION} characters`, `input.${name}`);
  }
  return undefined;
}

/** Starts a draft note for an encounter; the patient comes from the PMS's encounter, never the caller. */
export async function startNote(
  ctx: EhrContext,
  input: SoapSections & { readonly encounterId: string; readonly authorId: string; readonly kind: NoteKind },
): Promise<ClinicalNoteRow | Failure> {
  if (!isUuid(input.encounterId)) return new ValidationError('encounterId is not a valid id', 'input.encounterId');
  if (!isUuid(input.authorId)) return new ValidationError('authorId is not a provider id', 'input.authorId');
  const invalid = checkSections(input);
  if (invalid) return invalid;
  if (!mayDocument(ctx)) return refuse(ctx, 'note.start', 'Only clinicians and nurses write notes');
  const encounter = await requireEncounter(ctx, input.encounterId, 'input.encounterId', 'note.start');
  if (!('patientId' in encounter)) return encounter;
  return inTransaction(ctx.db, async (trx) => {
    const note = await insertNote(trx, {
      encounter_id: encounter.id,
      patient_id: encounter.patientId,
      author_id: input.authorId.toLowerCase(),
      kind: input.kind,
      status: 'draft',
      subjective: input.subjective ?? null,
      objective: input.objective ?? null,
      assessment: input.assessment ?? null,
      plan: input.plan ?? null,
    });
    await appendAudit(trx, 'ehr', [changeRecord(ctx, { action: 'note.start', entityType: 'clinical_note', entityId: note.id, patientId: note.patient_id, before: null, after: note })]);
    return note;
  });
}

/** Loads and locks a note the caller may change, or the typed reason why not. */
async function lockForChange(ctx: EhrContext, trx: Transaction<EhrDatabase>, id: string, action: string): Promise<ClinicalNoteRow | Failure> {
  const note = await lockNote(trx, id);
  if (!note) return new NotFoundError(`Note ${id} was not found`, 'input.id');
  if (!ctx.access.canReachPatient(note.patient_id)) return refuse(ctx, action, "This patient's record is not available to you", note.patient_id, trx);
  return note;
}

/** Changes a draft at the version the caller read; a stale version is a CONFLICT, a signed note is locked. */
export async function updateNote(
  ctx: EhrContext,
  input: SoapSections & { readonly id: string; readonly version: number; readonly kind?: NoteKind | null },
): Promise<ClinicalNoteRow | Failure> {
  if (!isUuid(input.id)) return new ValidationError('id is not a valid id', 'input.id');
  const invalid = checkSections(input);
  if (invalid) return invalid;
  if (!mayDocument(ctx)) return refuse(ctx, 'note.update', 'Only clinicians and nurses write notes');
  return inTransaction(ctx.db, async (trx) => {
    const note = await lockForChange(ctx, trx, input.id, 'note.update');
    if (!('status' in note)) return note;
    if (note.status === 'signed') return new ConflictError('The note is signed and locked; add an addendum instead', 'input.id');
    if (note.version !== input.version) return new ConflictError(`The note changed since version ${input.version} (now ${note.version}); reload it`, 'input.version');
    const changes: SoapSections & { kind?: NoteKind } = {};
    for (const key of ['subjective', 'objective', 'assessment', 'plan'] as const) if (input[key] !== undefined) changes[key] = input[key];
    if (input.kind) changes.kind = input.kind;
    const updated = await updateDraft(trx, note.id, input.version, changes);
    if (!updated) return new ConflictError('The note changed while it was being saved; reload it', 'input.version');
    await appendAudit(trx, 'ehr', [changeRecord(ctx, { action: 'note.update', entityType: 'clinical_note', entityId: note.id, patientId: note.patient_id, before: note, after: updated })]);
    return updated;
  });
}

/**
 * Writes the `encounter.documented` event for the encounter's coding as it stands, in the caller's
 * transaction: the event exists exactly when the signature (or amending addendum) does.
 */
async function announceDocumentation(trx: Transaction<EhrDatabase>, encounter: EncounterFacts, note: ClinicalNoteRow, addendumId: string | null): Promise<void> {
  const [diagnoses, procedures] = await Promise.all([findDiagnosesByEncounterIds(trx, [encounter.id]), findProceduresByEncounterIds(trx, [encounter.id])]);
  const links = await findLinkedDiagnoses(trx, procedures.map((p) => p.id));
  const payload = encounterDocumentedEvent({
    encounter,
    note: { id: note.id, signedAt: note.signed_at ?? new Date(), signedBy: note.signed_by ?? note.author_id },
    addendumId,
    diagnoses,
    procedures,
    links,
  });
  await insertOutboxEvent(trx, { eventType: ENCOUNTER_DOCUMENTED, aggregateId: encounter.id, payload });
}

/** Signs a draft: it must say something, be at the version read, and is locked from then on. */
export async function signNote(ctx: EhrContext, input: { readonly id: string; readonly version: number }): Promise<ClinicalNoteRow | Failure> {
  if (!isUuid(input.id)) return new ValidationError('id is not a valid id', 'input.id');
  if (!maySign(ctx)) return refuse(ctx, 'note.sign', 'Only clinicians sign notes');
  // The encounter's date of service comes from the PMS, asked before the transaction opens.
  const peek = await ctx.db.selectFrom('ehr.clinical_note').select(['encounter_id', 'patient_id']).where('id', '=', input.id).executeTakeFirst();
  if (!peek) return new NotFoundError(`Note ${input.id} was not found`, 'input.id');
  const encounter = await requireEncounter(ctx, peek.encounter_id, 'input.id', 'note.sign');
  if (!('patientId' in encounter)) return encounter;
  return inTransaction(ctx.db, async (trx) => {
    const note = await lockForChange(ctx, trx, input.id, 'note.sign');
    if (!('status' in note)) return note;
    if (note.status === 'signed') return new ConflictError('The note is already signed', 'input.id');
    if (note.version !== input.version) return new ConflictError(`The note changed since version ${input.version} (now ${note.version}); reload it`, 'input.version');
    if (!hasContent(note)) return new ValidationError('An empty note cannot be signed', 'input.id');
    const signed = await markSigned(trx, note.id, input.version, note.author_id);
    if (!signed) return new ConflictError('The note changed while it was being signed; reload it', 'input.version');
    await announceDocumentation(trx, encounter, signed, null);
    await appendAudit(trx, 'ehr', [changeRecord(ctx, { action: 'note.sign', entityType: 'clinical_note', entityId: note.id, patientId: note.patient_id, before: note, after: signed })]);
    return signed;
  });
}

/**
 * Amends a signed note: the original text stays, the addendum has its own author and time. An
 * addendum that changes the encounter's coding raises a new `encounter.documented` event.
 */
export async function addAddendum(
  ctx: EhrContext,
  input: { readonly noteId: string; readonly authorId: string; readonly text: string; readonly changesCoding: boolean },
): Promise<AddendumWithKind | Failure> {
  if (!isUuid(input.noteId)) return new ValidationError('noteId is not a valid id', 'input.noteId');
  if (!isUuid(input.authorId)) return new ValidationError('authorId is not a provider id', 'input.authorId');
  if (input.text.trim() === '') return new ValidationError('An addendum must say something', 'input.text');
  if (input.text.length > MAX_SECTION) return new ValidationError(`text is longer than ${MAX_SECTION} characters`, 'input.text');
  if (!maySign(ctx)) return refuse(ctx, 'note.addendum', 'Only clinicians amend notes');
  const peek = await ctx.db.selectFrom('ehr.clinical_note').select(['encounter_id']).where('id', '=', input.noteId).executeTakeFirst();
  if (!peek) return new NotFoundError(`Note ${input.noteId} was not found`, 'input.noteId');
  const encounter = await requireEncounter(ctx, peek.encounter_id, 'input.noteId', 'note.addendum');
  if (!('patientId' in encounter)) return encounter;
  return inTransaction(ctx.db, async (trx) => {
    const note = await lockNote(trx, input.noteId);
    if (!note) return new NotFoundError(`Note ${input.noteId} was not found`, 'input.noteId');
    if (!ctx.access.canReachPatient(note.patient_id)) return refuse(ctx, 'note.addendum', "This patient's record is not available to you", note.patient_id, trx);
    if (note.status !== 'signed') return new ConflictError('A draft is edited, not amended: update it instead', 'input.noteId');
    const addendum = await insertAddendum(trx, {
      note_id: note.id,
      author_id: input.authorId.toLowerCase(),
      text: input.text,
      changes_coding: input.changesCoding,
      recorded_by: ctx.access.identity.subject,
    });
    if (input.changesCoding) await announceDocumentation(trx, encounter, note, addendum.id);
    await appendAudit(trx, 'ehr', [changeRecord(ctx, { action: 'note.addendum', entityType: 'note_addendum', entityId: addendum.id, patientId: note.patient_id, before: null, after: addendum })]);
    return { ...addendum, note_kind: note.kind, patient_id: note.patient_id };
  });
}
