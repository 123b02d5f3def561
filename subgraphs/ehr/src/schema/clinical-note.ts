import type { ClinicalNoteRow } from '@chartbridge/db';
import type { AddendumWithKind } from '../data/clinical-note.repository.js';
import { mutationResult, notFound, parseId } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { addendaByNoteId, noteById, notesByEncounterId } from '../data/clinical-note.loaders.js';
import { isRestrictedKind } from '../rules/note-sensitivity.js';
import { addAddendum, signNote, startNote, updateNote } from '../services/documentation.service.js';
import { EncounterRef, ProviderRef, requiresEncounterPatient } from './references.js';

const NoteStatus = builder.enumType('NoteStatus', {
  values: {
    DRAFT: { value: 'draft', description: 'Being written; may still change.' },
    SIGNED: { value: 'signed', description: 'Signed by its author and locked; corrections are addenda.' },
  } as const,
});

const NoteKind = builder.enumType('NoteKind', {
  values: {
    PROGRESS: { value: 'progress' },
    CONSULT: { value: 'consult' },
    PROCEDURE: { value: 'procedure' },
    BEHAVIORAL_HEALTH: { value: 'behavioral_health' },
  } as const,
});

const isRestricted = (note: ClinicalNoteRow): boolean => isRestrictedKind(note.kind);

const NoteAddendum = builder.objectRef<AddendumWithKind>('NoteAddendum').implement({
  description: 'An addendum to a signed note: its own author and time; the original text stays.',
  patientOf: (a) => a.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    author: t.field({ type: ProviderRef, dataClass: 'reference', resolve: (a) => ({ id: a.author_id }) }),
    text: t.exposeString('text', { dataClass: 'clinical', sensitiveWhen: (a) => isRestrictedKind(a.note_kind) }),
    changesCoding: t.exposeBoolean('changes_coding', { nullable: false, dataClass: 'clinical_coding' }),
    createdAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (a) => a.created_at }),
  }),
});

const DocumentationStatus = builder.enumType('DocumentationStatus', {
  values: {
    NONE: { value: 'none', description: 'No note yet.' },
    DRAFT: { value: 'draft', description: 'At least one note is still a draft.' },
    SIGNED: { value: 'signed', description: 'Every note is signed.' },
    AMENDED: { value: 'amended', description: 'Every note is signed and at least one has addenda.' },
  } as const,
});

export const ClinicalNote = builder.objectRef<ClinicalNoteRow>('ClinicalNote').implement({
  description: 'Clinical documentation of an encounter in SOAP form.',
  patientOf: (n) => n.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    status: t.field({ type: NoteStatus, nullable: false, dataClass: 'clinical_coding', resolve: (n) => n.status }),
    kind: t.field({ type: NoteKind, nullable: false, dataClass: 'clinical_coding', resolve: (n) => n.kind }),
    author: t.field({ type: ProviderRef, dataClass: 'reference', resolve: (n) => ({ id: n.author_id }) }),
    encounter: t.field({
      type: EncounterRef,
      nullable: false,
      dataClass: 'reference',
      resolve: (n) => ({ id: n.encounter_id, patientId: n.patient_id }),
    }),
    signedAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (n) => n.signed_at }),
    // The text of a behavioural-health note is restricted: break-the-glass only (docs/PRACTICE-DOMAIN.md, "Clinical record (EHR)").
    subjective: t.exposeString('subjective', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    objective: t.exposeString('objective', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    assessment: t.exposeString('assessment', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    plan: t.exposeString('plan', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    version: t.exposeInt('version', {
      nullable: false,
      dataClass: 'clinical_coding',
      description: 'Optimistic-concurrency version for edits.',
    }),
    createdAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (n) => n.created_at }),
    updatedAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (n) => n.updated_at }),
    signedBy: t.field({
      type: ProviderRef,
      dataClass: 'reference',
      description: 'The provider who signed it: its author.',
      resolve: (n) => (n.signed_by ? { id: n.signed_by } : null),
    }),
    draftedBy: t.field({
      type: ProviderRef,
      dataClass: 'reference',
      description: 'The provider (a nurse or scribe) who drafted it for its author; null when the author wrote it.',
      resolve: (n) => (n.drafted_by ? { id: n.drafted_by } : null),
    }),
    addenda: t.field({
      type: [NoteAddendum],
      nullable: false,
      dataClass: 'clinical_coding',
      description: 'Corrections and additions made after signing, oldest first; the signed text above never changes.',
      resolve: (n, _args, ctx) => (n.status === 'signed' ? addendaByNoteId(ctx).load(n.id) : []),
    }),
  }),
});

builder.asEntity(ClinicalNote, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => noteById(ctx).load(ref.id),
});

