/**
 * The PostgreSQL roles the subgraphs and the gateway work as on a real server. The migrations create
 * them (NOLOGIN) and grant each subgraph role the use of its own schema only; every role may select
 * and insert audit events, and none may change one. A process's connections assume its role at start-up.
 * `reports` is the PMS's read-only reporting connection: SELECT on the tables the revenue-cycle
 * reports read (both domains' billing and documentation facts, no patient demographics), nothing else.
 */
export const DATABASE_ROLES = {
  pms: 'chartbridge_pms',
  ehr: 'chartbridge_ehr',
  gateway: 'chartbridge_gateway',
  reports: 'chartbridge_reports',
} as const;
