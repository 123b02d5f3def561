export {
  AUDIT_CHAINS,
  AUDIT_SESSION_SETTINGS,
  appendAudit,
  auditEventHash,
  contentHash,
  type AuditChain,
  type AuditOutcome,
  type AuditRecord,
  type HashedAuditColumns,
} from './audit/audit-chain.js';
export { auditChainLengths, verifyAuditChains, type VerifyResult } from './audit/audit-verify.js';
export { isValidNpi, npiCheckDigit } from './codes/npi.js';
export { openCommandDatabase } from './command-database.js';
export { createDatabase, type Database, type DatabaseOptions, type DatabaseTarget } from './connection.js';
export {
  inTransaction,
  isRetryableTransactionError,
  onTransactionRetry,
  type TransactionRetry,
  type TransactionRetryOptions,
} from './transactions.js';
export { DEFAULT_DATA_DIR } from './config.js';
export { DEFAULT_PHI_DEV_KEY_FILE, loadPhiKeyConfig, parsePhiKeyConfig, type PhiKeyConfig } from './config.js';
export {
  FIELD_KEY_BYTES,
  FieldDecryptionError,
  FieldKeyError,
  FieldKeyring,
  generateFieldKeyring,
  isValidSsn,
  loadOrCreateDevFieldKeyring,
  maskSsn,
  normalizeSsn,
  openFieldKeyring,
  parseFieldKeys,
  patientSsnAad,
  sealedKeyId,
  type FieldDecryptionFailure,
  type FieldKey,
} from './crypto/field-encryption.js';
export { EmbeddedDatabaseBusyError, openEmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres.js';
export { MigrationError, SCHEMA_ORDER, migrateAll, migrateSchema, type SchemaName } from './migrator.js';
export { migrationProgressOf, type MigrationProgress } from './migrations/progress.js';
export { DATABASE_ROLES } from './roles.js';
export { deferReportTables, refreshReportTables, reportTableNames, startReportsTimeZone, useReportsTimeZone } from './report-tables.js';
export { bulkInsert, type BulkRows } from './seed/bulk-insert.js';
export {
  isEmpty,
  seedDatabase,
  SEEDED_TABLES,
  SeedRefusedError,
  type SeedDatabase,
  type SeedStage,
  type SeedSummary,
} from './seed/seed-database.js';
export { ProgressBar } from './seed/progress-bar.js';
export { SyntheticPractice, seededMrn, type SyntheticDataOptions } from './seed/synthetic-data.js';
export type { SeedPatient, SeedSsn, SyntheticBatch } from './seed/synthetic-data.js';
export { StatementCounter } from './statement-counter.js';
export type * from './tables/audit.tables.js';
export type * from './tables/ehr-coding.tables.js';
export type * from './tables/ehr-medication.tables.js';
export type * from './tables/ehr-observation.tables.js';
export type * from './tables/ehr.tables.js';
export type * from './tables/pms.tables.js';
