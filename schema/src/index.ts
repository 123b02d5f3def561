import { readFileSync } from 'node:fs';

export { CompositionError, SUBGRAPHS, composeSupergraph, type ComposedFiles } from './compose.js';
import type { PolicyManifest } from './policy-manifest.js';

export {
  buildPolicyManifest,
  mutationsByAction,
  policyTable,
  writePolicyTable,
  type ManifestField,
  type PolicyManifest,
} from './policy-manifest.js';

/** The committed supergraph SDL that @apollo/gateway loads. */
export function readSupergraphSdl(): string {
  return readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
}

/** The committed policy manifest that the gateway checks requests against before planning. */
export function readPolicyManifest(): PolicyManifest {
  return JSON.parse(readFileSync(new URL('../policy-manifest.json', import.meta.url), 'utf8')) as PolicyManifest;
}
