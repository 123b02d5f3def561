/**
 * The PostgreSQL roles the subgraphs work as on a real server. The migrations create them (NOLOGIN)
 * and grant each the use of its own schema only; a subgraph's connections assume its role at start-up.
 */
export const DATABASE_ROLES = { pms: 'chartbridge_pms', ehr: 'chartbridge_ehr' } as const;
