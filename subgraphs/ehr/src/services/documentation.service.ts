import { appendAudit, inTransaction, type ClinicalNoteRow, type EhrDatabase, type NoteKind } from '@chartbridge/db';
import { ConflictError, NotFoundError, ValidationError, authorizeChange, type ForbiddenError, type MutationError } from '@chartbridge/kit';
import type { Transaction } from 'kysely';
import type { EhrContext } from '../context.js';
import {
  insertAddendum,
  insertNote,
  lockNote,
  markSigned,
  updateDraft,
  type AddendumWithKind,
  type SoapSections,
} from '../data/clinical-note.repository.js';
import { findDiagnosesByEncounterIds, findLinkedDiagnoses, findProceduresByEncounterIds } from '../data/coding.repository.js';
import type { EncounterFacts } from '../data/pms-directory.js';
import { insertOutboxEvent } from '../data/outbox.repository.js';
import { ENCOUNTER_DOCUMENTED, encounterDocumentedEvent, hasContent } from '../rules/documented-event.js';
import { lowersProtection } from '../rules/note-sensitivity.js';
import {
  NO_PROVIDER,
  authorizeOnEncounter,
  authorizeOnRow,
  chartChangeRecord,
  refuseChange,
  requireEncounter,
  requireProvider,
} from './ehr-changes.js';

const MAX_SECTION = 100_000;

function checkSections(sections: SoapSections): ValidationError | undefined {
  for (const [name, text] of Object.entries(sections)) {
    if (typeof text === 'string' && text.length > MAX_SECTION)
      return new ValidationError(`${name} is longer than ${MAX_SECTION} characters`, `input.${name}`);
  }
  return undefined;
}

/** Who a new note is by: its author, and the provider who drafted it for them when that is someone else. */
interface Authorship {
  readonly authorId: string;
  readonly draftedBy: string | null;
}

/**
 * A note's author is the caller's own provider, or, for a nurse drafting for a clinician, the
 * provider named in `authorId` (the nurse is then recorded as the drafter). A clinician writes only
 * as themself. Both must be in the PMS's provider directory.
 */
async function authorshipOf(
  ctx: EhrContext,
  encounter: EncounterFacts,
  callerProvider: string,
  authorId: string | null,
): Promise<Authorship | NotFoundError | ForbiddenError> {
  const author = authorId ?? callerProvider;
  const draftedBy = author === callerProvider ? null : callerProvider;
  const target = { patientId: encounter.patientId, entityType: 'encounter', entityId: encounter.id, field: 'input.authorId' };
  if (draftedBy !== null && ctx.access.identity.role !== 'nurse') {
    const message = 'A clinician writes notes as themself: authorId must be your own provider id (or left out)';
    return refuseChange(ctx, 'note.start', message, target);
  }
  const [missingAuthor, missingDrafter] = await Promise.all([
    requireProvider(ctx, author, 'input.authorId'),
    draftedBy === null ? null : requireProvider(ctx, draftedBy, 'input.authorId'),
  ]);
  if (missingAuthor) return missingAuthor;
  if (missingDrafter) return refuseChange(ctx, 'note.start', "Your token's provider is not in the provider directory", target);
  return { authorId: author, draftedBy };
}

/**
 * Starts a draft note for an encounter; the patient comes from the PMS's encounter, never the caller,
 * and the author from the caller's token (see {@link authorshipOf}).
 */
export async function startNote(
  ctx: EhrContext,
  input: SoapSections & { readonly encounterId: string; readonly authorId: string | null; readonly kind: NoteKind },
): Promise<ClinicalNoteRow | MutationError> {
  const invalid = checkSections(input);
  if (invalid) return invalid;
  const encounter = await authorizeOnEncounter(ctx, 'note.start', input.encounterId, 'input.encounterId');
  if (!('patientId' in encounter)) return encounter;
  const target = { patientId: encounter.patientId, entityType: 'encounter', entityId: encounter.id };
  const callerProvider = ctx.access.identity.providerId;
  if (callerProvider === null) return refuseChange(ctx, 'note.start', NO_PROVIDER, target);
  const authorship = await authorshipOf(ctx, encounter, callerProvider, input.authorId);
  if (!('authorId' in authorship)) return authorship;
  return inTransaction(ctx.db, async (trx) => {
    const note = await insertNote(trx, {
      encounter_id: encounter.id,
      patient_id: encounter.patientId,
      author_id: authorship.authorId,
      drafted_by: authorship.draftedBy,
      kind: input.kind,
      status: 'draft',
      subjective: input.subjective ?? null,
      objective: input.objective ?? null,
      assessment: input.assessment ?? null,
      plan: input.plan ?? null,
    });
    const entity = { entityType: 'clinical_note', entityId: note.id, patientId: note.patient_id };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'note.start', before: null, after: note })]);
    return note;
  });
}

