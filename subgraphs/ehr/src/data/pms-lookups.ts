import { defineLoader } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import type { EncounterFacts, Lookup } from './pms-directory.js';

// The EHR's questions to the PMS, one `_entities` call per batch of ids asked in one tick, on the
// caller's behalf (their token forwarded): a list of encounters costs one call, not one per row.

/** A batch of ids is one GraphQL request; its representations stay well under the gateway's limits. */
const BATCH = { maxBatchSize: 100 };

/** An encounter's patient, provider, date of service and status, to document it. */
export const encounterFactsById = defineLoader<EhrContext, string, Lookup<EncounterFacts>>(
  (ctx, ids) => ctx.pms.encounters(ids, ctx),
  BATCH,
);

/** Whether a patient exists, before the EHR writes to their chart. */
export const patientById = defineLoader<EhrContext, string, Lookup<true>>((ctx, ids) => ctx.pms.patients(ids, ctx), BATCH);

/** Whether a provider is in the practice's directory, before a note names them. */
export const providerById = defineLoader<EhrContext, string, Lookup<true>>((ctx, ids) => ctx.pms.providers(ids, ctx), BATCH);
