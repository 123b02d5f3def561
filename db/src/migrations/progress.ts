/**
 * Long migrations (the reports backfill) report how far they are with PostgreSQL notices:
 * `chartbridge progress: <what> <done> of <total>`, counts only, never a row's content.
 * {@link migrationProgressOf} reads one back; a connection's `onNotice` (createDatabase) hears them.
 */
export const PROGRESS_NOTICE_PREFIX = 'chartbridge progress:';

export interface MigrationProgress {
  /** What is being done, such as `reports backfill: claims`. */
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

const PROGRESS = /^chartbridge progress: (.+) (\d+) of (\d+)$/;

/** The progress a notice reports, or null for any other notice. */
export function migrationProgressOf(notice: string): MigrationProgress | null {
  const match = PROGRESS.exec(notice);
  if (!match) return null;
  return { step: match[1] ?? '', done: Number(match[2]), total: Number(match[3]) };
}