/**
 * Changes a draft at the version the caller read; a stale version is a CONFLICT, a signed note is
 * locked. A note's protection only goes up without the glass: changing a restricted kind to an
 * unrestricted one (which would open its text to every role that reads the chart) is
 * `note.declassify`, for a clinician who states a break-the-glass reason, and its change record is
 * flagged with that reason.
 */
export async function updateNote(
  ctx: EhrContext,
  input: SoapSections & { readonly id: string; readonly version: number; readonly kind?: NoteKind | null },
): Promise<ClinicalNoteRow | MutationError> {
  const invalid = checkSections(input);
  if (invalid) return invalid;
  return inTransaction(ctx.db, async (trx) => {
    const note = await lockNote(trx, input.id);
    // Decided before anything about the note is answered: a refusal says nothing of its state.
    const target = { db: trx, entityType: 'clinical_note', entityId: input.id };
    const refusedUpdate = await authorizeOnRow(ctx, 'note.update', note, target);
    if (refusedUpdate) return refusedUpdate;
    if (!note) return new NotFoundError(`Note ${input.id} was not found`, 'input.id');
    const declassifies = input.kind != null && lowersProtection(note.kind, input.kind);
    const refused = declassifies ? await authorizeChange(ctx, 'note.declassify', note.patient_id, target) : null;
    if (refused) return refused;
    const action = declassifies ? 'note.declassify' : 'note.update';
    if (note.status === 'signed') return new ConflictError('The note is signed and locked; add an addendum instead', 'input.id');
    if (note.version !== input.version)
      return new ConflictError(`The note changed since version ${input.version} (now ${note.version}); reload it`, 'input.version');
    const changes: SoapSections & { kind?: NoteKind } = {};
    for (const key of ['subjective', 'objective', 'assessment', 'plan'] as const) if (input[key] !== undefined) changes[key] = input[key];
    if (input.kind) changes.kind = input.kind;
    const updated = await updateDraft(trx, note.id, input.version, changes);
    if (!updated) return new ConflictError('The note changed while it was being saved; reload it', 'input.version');
    const entity = { entityType: 'clinical_note', entityId: note.id, patientId: note.patient_id };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action, before: note, after: updated, breakGlass: declassifies })]);
    return updated;
  });
}

/** A note's encounter and patient, read before the transaction opens (they never change). */
function peekNote(ctx: EhrContext, id: string): Promise<{ encounter_id: string; patient_id: string } | undefined> {
  return ctx.db.selectFrom('ehr.clinical_note').select(['encounter_id', 'patient_id']).where('id', '=', id).executeTakeFirst();
}

/**
 * Writes the `encounter.documented` event for the encounter's coding as it stands, in the caller's
 * transaction: the event exists exactly when the signature (or amending addendum) does.
 */
