import type { EncounterRow } from '@chartbridge/db';
import { byId } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findEncountersByIds } from './encounter.repository.js';

export const encounterById = byId<PmsContext, EncounterRow>(findEncountersByIds);
