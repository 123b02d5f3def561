import { badUserInput, forbidden } from '@chartbridge/kit';
import type { PmsContext } from '../../context.js';
import {
  ReportInputError,
  assertFiltersExist,
  parseFilters,
  parsePeriod,
  type ReportFilters,
  type ReportPeriod,
} from '../../reports/report-params.js';

// Who may run the revenue-cycle reports, and the checks of their arguments, for the resolvers.

/** Analysts (OPERATIONS) and billers (PAYMENT): the roles the revenue-cycle issue names. */
const REPORT_ROLES: ReadonlySet<string> = new Set(['analyst', 'biller']);

/** Throws FORBIDDEN (and records the refusal for the audit trail) unless the caller may run reports. */
export function assertMayRunReports(ctx: PmsContext): void {
  if (!REPORT_ROLES.has(ctx.access.identity.role)) {
    ctx.access.recordDenied('', 'financial');
    throw forbidden('Revenue-cycle reports are available to the analyst and biller roles');
  }
}

/** Runs a report's argument checks, turning a {@link ReportInputError} into BAD_USER_INPUT naming the argument. */
export async function withReportInput<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReportInputError) throw badUserInput(error.message, error.field);
    throw error;
  }
}

export interface PeriodArgs {
  readonly from?: string | null;
  readonly to?: string | null;
}

export interface FilterArgs {
  readonly payerId?: string | null;
  readonly providerId?: string | null;
  readonly locationId?: string | null;
}

/** The period and filters of a report, checked (the filters' existence too, one query). */
export async function periodAndFilters(
  ctx: PmsContext,
  args: PeriodArgs & FilterArgs,
): Promise<{ period: ReportPeriod; filters: ReportFilters }> {
  return withReportInput(async () => {
    const period = parsePeriod(args);
    const filters = parseFilters(args);
    await assertFiltersExist(ctx.reports.db, filters);
    return { period, filters };
  });
}

/** The filters alone, checked. */
export async function checkedFilters(ctx: PmsContext, args: FilterArgs): Promise<ReportFilters> {
  return withReportInput(async () => {
    const filters = parseFilters(args);
    await assertFiltersExist(ctx.reports.db, filters);
    return filters;
  });
}
