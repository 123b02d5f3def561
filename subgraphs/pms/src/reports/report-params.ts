import { isIsoDate, isUuid } from '@chartbridge/kit';
import { sql, type Kysely } from 'kysely';
import type { ReportsDatabase } from './report-database.js';

// The parameters every report takes, checked before any SQL runs. Reports raise a
// ReportInputError naming the argument at fault; the GraphQL layer turns it into BAD_USER_INPUT
// with `extensions.field`, the command into a usage error.

/** A period of calendar dates in the practice's time zone, both ends inclusive (`YYYY-MM-DD`). */
export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
}

/** Narrows a report to one payer, one (billing) provider or one location; each by id. */
export interface ReportFilters {
  readonly payerId?: string;
  readonly providerId?: string;
  readonly locationId?: string;
}

/** A parameter the caller can fix: `field` names the argument (`from`, `payerId`, ...). */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The longest period a report covers: a longer one is refused rather than scanned. */
export const MAX_PERIOD_YEARS = 5;

const DAY_MS = 86_400_000;

function utc(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The `YYYY-MM-DD` of a UTC midnight (years 0 to 9999, as {@link isIsoDate} admits). */
function isoOf(ms: number): string {
  const d = new Date(ms);
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return isoOf(utc(date) + days * DAY_MS);
}

/** Calendar days from `from` to `to`, both counted (a one-day period has 1). */
export function periodDays(period: ReportPeriod): number {
  return Math.round((utc(period.to) - utc(period.from)) / DAY_MS) + 1;
}

function addYears(date: string, years: number): string {
  const d = new Date(utc(date));
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return isoOf(d.getTime());
}

/** A required date argument: present and a real calendar date. */
export function parseDate(value: string | null | undefined, field: string): string {
  if (value === null || value === undefined || value === '')
    throw new ReportInputError(`${field} is required: reports cover a bounded period`, field);
  if (!isIsoDate(value)) throw new ReportInputError(`${field} must be a calendar date written YYYY-MM-DD`, field);
  return value;
}

/**
 * A report's period: both ends given, `to` not before `from`, and shorter than
 * {@link MAX_PERIOD_YEARS} years (2021-01-01 to 2025-12-31 is the longest from 2021-01-01).
 */
export function parsePeriod(input: { readonly from?: string | null; readonly to?: string | null }): ReportPeriod {
  const from = parseDate(input.from, 'from');
  const to = parseDate(input.to, 'to');
  if (to < from) throw new ReportInputError('to must not be before from', 'to');
  if (to >= addYears(from, MAX_PERIOD_YEARS)) throw new ReportInputError(`The period must be shorter than ${MAX_PERIOD_YEARS} years`, 'to');
  return { from, to };
}

/** Ids of the filters, checked for shape (existence is {@link assertFiltersExist}'s job). */
export function parseFilters(input: {
  readonly payerId?: string | null;
  readonly providerId?: string | null;
  readonly locationId?: string | null;
}): ReportFilters {
  const filters: { payerId?: string; providerId?: string; locationId?: string } = {};
  for (const field of ['payerId', 'providerId', 'locationId'] as const) {
    const value = input[field];
    if (value === null || value === undefined) continue;
    if (!isUuid(value)) throw new ReportInputError(`${field} is not a valid id`, field);
    filters[field] = value.toLowerCase();
  }
  return filters;
}

const FILTER_TABLES = { payerId: 'pms.payer', providerId: 'pms.provider', locationId: 'pms.location' } as const;

/** Refuses a filter naming a payer, provider or location the practice does not have. One query. */
export async function assertFiltersExist(db: Kysely<ReportsDatabase>, filters: ReportFilters): Promise<void> {
  const asked = (Object.keys(FILTER_TABLES) as Array<keyof typeof FILTER_TABLES>).filter((field) => filters[field] !== undefined);
  if (asked.length === 0) return;
  const probes = asked.map(
    (field) => sql`select ${field}::text as field from ${sql.table(FILTER_TABLES[field])} where id = ${filters[field]}::uuid`,
  );
  const { rows } = await sql<{ field: string }>`${sql.join(probes, sql` union all `)}`.execute(db);
  const found = new Set(rows.map((r) => r.field));
  const missing = asked.find((field) => !found.has(field));
  if (missing) throw new ReportInputError(`${missing} names no ${FILTER_TABLES[missing].slice(4)} of the practice`, missing);
}

export type ReportInterval = 'month' | 'week';

/**
 * Splits a period into calendar months or ISO weeks (Monday to Sunday), the first and last cut to
 * the period: 2026-01-15 to 2026-03-10 by month gives Jan 15-31, Feb 1-28, Mar 1-10.
 */
export function splitPeriod(period: ReportPeriod, interval: ReportInterval): ReportPeriod[] {
  const parts: ReportPeriod[] = [];
  const last = utc(period.to);
  let start = utc(period.from);
  while (start <= last) {
    const next = interval === 'month' ? firstOfNextMonth(start) : nextMonday(start);
    parts.push({ from: isoOf(start), to: isoOf(Math.min(next - DAY_MS, last)) });
    start = next;
  }
  return parts;
}

/** The UTC midnight of the first day of the month after the one `ms` falls in. */
function firstOfNextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The UTC midnight of the Monday after the day of `ms` (a Monday's next Monday is 7 days on). */
function nextMonday(ms: number): number {
  const weekday = new Date(ms).getUTCDay(); // 0 Sunday
  return ms + (weekday === 0 ? 1 : 8 - weekday) * DAY_MS;
}