async function announceDocumentation(
  trx: Transaction<EhrDatabase>,
  encounter: EncounterFacts,
  note: ClinicalNoteRow,
  addendumId: string | null,
): Promise<void> {
  const [diagnoses, procedures] = await Promise.all([
    findDiagnosesByEncounterIds(trx, [encounter.id]),
    findProceduresByEncounterIds(trx, [encounter.id]),
  ]);
  const links = await findLinkedDiagnoses(
    trx,
    procedures.map((p) => p.id),
  );
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

/**
 * Signs a draft: it must say something, be at the version read, and is locked from then on. The
 * signer is the caller's provider, who must be the note's author (no one signs for another).
 */
export async function signNote(
  ctx: EhrContext,
  input: { readonly id: string; readonly version: number },
): Promise<ClinicalNoteRow | MutationError> {
  // The encounter's date of service comes from the PMS, asked before the transaction opens.
  const peek = await peekNote(ctx, input.id);
  // A note's patient never changes: the row decided here is the row signed.
  const refused = await authorizeOnRow(ctx, 'note.sign', peek, { entityType: 'clinical_note', entityId: input.id });
  if (refused) return refused;
  if (!peek) return new NotFoundError(`Note ${input.id} was not found`, 'input.id');
  const entity = { entityType: 'clinical_note', entityId: input.id, patientId: peek.patient_id };
  const encounter = await requireEncounter(ctx, peek.encounter_id, 'input.id', 'note.sign');
  if (!('patientId' in encounter)) return encounter;
  const signer = ctx.access.identity.providerId;
  if (signer === null) return refuseChange(ctx, 'note.sign', NO_PROVIDER, entity);
  return inTransaction(ctx.db, async (trx) => {
    const note = await lockNote(trx, input.id);
    if (!note) return new NotFoundError(`Note ${input.id} was not found`, 'input.id');
    if (note.author_id !== signer) {
      return refuseChange(ctx, 'note.sign', "Only a note's author signs it", { ...entity, db: trx, field: 'input.id' });
    }
    if (note.status === 'signed') return new ConflictError('The note is already signed', 'input.id');
    if (note.version !== input.version)
      return new ConflictError(`The note changed since version ${input.version} (now ${note.version}); reload it`, 'input.version');
    if (!hasContent(note)) return new ValidationError('An empty note cannot be signed', 'input.id');
    const signed = await markSigned(trx, note.id, input.version, signer);
    if (!signed) return new ConflictError('The note changed while it was being signed; reload it', 'input.version');
    await announceDocumentation(trx, encounter, signed, null);
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'note.sign', before: note, after: signed })]);
    return signed;
  });
}

/**
 * Amends a signed note: the original text stays, the addendum has its own author (the caller's
 * provider) and time. An addendum that changes the encounter's coding raises a new
 * `encounter.documented` event.
 */
export async function addAddendum(
  ctx: EhrContext,
  input: { readonly noteId: string; readonly authorId: string | null; readonly text: string; readonly changesCoding: boolean },
): Promise<AddendumWithKind | MutationError> {
  if (input.text.trim() === '') return new ValidationError('An addendum must say something', 'input.text');
  if (input.text.length > MAX_SECTION) return new ValidationError(`text is longer than ${MAX_SECTION} characters`, 'input.text');
  const peek = await peekNote(ctx, input.noteId);
  // A note's patient never changes: the row decided here is the row amended.
  const refused = await authorizeOnRow(ctx, 'note.addendum', peek, { entityType: 'clinical_note', entityId: input.noteId });
  if (refused) return refused;
  if (!peek) return new NotFoundError(`Note ${input.noteId} was not found`, 'input.noteId');
  const target = { entityType: 'clinical_note', entityId: input.noteId, patientId: peek.patient_id, field: 'input.authorId' };
  const encounter = await requireEncounter(ctx, peek.encounter_id, 'input.noteId', 'note.addendum');
  if (!('patientId' in encounter)) return encounter;
  const author = ctx.access.identity.providerId;
  if (author === null) return refuseChange(ctx, 'note.addendum', NO_PROVIDER, target);
  if (input.authorId !== null && input.authorId !== author) {
    return refuseChange(ctx, 'note.addendum', "An addendum's author is you: authorId must be your own provider id (or left out)", target);
  }
  if (await requireProvider(ctx, author, 'input.authorId')) {
    return refuseChange(ctx, 'note.addendum', "Your token's provider is not in the provider directory", target);
  }
  return inTransaction(ctx.db, async (trx) => {
    const note = await lockNote(trx, input.noteId);
    if (!note) return new NotFoundError(`Note ${input.noteId} was not found`, 'input.noteId');
    if (note.status !== 'signed') return new ConflictError('A draft is edited, not amended: update it instead', 'input.noteId');
    const addendum = await insertAddendum(trx, {
      note_id: note.id,
      author_id: author,
      text: input.text,
      changes_coding: input.changesCoding,
      recorded_by: ctx.access.identity.subject,
    });
    if (input.changesCoding) await announceDocumentation(trx, encounter, note, addendum.id);
    const entity = { entityType: 'note_addendum', entityId: addendum.id, patientId: note.patient_id };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'note.addendum', before: null, after: addendum })]);
    return { ...addendum, note_kind: note.kind, patient_id: note.patient_id };
  });
}
