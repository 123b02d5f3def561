import { isIsoDate, parseDateTime } from './dates.js';
import { badUserInput } from './errors.js';
import { isUuid } from './ids.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** A cursor carries the sort key of the last row seen, so pages stay stable while rows are added. */
export type CursorKey = readonly string[];

/** What each part of a cursor's sort key must be, so a tampered cursor never reaches SQL. */
export type CursorPart = 'text' | 'uuid' | 'date' | 'instant';

const partChecks: Record<CursorPart, (value: string) => boolean> = {
  text: () => true,
  uuid: isUuid,
  date: isIsoDate,
  instant: (value) => parseDateTime(value) !== undefined,
};

export interface PageRequest {
  readonly first: number;
  readonly after: CursorKey | undefined;
}

export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

export interface Connection<T> {
  readonly edges: ReadonlyArray<Edge<T>>;
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor} whose parts match `shape`; anything else is `BAD_USER_INPUT`. */
export function decodeCursor(cursor: string, shape: readonly CursorPart[], field = 'after'): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== shape.length ||
    !parsed.every((part, i) => typeof part === 'string' && partChecks[shape[i] as CursorPart](part))
  ) {
    throw badUserInput(`${field} is not a cursor from this list`, field);
  }
  return parsed as string[];
}

/**
 * Validates Relay forward-pagination arguments: `first` from 0 to {@link MAX_PAGE_SIZE}
 * (default {@link DEFAULT_PAGE_SIZE}) and a cursor of the expected shape.
 */
export function pageRequest(args: { first?: number | null; after?: string | null }, cursorShape: readonly CursorPart[]): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  const after = args.after == null ? undefined : decodeCursor(args.after, cursorShape);
  return { first, after };
}

/**
 * Builds a connection from rows fetched with `limit first + 1`: the extra row, when present, only
 * says that a next page exists and is not returned.
 */
export function toConnection<T>(rows: readonly T[], page: PageRequest, keyOf: (row: T) => CursorKey): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.first,
      hasPreviousPage: page.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
