import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { auditMigrations } from './migrations/audit/index.js';
import { ehrMigrations } from './migrations/ehr/index.js';
import { pmsMigrations } from './migrations/pms/index.js';
import { reportsMigrations } from './migrations/reports/index.js';

export type SchemaName = 'pms' | 'ehr' | 'audit' | 'reports';

/**
 * Order matters: the pms and ehr migrations create the roles that the audit grants name; the reports
 * schema derives its tables from both domains (its triggers sit on their tables) and grants to the
 * reports role the audit migrations create.
 */
export const SCHEMA_ORDER: readonly SchemaName[] = ['pms', 'ehr', 'audit', 'reports'];

const migrationsBySchema: Record<SchemaName, Record<string, Migration>> = {
  pms: pmsMigrations,
  ehr: ehrMigrations,
  audit: auditMigrations,
  reports: reportsMigrations,
};

export class MigrationError extends Error {
  constructor(
    readonly schema: SchemaName,
    readonly migration: string | undefined,
    options: { cause: unknown },
  ) {
    super(`Migration ${migration ?? '(unknown)'} of schema ${schema} failed`, options);
    this.name = 'MigrationError';
  }
}

/**
 * Brings one Postgres schema up to date. Each schema keeps its own migration and lock tables inside
 * itself (`pms.kysely_migration`, ...), so the domains evolve independently. Concurrent callers are
 * safe: Kysely's lock table makes the second wait for the first.
 *
 * Throws {@link MigrationError} when a migration fails; that migration's transaction is rolled back.
 */
export async function migrateSchema<DB>(db: Kysely<DB>, schema: SchemaName): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    // Migrations see no table types: they are frozen SQL, independent of the code's view of the tables.
    db: db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => migrationsBySchema[schema] },
    migrationTableSchema: schema,
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
  const resultSet = await migrator.migrateToLatest();
  if (resultSet.error !== undefined) {
    const failed = resultSet.results?.find((r) => r.status === 'Error');
    throw new MigrationError(schema, failed?.migrationName, { cause: resultSet.error });
  }
  return resultSet;
}

/** Migrates every schema in {@link SCHEMA_ORDER}; returns the names of the migrations it applied. */
export async function migrateAll<DB>(db: Kysely<DB>): Promise<string[]> {
  const applied: string[] = [];
  for (const schema of SCHEMA_ORDER) {
    const { results } = await migrateSchema(db, schema);
    for (const r of results ?? []) if (r.status === 'Success') applied.push(`${schema}/${r.migrationName}`);
  }
  return applied;
}
