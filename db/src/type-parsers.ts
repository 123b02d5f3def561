/**
 * How column values come back from PostgreSQL, identical for `pg` and embedded PGlite.
 *
 * - `date` stays the `YYYY-MM-DD` text the server sent: a date of service is a calendar date, and
 *   turning it into a JavaScript `Date` would shift it by the process's time zone.
 * - `numeric` stays text so that money is never rounded through a float.
 * - `int8` becomes a number: counts and cents are far below 2^53.
 * - `timestamptz` becomes a `Date` (the drivers' default).
 */
export const TYPE_OIDS = { int8: 20, date: 1082, numeric: 1700 } as const;

export type TextParser = (value: string) => unknown;

export const textParsers: Readonly<Record<number, TextParser>> = Object.freeze({
  [TYPE_OIDS.int8]: (value: string) => Number(value),
  [TYPE_OIDS.date]: (value: string) => value,
  [TYPE_OIDS.numeric]: (value: string) => value,
});
