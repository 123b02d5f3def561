import { readFileSync } from 'node:fs';

export { CompositionError, SUBGRAPHS, composeSupergraph, type ComposedFiles } from './compose.js';

/** The committed supergraph SDL that @apollo/gateway loads. */
export function readSupergraphSdl(): string {
  return readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
}
