import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import './allergy.js';
import './clinical-note.js';

let schema: GraphQLSchema | undefined;

/** The EHR subgraph schema (Federation 2), built once per process. */
export function ehrSchema(): GraphQLSchema {
  schema ??= builder.toSubGraphSchema({});
  return schema;
}
