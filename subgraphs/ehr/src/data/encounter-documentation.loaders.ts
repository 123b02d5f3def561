import { alignByKey, defineLoader, groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import {
  findAddendumFactsByEncounterIds,
  findDiagnosisLinksByEncounterIds,
  findDocumentedServiceDates,
  type AddendumFact,
  type DiagnosisLinkFact,
} from './encounter-documentation.repository.js';

// The request-scoped loaders of `Encounter.documentation`: one SQL statement per kind of fact for
// every encounter asked about in one tick. Notes, diagnoses and procedures come from the loaders
// the chart's own fields use (clinical-note.loaders.ts, coding.loaders.ts), so a query that reads
// both shares their rows.

export const addendumFactsByEncounterId = groupedBy<EhrContext, AddendumFact>(findAddendumFactsByEncounterIds, (row) => row.encounter_id);

export const diagnosisLinksByEncounterId = groupedBy<EhrContext, DiagnosisLinkFact>(
  findDiagnosisLinksByEncounterIds,
  (row) => row.encounter_id,
);

/** The date of service the encounter's documentation was last signed or amended for; null before any signature. */
export const documentedServiceDateByEncounterId = defineLoader<EhrContext, string, string | null>(async (ctx, ids) =>
  alignByKey(ids, await findDocumentedServiceDates(ctx.db, ids), (row) => row.encounter_id).map((row) => row?.service_date ?? null),
);
