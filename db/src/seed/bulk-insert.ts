import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import type { SeedDatabase } from './seed-database.js';

/** Some rows of one table, for {@link bulkInsert}. */
export type BulkRows<DB = SeedDatabase> = {
  [T in keyof DB & string]: {
    readonly table: T;
    readonly rows: ReadonlyArray<Insertable<DB[T]>>;
    /** Columns whose values are JSON text (as Kysely inserts `jsonb`), embedded as they are. */
    readonly json?: ReadonlyArray<keyof Insertable<DB[T]> & string>;
  };
}[keyof DB & string];

/** Rows per statement: large enough that a batch of patients goes in one round trip, small enough to keep a statement's memory modest. */
export const BULK_ROWS_PER_STATEMENT = 50_000;

/** A PostgreSQL array literal (`{"a","b"}`) of strings or numbers. */
function arrayLiteral(items: ReadonlyArray<unknown>): string {
  return `{${items.map((item) => (typeof item === 'number' ? String(item) : `"${String(item).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)).join(',')}}`;
}

/** How a column travels: plain JSON values, JSON texts spliced in, or instants as epoch milliseconds. */
type Encoding = 'value' | 'json' | 'epoch';

/**
 * One column's values as a JSON array: texts, numbers, booleans and nulls as they are (a missing
 * value becomes null), arrays as PostgreSQL array literals, a JSON column's texts spliced in as
 * JSON values, and a column of dates as epoch milliseconds (turning a date into text is the
 * costliest part of encoding a row).
 */
function columnJson(values: readonly unknown[], encoding: Encoding): string {
  if (encoding === 'json') return `[${values.map((v) => (v === null || v === undefined ? 'null' : String(v))).join(',')}]`;
  if (encoding === 'epoch') return JSON.stringify(values.map((v) => (v instanceof Date ? v.getTime() : null)));
  if (values.some(Array.isArray)) return JSON.stringify(values.map((v) => (Array.isArray(v) ? arrayLiteral(v) : v)));
  return JSON.stringify(values);
}

/** Column types by table and column (`format_type`), read from the catalog. */
export type ColumnTypes = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** The column types of these tables, as {@link bulkStatements} casts to them. */
export async function columnTypes(db: Kysely<SeedDatabase>, tables: readonly string[]): Promise<ColumnTypes> {
  const { rows } = await sql<{ table: string; name: string; type: string }>`
    select t.name as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type
      from unnest(${[...tables]}::text[]) as t (name) join pg_attribute a on a.attrelid = t.name::regclass
     where a.attnum > 0 and not a.attisdropped`.execute(db);
  const types = new Map<string, Map<string, string>>();
  for (const r of rows) types.set(r.table, (types.get(r.table) ?? new Map<string, string>()).set(r.name, r.type));
  return types;
}

/** One table's rows as an INSERT over its columns, each bound as one JSON array and zipped back into rows by ROWS FROM. */
function insertOf(
  table: string,
  types: ReadonlyMap<string, string>,
  rows: readonly object[],
  json: ReadonlySet<string>,
): RawBuilder<unknown> {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  const names = [...keys];
  const columns = names.map((name) => {
    const type = types.get(name);
    if (type === undefined) throw new Error(`${table} has no column ${name}`);
    const values = rows.map((row) => (row as Record<string, unknown>)[name]);
    const dates = values.every((v) => v === null || v === undefined || v instanceof Date);
    const encoding: Encoding = json.has(name) ? 'json' : dates && values.some((v) => v instanceof Date) ? 'epoch' : 'value';
    return { type, encoding, document: columnJson(values, encoding) };
  });
  const sources = columns.map(
    (c) => sql`${sql.raw(c.encoding === 'json' ? 'json_array_elements' : 'json_array_elements_text')}(${c.document}::json)`,
  );
  const values = columns.map((c, i) => {
    const value = sql.ref(`u.c${i}`);
    return c.encoding === 'epoch' ? sql`to_timestamp(${value}::float8 / 1000)::${sql.raw(c.type)}` : sql`${value}::${sql.raw(c.type)}`;
  });
  return sql`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))})
    select ${sql.join(values)} from rows from (${sql.join(sources)}) as u (${sql.join(names.map((_, i) => sql.ref(`c${i}`)))})`;
}

/**
 * The statements that insert the rows of several tables, in as few statements as the rows allow,
 * built without touching the database (so they can be built while it works on earlier ones). Each
 * column travels as one JSON array (texts, numbers, nulls; dates as epoch milliseconds; arrays as
 * PostgreSQL array literals; JSON columns as JSON values), expanded by `json_array_elements_text`,
 * zipped back into rows by ROWS FROM and cast to the column's type; the tables' inserts share a
 * statement as data-modifying WITH queries. So a statement binds one parameter per column, far
 * below PostgreSQL's 65,535, both ends parse compact text instead of long VALUES lists, and up to
 * {@link BULK_ROWS_PER_STATEMENT} rows take one round trip.
 *
 * Give parents before children: a table's rows may be split across statements, never placed
 * before the rows of an earlier part. A key missing from some rows is written as null there.
 */
export function bulkStatements(types: ColumnTypes, parts: readonly BulkRows[]): Array<RawBuilder<unknown>> {
  const statements: Array<RawBuilder<unknown>> = [];
  let inserts: Array<RawBuilder<unknown>> = [];
  let size = 0;
  const close = () => {
    const [only, ...more] = inserts;
    if (only && more.length === 0) statements.push(only);
    else if (only) statements.push(sql`with ${sql.join(inserts.map((insert, i) => sql`${sql.ref(`w${i}`)} as (${insert})`))} select 1`);
    inserts = [];
    size = 0;
  };
  for (const part of parts) {
    const json = new Set<string>(part.json ?? []);
    const tableTypes = types.get(part.table);
    if (!tableTypes) throw new Error(`No column types for ${part.table}`);
    for (let start = 0; start < part.rows.length;) {
      if (size === BULK_ROWS_PER_STATEMENT) close();
      const take = Math.min(part.rows.length - start, BULK_ROWS_PER_STATEMENT - size);
      inserts.push(insertOf(part.table, tableTypes, part.rows.slice(start, start + take), json));
      size += take;
      start += take;
    }
  }
  close();
  return statements;
}

/** Runs statements one after the other. */
export async function executeAll(db: Kysely<SeedDatabase>, statements: ReadonlyArray<RawBuilder<unknown>>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

/** Inserts the rows of several tables (see {@link bulkStatements}). */
export async function bulkInsert(db: Kysely<SeedDatabase>, parts: readonly BulkRows[]): Promise<void> {
  const types = await columnTypes(db, [...new Set(parts.map((p) => p.table))]);
  await executeAll(db, bulkStatements(types, parts));
}
