import type { ProviderRow } from '@chartbridge/db';
import { byId } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findProvidersByIds } from './provider.repository.js';

export const providerById = byId<PmsContext, ProviderRow>(findProvidersByIds);
