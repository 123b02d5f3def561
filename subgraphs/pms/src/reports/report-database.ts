import type { EhrDatabase, PmsDatabase } from '@chartbridge/db';
import type { Kysely } from 'kysely';
import type { PatientPseudonyms } from './pseudonym.js';

/**
 * What the reports connection sees: the billing tables of the pms schema and the documentation
 * facts of the ehr schema. On a real server it works as the read-only `chartbridge_reports` role,
 * which is granted SELECT on exactly what the reports read (no patient demographics, no note text):
 * a query that strays fails with "permission denied" instead of reading it.
 */
export type ReportsDatabase = PmsDatabase & EhrDatabase;

/** What the PMS's GraphQL layer needs to answer the revenue-cycle queries; the same for every request. */
export interface ReportsContext {
  /** REPORTS_DATABASE_URL (a read replica) when set, the primary otherwise; as `chartbridge_reports`. */
  readonly db: Kysely<ReportsDatabase>;
  /** Turns patient ids into the stable pseudonymous keys of drill-down rows. */
  readonly pseudonyms: PatientPseudonyms;
  /** The practice's IANA time zone: the calendar day of a submission or a claim's creation. */
  readonly timeZone: string;
}

/**
 * Settings of every reports connection. JIT compilation off: PostgreSQL compiles a plan whose cost
 * passes `jit_above_cost`, and the reports' plans (a few hundred milliseconds over the derived
 * tables, costed high) spent longer compiling than running: a 12-month trend of days in A/R took
 * 1.1 s of JIT out of 2.5 s at 100,000 patients.
 */
export const REPORTS_SESSION_SETTINGS: Readonly<Record<string, string>> = { jit: 'off' };

/** {@link REPORTS_SESSION_SETTINGS} with the configured cap on a report's statement (REPORTS_STATEMENT_TIMEOUT_MS). */
export function reportsSessionSettings(statementTimeoutMs: number): Readonly<Record<string, string>> {
  return { ...REPORTS_SESSION_SETTINGS, statement_timeout: `${statementTimeoutMs}ms` };
}
