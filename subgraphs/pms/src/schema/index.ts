import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import './appointment.js';
import './audit-event.js';
import './claim.js';
import './claim-submission.js';
import './compliance.js';
import './consent.js';
import './coverage.js';
import './encounter.js';
import './patient-identifiers.js';
import './patient-registration.js';
import './patient.js';
import './payment.js';
import './provider.js';
import './revenue-cycle.js';

let schema: GraphQLSchema | undefined;

/** The PMS subgraph schema (Federation 2), built once per process. */
export function pmsSchema(): GraphQLSchema {
  schema ??= builder.toSubGraphSchema({});
  return schema;
}
