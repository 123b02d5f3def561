import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
// Each file adds its aggregate's types and fields. The order in which they are first imported (here,
// or by one another) is the order of their fields on Patient and Encounter in schema/*.graphql.
import './allergy.js';
import './clinical-alert.js';
import './clinical-note.js';
import './coding.js';
import './dead-letter.js';
import './encounter-chart.js';
import './encounter-documentation.js';
import './medication.js';
import './previsit-summary.js';
import './problem.js';
import './immunization.js';
import './vitals.js';
import './lab.js';
import './alerts.js';

let schema: GraphQLSchema | undefined;

/** The EHR subgraph schema (Federation 2), built once per process. */
export function ehrSchema(): GraphQLSchema {
  schema ??= builder.toSubGraphSchema({});
  return schema;
}