builder.objectFields(EncounterRef, (t) => ({
  notes: t.field({
    type: [ClinicalNote],
    dataClass: 'clinical_coding',
    ...requiresEncounterPatient(),
    description: 'The notes of this encounter, in the order they were started.',
    resolve: (encounter, _args, ctx) => notesByEncounterId(ctx).load(encounter.id),
  }),
  documentationStatus: t.field({
    type: DocumentationStatus,
    nullable: false,
    dataClass: 'clinical_coding',
    ...requiresEncounterPatient(),
    resolve: async (encounter, _args, ctx) => {
      const notes = await notesByEncounterId(ctx).load(encounter.id);
      if (notes.length === 0) return 'none' as const;
      if (notes.some((n) => n.status === 'draft')) return 'draft' as const;
      const addenda = await Promise.all(notes.map((n) => addendaByNoteId(ctx).load(n.id)));
      return addenda.some((a) => a.length > 0) ? ('amended' as const) : ('signed' as const);
    },
  }),
}));

builder.queryFields((t) => ({
  clinicalNote: t.field({
    type: ClinicalNote,
    dataClass: 'reference',
    description: 'One note by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      const note = await noteById(ctx).load(id);
      if (!note) throw notFound('ClinicalNote', id);
      ctx.access.assertCanReachPatient(note.patient_id);
      return note;
    },
  }),
}));

const NoteResult = (name: string) => mutationResult(builder, name, ClinicalNote);

const AddAddendumResult = mutationResult(builder, 'AddAddendumResult', NoteAddendum);

const StartNoteInput = builder.inputType('StartNoteInput', {
  fields: (t) => ({
    encounterId: t.id({ required: true }),
    authorId: t.id({
      description:
        "The note's author: your own provider (the default; a clinician writes only as themself), or, for a nurse drafting " +
        'for a clinician, that provider, with you recorded as its drafter. Only the author signs it.',
    }),
    kind: t.field({ type: NoteKind, defaultValue: 'progress' }),
    subjective: t.string(),
    objective: t.string(),
    assessment: t.string(),
    plan: t.string(),
  }),
});

const UpdateNoteInput = builder.inputType('UpdateNoteInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true, description: 'The version you read; a newer one makes this a CONFLICT.' }),
    kind: t.field({ type: NoteKind }),
    subjective: t.string(),
    objective: t.string(),
    assessment: t.string(),
    plan: t.string(),
  }),
});

const SignNoteInput = builder.inputType('SignNoteInput', {
  fields: (t) => ({ id: t.id({ required: true }), version: t.int({ required: true }) }),
});

const AddAddendumInput = builder.inputType('AddAddendumInput', {
  fields: (t) => ({
    noteId: t.id({ required: true }),
    authorId: t.id({ description: "The addendum's author is you: your own provider id, or left out." }),
    text: t.string({ required: true }),
    changesCoding: t.boolean({
      defaultValue: false,
      description: "True when the encounter's coding changed with it: charge capture runs again.",
    }),
  }),
});

builder.mutationFields((t) => ({
  startNote: t.field({
    type: NoteResult('StartNoteResult'),
    nullable: false,
    dataClass: 'reference',
    writes: 'note.start',
    description: 'Starts a draft note for an encounter (clinicians and nurses).',
    args: { input: t.arg({ type: StartNoteInput, required: true }) },
    resolve: (_root, { input }, ctx) => startNote(ctx, { ...input, authorId: input.authorId ?? null, kind: input.kind ?? 'progress' }),
  }),
  updateNote: t.field({
    type: NoteResult('UpdateNoteResult'),
    nullable: false,
    dataClass: 'reference',
    writes: 'note.update',
    description:
      'Changes a draft at the version you read. Changing a restricted kind (behavioural health) to another lowers its ' +
      'protection: clinicians only, with X-Break-Glass-Reason, and recorded as such.',
    args: { input: t.arg({ type: UpdateNoteInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateNote(ctx, input),
  }),
  signNote: t.field({
    type: NoteResult('SignNoteResult'),
    nullable: false,
    dataClass: 'reference',
    writes: 'note.sign',
    description: 'Signs a draft (its author, a clinician): it is locked from then on, and charge capture is told.',
    args: { input: t.arg({ type: SignNoteInput, required: true }) },
    resolve: (_root, { input }, ctx) => signNote(ctx, input),
  }),
  addAddendum: t.field({
    type: AddAddendumResult,
    nullable: false,
    dataClass: 'reference',
    writes: 'note.addendum',
    description: 'Amends a signed note (clinicians); the original text stays.',
    args: { input: t.arg({ type: AddAddendumInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addAddendum(ctx, { ...input, authorId: input.authorId ?? null, changesCoding: input.changesCoding ?? false }),
  }),
}));
