import DataLoader from 'dataloader';

/** A batch function: one call answers every key collected in one tick, in key order. */
export type BatchLoad<Ctx, K, V> = (ctx: Ctx, keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>;

/**
 * The request-scoped DataLoaders of one request. A loader is made on first use and lives as long as
 * the request, so its cache can never leak one caller's rows to another.
 */
export class LoaderCache {
  readonly #loaders = new Map<object, DataLoader<unknown, unknown>>();

  get<Ctx, K, V>(definition: LoaderDefinition<Ctx, K, V>, ctx: Ctx): DataLoader<K, V> {
    let loader = this.#loaders.get(definition) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>((keys) => definition.batch(ctx, keys), { maxBatchSize: definition.maxBatchSize });
      this.#loaders.set(definition, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

export interface LoaderDefinition<Ctx, K, V> {
  readonly batch: BatchLoad<Ctx, K, V>;
  readonly maxBatchSize: number;
}

/**
 * Declares a batched lookup once; `load(ctx)` gives this request's loader.
 * `maxBatchSize` bounds the keys in one SQL statement (default 1000).
 */
export function defineLoader<Ctx extends { readonly loaders: LoaderCache }, K, V>(
  batch: BatchLoad<Ctx, K, V>,
  options: { maxBatchSize?: number } = {},
): (ctx: Ctx) => DataLoader<K, V> {
  const definition: LoaderDefinition<Ctx, K, V> = { batch, maxBatchSize: options.maxBatchSize ?? 1000 };
  return (ctx) => ctx.loaders.get(definition, ctx);
}

/** Orders rows by the keys asked for; a key with no row gives `null`. */
export function alignByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): Array<R | null> {
  const byKey = new Map<K, R>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Groups rows under the keys asked for, keeping the rows' order; a key with no row gives `[]`. */
export function groupByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const key of keys) groups.set(key, []);
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/** What a repository-backed loader needs of its request: the loaders and the subgraph's connection. */
interface WithDb<Db> {
  readonly loaders: LoaderCache;
  readonly db: Db;
}

/**
 * A loader of rows by id from a repository's `find...ByIds(db, ids)`: one statement per batch, `null`
 * for an id with no row. `keyOf` names the key column when it is not `id`.
 */
export function byId<Ctx extends WithDb<Ctx['db']>, R>(
  find: (db: Ctx['db'], ids: readonly string[]) => Promise<readonly R[]>,
  keyOf: (row: R) => string = (row) => (row as { readonly id: string }).id,
): (ctx: Ctx) => DataLoader<string, R | null> {
  return defineLoader<Ctx, string, R | null>(async (ctx, ids) => alignByKey(ids, await find(ctx.db, ids), keyOf));
}

/** A loader of each parent's rows from a repository's `find...By<Parent>Ids(db, ids)`: `[]` for a parent with none. */
export function groupedBy<Ctx extends WithDb<Ctx['db']>, R>(
  find: (db: Ctx['db'], ids: readonly string[]) => Promise<readonly R[]>,
  keyOf: (row: R) => string,
): (ctx: Ctx) => DataLoader<string, R[]> {
  return defineLoader<Ctx, string, R[]>(async (ctx, ids) => groupByKey(ids, await find(ctx.db, ids), keyOf));
}
