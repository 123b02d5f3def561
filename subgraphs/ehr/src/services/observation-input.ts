import { ValidationError } from '@chartbridge/kit';

// Input checks shared by the observation services (immunizations, vital signs, labs).

/** How far ahead of the server's clock a reported time may be: clocks of devices drift. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** Text as typed by people: trimmed, inner runs of white space made one space. */
export function text(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** A ValidationError when an optional text is given but empty or longer than `max`. */
export function checkOptionalText(value: string | null, field: string, max: number): ValidationError | undefined {
  if (value === null) return undefined;
  const cleaned = text(value);
  return cleaned === '' || cleaned.length > max
    ? new ValidationError(`${field} must have 1 to ${max} characters`, `input.${field}`)
    : undefined;
}

/**
 * Whether a calendar date is not after today. "Today" is the UTC date plus one day: a calendar date
 * has no time zone, and east of Greenwich the practice's today is already UTC's tomorrow.
 */
export function isNotAfterToday(date: string, now: Date): boolean {
  return date <= new Date(now.getTime() + DAY_MS).toISOString().slice(0, 10);
}

/** Whether an instant is not in the future, allowing for some clock skew. */
export function isNotInFuture(instant: Date, now: Date): boolean {
  return instant.getTime() <= now.getTime() + CLOCK_SKEW_MS;
}
