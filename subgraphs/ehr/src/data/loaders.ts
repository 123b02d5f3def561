import type { AllergyRow, ClinicalNoteRow } from '@chartbridge/db';
import { alignByKey, defineLoader, groupByKey } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findAllergiesByPatientIds } from './allergy.repository.js';
import { findNotesByEncounterIds, findNotesByIds } from './clinical-note.repository.js';

// One SQL statement per batch of keys, whatever the number of keys asked for in one tick.

export const allergiesByPatientId = defineLoader<EhrContext, string, AllergyRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findAllergiesByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const notesByEncounterId = defineLoader<EhrContext, string, ClinicalNoteRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findNotesByEncounterIds(ctx.db, ids), (row) => row.encounter_id),
);

export const noteById = defineLoader<EhrContext, string, ClinicalNoteRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findNotesByIds(ctx.db, ids), (row) => row.id),
);
