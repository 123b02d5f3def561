import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { AuditChain, AuditDatabase, AuditEventRow, AuditOutcome } from '../tables/audit.tables.js';
import { preparedStatement } from '../prepared-statements.js';

export type { AuditChain, AuditOutcome } from '../tables/audit.tables.js';

/** Every chain of the audit trail, in the order `pnpm audit:verify` reports them. */
export const AUDIT_CHAINS: readonly AuditChain[] = Object.freeze(['gateway', 'pms', 'ehr'] as const);

/**
 * Server settings for the connections a service appends its audit records on. An append normally
 * takes milliseconds; one that waits 5 s for a lock or its statement is refused, so the request it
 * records fails closed (no data leaves) instead of hanging, with every later append of the chain in
 * the process queued behind it (appends take turns: see appendAudit). Both end in an error answer
 * to the statement; the connection stays usable.
 */
export const AUDIT_SESSION_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  statement_timeout: '5s',
  lock_timeout: '5s',
});

/**
 * One audited event, as a writer describes it. The appender adds the chain, position, time and hashes.
 *
 * Never put PHI in clear here beyond the ids: describe a changed row by {@link contentHash} of its
 * before and after states, not by its values.
 */
export interface AuditRecord {
  /** What happened, dotted: `graphql.request`, `patient.access`, `note.update`. */
  readonly action: string;
  readonly requestId: string;
  readonly actorId: string;
  readonly role: string;
  readonly outcome: AuditOutcome;
  readonly client?: string | null;
  readonly operationName?: string | null;
  readonly operationHash?: string | null;
  readonly purpose?: string | null;
  /** Rounded to a whole millisecond: the column is an integer. */
  readonly latencyMs?: number | null;
  readonly sourceAddress?: string | null;
  /** A UUID, in any case; stored lowercase. */
  readonly patientId?: string | null;
  /** Kept in the given order: the order is part of the hash. */
  readonly dataClasses?: readonly string[];
  readonly breakGlass?: boolean;
  readonly breakGlassReason?: string | null;
  readonly entityType?: string | null;
  readonly entityId?: string | null;
  readonly beforeHash?: string | null;
  readonly afterHash?: string | null;
  /** The caller's own id for the request, beside `requestId` (the gateway's): see the column's comment. */
  readonly correlationId?: string | null;
}

/**
 * The columns a row's hash covers: every column but `id` (the server's) and `hash` itself.
 * `correlation_id` may be missing: a row read from a database whose migrations predate it.
 */
export type HashedAuditColumns = Omit<AuditEventRow, 'id' | 'hash' | 'correlation_id'> & { readonly correlation_id?: string | null };

// 25 parameters a row; PostgreSQL takes at most 65535 parameters in one statement.
const ROWS_PER_INSERT = 1000;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash of an audit row: sha256 hex of the JSON array of its hashed columns in a fixed order, the
 * time as an ISO-8601 string with milliseconds. The order is part of every stored hash: changing it
 * breaks every existing chain. A column added later is appended to the array only when the row has
 * a value in it (`correlation_id`), so the rows written before it existed, where it is null, keep
 * their hashes; the array's length tells the two shapes apart. A row read from a database whose
 * migrations predate the column (no such member) hashes as null.
 */
export function auditEventHash(row: HashedAuditColumns): string {
  const correlationId = row.correlation_id ?? null;
  return sha256Hex(
    JSON.stringify([
      row.chain,
      row.seq,
      row.at.toISOString(),
      row.request_id,
      row.actor_id,
      row.role,
      row.client,
      row.action,
      row.operation_name,
      row.operation_hash,
      row.purpose,
      row.outcome,
      row.latency_ms,
      row.source_address,
      row.patient_id,
      row.data_classes,
      row.break_glass,
      row.break_glass_reason,
      row.entity_type,
      row.entity_id,
      row.before_hash,
      row.after_hash,
      row.prev_hash,
      ...(correlationId === null ? [] : [correlationId]),
    ]),
  );
}

/**
 * Canonical JSON (RFC 8785, JCS, for JSON data): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as `JSON.stringify` writes them, `toJSON` honoured (a `Date`
 * becomes its ISO string), `undefined` members left out as in JSON.
 */
