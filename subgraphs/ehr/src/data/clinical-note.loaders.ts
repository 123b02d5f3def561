import type { ClinicalNoteRow } from '@chartbridge/db';
import { byId, groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findAddendaByNoteIds, findNotesByEncounterIds, findNotesByIds, type AddendumWithKind } from './clinical-note.repository.js';

// Notes' request-scoped loaders: one SQL statement per batch of notes or encounters.

export const noteById = byId<EhrContext, ClinicalNoteRow>(findNotesByIds);

export const notesByEncounterId = groupedBy<EhrContext, ClinicalNoteRow>(findNotesByEncounterIds, (row) => row.encounter_id);

export const addendaByNoteId = groupedBy<EhrContext, AddendumWithKind>(findAddendaByNoteIds, (row) => row.note_id);
