import type { EncounterRow, PatientRow, ProviderRow } from '@chartbridge/db';
import { alignByKey, defineLoader } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findEncountersByIds } from './encounter.repository.js';
import { findPatientsByIds } from './patient.repository.js';
import { findProvidersByIds } from './provider.repository.js';

// One SQL statement per batch of ids, whatever the number of ids asked for in one tick.

export const patientById = defineLoader<PmsContext, string, PatientRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findPatientsByIds(ctx.db, ids), (row) => row.id),
);

export const providerById = defineLoader<PmsContext, string, ProviderRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findProvidersByIds(ctx.db, ids), (row) => row.id),
);

export const encounterById = defineLoader<PmsContext, string, EncounterRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findEncountersByIds(ctx.db, ids), (row) => row.id),
);