function canonicalJson(value: unknown): string | undefined {
  const json: unknown =
    value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function'
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  if (json === undefined || typeof json === 'function' || typeof json === 'symbol') return undefined;
  if (json === null || typeof json !== 'object') return JSON.stringify(json);
  if (Array.isArray(json)) return `[${json.map((item: unknown) => canonicalJson(item) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(json).sort()) {
    const member = canonicalJson((json as Record<string, unknown>)[key]);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * sha256 hex of a value's canonical JSON, for the before and after states of a changed row, so the
 * trail proves what changed without holding PHI in clear. Equal data hashes equally whatever the
 * order of its object keys; `undefined` hashes like `null`.
 *
 * Hash whole rows (ids and timestamps included), not single fields: an unsalted hash of a birth
 * date or a name can be found by trying the likely values. Throws a TypeError on a `bigint`.
 */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value) ?? 'null');
}

/**
 * What the database will give back for a string: PostgreSQL stores UTF-8, so a lone UTF-16
 * surrogate (possible in JSON a client sent) comes back as U+FFFD. Hashing the stored form keeps the
 * row verifiable.
 */
function storedText(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

function optionalText(value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : storedText(value);
}

function latency(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isFinite(value)) throw new RangeError(`latencyMs must be a finite number, got ${value}`);
  return Math.round(value);
}

function columnsOf(chain: AuditChain, seq: number, at: Date, prevHash: string | null, record: AuditRecord): HashedAuditColumns {
  return {
    chain,
    seq,
    at,
    request_id: storedText(record.requestId),
    actor_id: storedText(record.actorId),
    role: storedText(record.role),
    client: optionalText(record.client),
    action: storedText(record.action),
    operation_name: optionalText(record.operationName),
    operation_hash: optionalText(record.operationHash),
    purpose: optionalText(record.purpose),
    outcome: record.outcome,
    latency_ms: latency(record.latencyMs),
    source_address: optionalText(record.sourceAddress),
    patient_id: optionalText(record.patientId)?.toLowerCase() ?? null,
    data_classes: (record.dataClasses ?? []).map(storedText),
    break_glass: record.breakGlass ?? false,
    break_glass_reason: optionalText(record.breakGlassReason),
    entity_type: optionalText(record.entityType),
    entity_id: optionalText(record.entityId),
    before_hash: optionalText(record.beforeHash),
    after_hash: optionalText(record.afterHash),
    correlation_id: optionalText(record.correlationId),
    prev_hash: prevHash,
  };
}

/** A row as an append writes it: the hashed columns and the hash. */
type AppendedRow = HashedAuditColumns & { readonly hash: string };

/** A chain's newest row, as an appender last wrote or read it. */
interface ChainHead {
  readonly seq: number;
  readonly hash: string;
  readonly at: Date;
}

/** The rows of `records` after `head` (none: the chain's first), all at `at`, each hashed and linked to the one before. */
function chainRows(chain: AuditChain, head: ChainHead | null, at: Date, records: readonly AuditRecord[]): AppendedRow[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? null;
  return records.map((record) => {
    seq += 1;
    const columns = columnsOf(chain, seq, at, prevHash, record);
    prevHash = auditEventHash(columns);
    return { ...columns, hash: prevHash };
  });
}

function headOf(rows: readonly AppendedRow[]): ChainHead | null {
  const last = rows[rows.length - 1];
  return last ? { seq: last.seq, hash: last.hash, at: last.at } : null;
}

/** The advisory lock key of a chain; {@link chainLock} and {@link appendAfterText} take the same lock. */
const chainLockKey = (chain: AuditChain) => `audit:${chain}`;
const chainLock = (chain: AuditChain) => sql`pg_advisory_xact_lock(hashtext(${chainLockKey(chain)}))`;

/** A chain's newest row (null: the chain is empty). */
async function readHead(db: Kysely<AuditDatabase>, chain: AuditChain): Promise<ChainHead | null> {
  const last = await db
    .selectFrom('audit.event')
    .select(['seq', 'hash', 'at'])
    .where('chain', '=', chain)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ?? null;
}

async function appendLocked(trx: Kysely<AuditDatabase>, chain: AuditChain, records: readonly AuditRecord[]): Promise<ChainHead | null> {
  // Appenders of one chain queue here until the holder commits. The lock is its own statement on
  // purpose: in read committed each statement takes a new snapshot, so the read below, issued once
  // the lock is granted, sees the rows the previous holder committed.
  await sql`select ${chainLock(chain)}`.execute(trx);
  const last = await readHead(trx, chain);
  // Taken under the lock, so on one clock `at` never goes backwards along a chain. A Date holds whole
  // milliseconds; PostgreSQL keeps microseconds, so the value reads back exactly as it was hashed.
  const rows = chainRows(chain, last, new Date(), records);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('audit.event')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }
  return headOf(rows);
}

/** The columns of audit.event an append writes, with their types (a `values` list in a subquery is typed by hand). */
const EVENT_COLUMNS: ReadonlyArray<readonly [keyof AppendedRow, string]> = [
  ['chain', 'text'],
  ['seq', 'bigint'],
  ['at', 'timestamptz'],
  ['request_id', 'text'],
  ['actor_id', 'text'],
  ['role', 'text'],
  ['client', 'text'],
  ['action', 'text'],
  ['operation_name', 'text'],
  ['operation_hash', 'text'],
  ['purpose', 'text'],
  ['outcome', 'text'],
  ['latency_ms', 'integer'],
  ['source_address', 'text'],
  ['patient_id', 'uuid'],
  ['data_classes', 'text[]'],
  ['break_glass', 'boolean'],
  ['break_glass_reason', 'text'],
  ['entity_type', 'text'],
  ['entity_id', 'text'],
  ['before_hash', 'text'],
  ['after_hash', 'text'],
  ['correlation_id', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
];

/**
 * Appends after `head` (null: as the chain's first rows) in one statement, no transaction of its
 * own: it takes the chain's lock, as {@link appendLocked} does, and inserts only if that head is
 * still there, unchanged (or the chain still empty). Returns false, having written nothing, when the
 * head is gone or another appender has written after it: the unique `(chain, seq)` refuses the row,
 * whatever the statement's snapshot (taken before the lock was granted) saw.
 */
async function appendAfter(
  db: Kysely<AuditDatabase>,
  chain: AuditChain,
  head: ChainHead | null,
  rows: readonly AppendedRow[],
): Promise<boolean> {
  const parameters: unknown[] = [];
  for (const row of rows) for (const [column] of EVENT_COLUMNS) parameters.push(row[column]);
  parameters.push(chainLockKey(chain), chain);
  if (head) parameters.push(head.seq, head.hash);
  try {
    const result = await db.executeQuery(CompiledQuery.raw(head ? appendAfterText(rows.length) : appendFirstText(rows.length), parameters));
    return Number(result.numAffectedRows ?? 0) === rows.length;
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === '23505') return false;
    throw error;
  }
}

/**
 * {@link appendAfter}'s statement for `n` rows, written once per row count (a request appends one
 * or a few): the values, then the lock's key, then the head's chain, seq and hash, as `$n` parameters.
 */
const appendAfterTexts = new Map<number, string>();
const PREPARED_APPEND_ROWS = 4;

/** The insert of `n` rows under the chain's lock, `condition` over the parameters after the values. */
function appendText(n: number, condition: (p: number) => string): string {
  const columns = EVENT_COLUMNS.map(([column]) => `"${column}"`).join(', ');
  let p = 0;
  const values = Array.from({ length: n }, () => `(${EVENT_COLUMNS.map(([, type]) => `$${++p}::${type}`).join(', ')})`).join(', ');
  return `insert into audit.event (${columns})
    select v.* from (values ${values}) as v (${columns})
    cross join (select pg_advisory_xact_lock(hashtext($${p + 1}))) as chain_lock
    where ${condition(p)}`;
}

/** {@link appendAfter}'s statement for a chain's first rows: the values, then the lock's key and the chain. Rare: not prepared. */
function appendFirstText(n: number): string {
  return appendText(n, (p) => `not exists (select 1 from audit.event e where e.chain = $${p + 2})`);
}

function appendAfterText(n: number): string {
  let text = appendAfterTexts.get(n);
  if (text !== undefined) return text;
  text = appendText(
    n,
    (p) => `exists (select 1 from audit.event e where e.chain = $${p + 2} and e.seq = $${p + 3} and e.hash = $${p + 4})`,
  );
  // The gateway appends one record a request, a subgraph one a patient: the few-row texts run on every
  // request and are prepared once per connection; larger ones are rare and not worth a statement each.
  if (n <= PREPARED_APPEND_ROWS) preparedStatement(text);
  appendAfterTexts.set(n, text);
  return text;
}

/**
 * What each appender (a Kysely instance: one service's audit connection) keeps per chain, outside a
 * caller's transaction: the head it last wrote, and the end of its queue. Its appends to one chain
 * take turns, in call order, so concurrent requests of one process never race each other for the
 * next `seq` (the database serializes them on the chain's lock anyway); each links to the head the
 * one before wrote and appends in one statement. When another appender has written since (replicas
 * of one service share its chain), the attempt is refused and the appender reads the newest row and
 * tries again after it.
 */
interface AppenderState {
  readonly heads: Map<AuditChain, ChainHead>;
  /** Settles when the appender's last queued append to the chain has ended, however it ended. */
  readonly tails: Map<AuditChain, Promise<void>>;
}
const appenders = new WeakMap<object, AppenderState>();

function appenderOf(db: object): AppenderState {
  let state = appenders.get(db);
  if (!state) {
    state = { heads: new Map(), tails: new Map() };
    appenders.set(db, state);
  }
  return state;
}

/** Runs `append` once every append queued before it on this appender's `chain` has ended. */
function inTurn(state: AppenderState, chain: AuditChain, append: () => Promise<void>): Promise<void> {
  const run = (state.tails.get(chain) ?? Promise.resolve()).then(append);
  const tail = run.catch(() => {});
  state.tails.set(chain, tail);
  void tail.then(() => {
    if (state.tails.get(chain) === tail) state.tails.delete(chain);
  });
  return run;
}

/**
 * One-statement attempts an append makes, the first after the head its appender last wrote (when
 * known), each further one after a fresh read of the newest row, before it queues on the chain's
 * lock in a transaction of its own, which cannot be refused: appenders racing on one chain cannot
 * starve each other.
 */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Appends records to one chain in one transaction; throws if they cannot be written (callers fail closed).
 * Outside a caller's transaction, an appender's appends to a chain take turns, in call order. One
 * whose appender wrote the chain's newest row itself is a single statement (lock, check that row,
 * insert). When another appender has written since, that statement is refused and the appender
 * reads the newest row and tries again after it (an appender that has not written the chain yet
 * starts with that read): two statements a try, {@link OPTIMISTIC_ATTEMPTS} tries in all at most;
 * then, or for more than 1000 records, it takes the lock in a transaction (begin, lock, read the
 * newest row, insert, commit).
 *
 * The records get consecutive `seq` numbers after the chain's last row, each linked to the one
 * before by `prev_hash`, all with the same `at`, written by one insert per 1000 records.
 *
 * - Given a transaction (`db.isTransaction`), the records are written in it and commit or roll back
 *   with the caller's own writes. The chain stays locked for other appenders until that transaction
 *   ends, so keep it short. At repeatable read or serializable, an append racing another one can fail
 *   on the `(chain, seq)` unique constraint: it throws rather than fork the chain.
 * - Given a plain Kysely instance, it opens its own transaction.
 * - An empty `records` array sends no SQL.
 *
 * `db` may be typed with any tables: `audit.event` is reached by name. (The parameter names
 * `Transaction<DB>` too because TypeScript cannot infer `DB` from a transaction given for a `Kysely<DB>`.)
 *
 * Works on PostgreSQL and on embedded PGlite. Subgraph and gateway roles may call it: they hold
 * select and insert on `audit.event`.
 */
export async function appendAudit<DB>(db: Kysely<DB> | Transaction<DB>, chain: AuditChain, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const audit = db as unknown as Kysely<AuditDatabase>;
  if (audit.isTransaction) {
    await appendLocked(audit, chain, records);
    return;
  }
  const state = appenderOf(audit);
  await inTurn(state, chain, () => appendOwn(audit, state.heads, chain, records));
}

/** An append outside a caller's transaction, in the appender's turn: see {@link appendAudit}. */
async function appendOwn(
  audit: Kysely<AuditDatabase>,
  known: Map<AuditChain, ChainHead>,
  chain: AuditChain,
  records: readonly AuditRecord[],
): Promise<void> {
  if (records.length <= ROWS_PER_INSERT) {
    // undefined: not known (read it); null: the chain was empty when read.
    let head: ChainHead | null | undefined = known.get(chain);
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt += 1) {
      if (head === undefined) head = await readHead(audit, chain);
      // Never earlier than the head: on one clock `at` does not go backwards along a chain.
      const rows = chainRows(chain, head, new Date(Math.max(Date.now(), head?.at.getTime() ?? 0)), records);
      if (await appendAfter(audit, chain, head, rows)) {
        const next = headOf(rows);
        if (next) known.set(chain, next);
        return;
      }
      head = undefined;
    }
  }
  const next = await audit.transaction().execute((trx) => appendLocked(trx, chain, records));
  if (next) known.set(chain, next);
}
