import type { ColumnType, Insertable, Selectable } from 'kysely';

/** The hash chains of the audit trail: one per writer, so writers never wait on each other. */
export type AuditChain = 'gateway' | 'pms' | 'ehr';
/**
 * How the recorded request or access ended. A request record takes the most telling of its errors and
 * error results: `denied` (FORBIDDEN), `unauthenticated`, `error` (unexpected), `invalid`
 * (BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED), `conflict` (CONFLICT), `not_found` (NOT_FOUND).
 */
export type AuditOutcome = 'success' | 'denied' | 'unauthenticated' | 'error' | 'invalid' | 'conflict' | 'not_found';

/**
 * A column written once and never changed: the table is append-only (a trigger refuses UPDATE,
 * DELETE and TRUNCATE), so no column has an update type.
 */
type Written<T> = ColumnType<T, T, never>;
/** A written-once column with a server default. */
type WrittenOrDefault<T> = ColumnType<T, T | undefined, never>;

export interface AuditEventTable {
  id: WrittenOrDefault<string>;
  chain: Written<AuditChain>;
  /** Position in the chain, from 1 with no gap. `int8`, read as a number (see type-parsers.ts). */
  seq: Written<number>;
  /** Set by the appender to a whole millisecond, so the hash it computed matches what is read back. */
  at: WrittenOrDefault<Date>;
  request_id: Written<string>;
  actor_id: Written<string>;
  role: Written<string>;
  client: Written<string | null>;
  action: Written<string>;
  operation_name: Written<string | null>;
  operation_hash: Written<string | null>;
  purpose: Written<string | null>;
  outcome: Written<AuditOutcome>;
  latency_ms: Written<number | null>;
  source_address: Written<string | null>;
  patient_id: Written<string | null>;
  data_classes: WrittenOrDefault<string[]>;
  break_glass: WrittenOrDefault<boolean>;
  break_glass_reason: Written<string | null>;
  entity_type: Written<string | null>;
  entity_id: Written<string | null>;
  before_hash: Written<string | null>;
  after_hash: Written<string | null>;
  /**
   * The caller's own id for the request (its `X-Correlation-Id`, else its `X-Request-Id`), on the
   * gateway's request records; `request_id` is always the gateway's own. Null when the caller sent
   * none, and on every row written before the column existed.
   */
  correlation_id: WrittenOrDefault<string | null>;
  /** The previous row's `hash`; null only for seq 1. */
  prev_hash: Written<string | null>;
  /** sha256 hex of the row's other columns except `id` (see audit-chain.ts). */
  hash: Written<string>;
}

/** The tables of the `audit` schema. Every role may select and insert; none may change a row. */
export interface AuditDatabase {
  'audit.event': AuditEventTable;
}

export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
