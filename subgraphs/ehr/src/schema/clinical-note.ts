import type { ClinicalNoteRow } from '@chartbridge/db';
import { notFound, parseId } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { noteById, notesByEncounterId } from '../data/loaders.js';
import { EncounterRef, ProviderRef } from './references.js';

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

const isRestricted = (note: ClinicalNoteRow): boolean => note.kind === 'behavioral_health';

export const ClinicalNote = builder.objectRef<ClinicalNoteRow>('ClinicalNote').implement({
  description: 'Clinical documentation of an encounter in SOAP form.',
  patientOf: (n) => n.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    status: t.field({ type: NoteStatus, nullable: false, dataClass: 'clinical_coding', resolve: (n) => n.status }),
    kind: t.field({ type: NoteKind, nullable: false, dataClass: 'clinical_coding', resolve: (n) => n.kind }),
    author: t.field({ type: ProviderRef, dataClass: 'reference', resolve: (n) => ({ id: n.author_id }) }),
    encounter: t.field({ type: EncounterRef, nullable: false, dataClass: 'reference', resolve: (n) => ({ id: n.encounter_id }) }),
    signedAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (n) => n.signed_at }),
    // The text of a behavioural-health note is restricted: break-the-glass only (DOMAIN.md).
    subjective: t.exposeString('subjective', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    objective: t.exposeString('objective', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    assessment: t.exposeString('assessment', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    plan: t.exposeString('plan', { dataClass: 'clinical', sensitiveWhen: isRestricted }),
    version: t.exposeInt('version', { nullable: false, dataClass: 'clinical_coding', description: 'Optimistic-concurrency version for edits.' }),
    createdAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (n) => n.created_at }),
    updatedAt: t.field({ type: 'DateTime', dataClass: 'clinical_coding', resolve: (n) => n.updated_at }),
  }),
});

builder.asEntity(ClinicalNote, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => noteById(ctx).load(ref.id),
});

EncounterRef.implement({
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    notes: t.field({
      type: [ClinicalNote],
      dataClass: 'clinical_coding',
      description: 'The notes of this encounter, in the order they were started.',
      resolve: (encounter, _args, ctx) => notesByEncounterId(ctx).load(encounter.id),
    }),
  }),
});

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
