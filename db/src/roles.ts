/**
 * The PostgreSQL roles the subgraphs and the gateway work as on a real server. The migrations create
 * them (NOLOGIN) and grant each subgraph role the use of its own schema only; every role may select
 * and insert audit events, and none may change one. A process's connections assume its role at start-up.
 */
export const DATABASE_ROLES = { pms: 'chartbridge_pms', ehr: 'chartbridge_ehr', gateway: 'chartbridge_gateway' } as const;
