// The pure rules of scheduling: durations, weekly hours and free slots. No database, no clock.

export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 240;
export const SLOT_STEP_MINUTES = 15;

const MINUTE = 60_000;

export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

/** A weekly-hours window as stored: wall-clock `HH:MM[:SS]` times of the practice's time zone. */
export interface HoursWindow {
  readonly start_time: string;
  readonly end_time: string;
}

/** Minutes since local midnight of a `HH:MM[:SS]` time. */
export function minutesOf(time: string): number {
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(time);
  if (!match) throw new Error(`Not a time of day: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]) + Number(match[3] ?? 0) / 60;
}

/** Why a start and end do not make an appointment, or null when they do. */
export function durationProblem(start: Date, end: Date): string | null {
  const minutes = (end.getTime() - start.getTime()) / MINUTE;
  if (minutes <= 0) return 'end must be after start';
  if (!Number.isInteger(minutes)) return 'An appointment lasts a whole number of minutes';
  if (minutes < MIN_DURATION_MINUTES || minutes > MAX_DURATION_MINUTES) {
    return `An appointment lasts ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES} minutes`;
  }
  return null;
}

/**
 * Whether an appointment starting at a local wall-clock time and lasting `durationMinutes` fits
 * wholly inside one of the day's windows (it may not run past midnight).
 */
export function fitsHours(windows: readonly HoursWindow[], localStart: string, durationMinutes: number): boolean {
  const start = minutesOf(localStart);
  const end = start + durationMinutes;
  return windows.some((w) => minutesOf(w.start_time) <= start && end <= minutesOf(w.end_time));
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/**
 * The free start times of a day: every `step` minutes from each window's start, the whole
 * appointment inside the window, overlapping no busy interval, and not before `notBefore`.
 * Sorted, without duplicates (windows may touch or overlap).
 */
export function freeSlots(options: {
  readonly windows: readonly Interval[];
  readonly busy: readonly Interval[];
  readonly durationMinutes: number;
  readonly stepMinutes?: number;
  readonly notBefore?: Date;
}): Date[] {
  const step = (options.stepMinutes ?? SLOT_STEP_MINUTES) * MINUTE;
  const length = options.durationMinutes * MINUTE;
  const starts = new Set<number>();
  for (const window of options.windows) {
    for (let at = window.start.getTime(); at + length <= window.end.getTime(); at += step) {
      const slot = { start: new Date(at), end: new Date(at + length) };
      if (options.notBefore && at < options.notBefore.getTime()) continue;
      if (options.busy.some((b) => overlaps(slot, b))) continue;
      starts.add(at);
    }
  }
  return [...starts].sort((a, b) => a - b).map((at) => new Date(at));
}

export type AppointmentAction = 'reschedule' | 'cancel' | 'no_show' | 'check_in';

/** Why an appointment in this status cannot take this action, or null when it can. */
export function transitionProblem(status: string, action: AppointmentAction): string | null {
  if (status === 'booked') return null;
  if (action === 'check_in' && (status === 'arrived' || status === 'in_progress' || status === 'completed'))
    return 'This appointment is already checked in';
  const label = status.replace('_', '-');
  return `${/^[aeiou]/.test(label) ? 'An' : 'A'} ${label} appointment cannot be ${{ reschedule: 'rescheduled', cancel: 'cancelled', no_show: 'marked a no-show', check_in: 'checked in' }[action]}`;
}
