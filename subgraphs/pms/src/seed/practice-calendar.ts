import type { SeededRandom } from './seeded-random.js';

// Calendar arithmetic for the synthetic revenue cycle: `YYYY-MM-DD` dates as whole days, and the
// instants of wall-clock times in the practice's time zone (schedules are local; rows hold instants).

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

const dates = new Map<number, string>();

/** The `YYYY-MM-DD` date of a day number. */
export function dateOf(day: number): string {
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dates.set(day, date);
  }
  return date;
}

export function addDays(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

/** 0 (Sunday) to 6 (Saturday). */
export function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekday(day: number): boolean {
  const weekday = weekdayOf(day);
  return weekday >= 1 && weekday <= 5;
}

/** The first weekday on or after `day`. */
export function weekdayOnOrAfter(day: number): number {
  let d = day;
  while (!isWeekday(d)) d += 1;
  return d;
}

/** Instants of the practice's wall-clock times, one UTC offset looked up per day (office hours never straddle a DST change). */
export class PracticeClock {
  readonly #format: Intl.DateTimeFormat;
  readonly #offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** The zone's offset from UTC (ms, east positive) at noon UTC of the day. */
  #offset(day: number): number {
    const cached = this.#offsets.get(day);
    if (cached !== undefined) return cached;
    const noon = day * DAY_MS + 12 * 3_600_000;
    const parts = Object.fromEntries(this.#format.formatToParts(new Date(noon)).map((p) => [p.type, p.value]));
    const local = Date.UTC(
      Number(parts['year']),
      Number(parts['month']) - 1,
      Number(parts['day']),
      Number(parts['hour']),
      Number(parts['minute']),
      Number(parts['second']),
    );
    const offset = local - noon;
    this.#offsets.set(day, offset);
    return offset;
  }

  /** The instant of a wall-clock time (`minutes` after local midnight) on a day of the practice. */
  at(day: number, minutes: number): Date {
    return new Date(day * DAY_MS + minutes * 60_000 - this.#offset(day));
  }

  /** The practice's day number an instant falls on. */
  dayOf(instant: Date): number {
    const utcDay = Math.floor(instant.getTime() / DAY_MS);
    return Math.floor((instant.getTime() + this.#offset(utcDay)) / DAY_MS);
  }
}

/** The seed's clock: noon of `today` in the practice's zone is "now"; work happens in office hours. */
export class SeedTimeline {
  readonly now: Date;

  constructor(
    readonly clock: PracticeClock,
    /** Today's day number. */
    readonly today: number,
  ) {
    this.now = clock.at(today, 12 * 60);
  }

  /** Whether an instant is at or before "now": what happens later has not happened yet. */
  isPast(at: Date): boolean {
    return at.getTime() <= this.now.getTime();
  }

  /** In office hours (09:00 to 17:00) on the first weekday at least `days` after `from`'s day, and after `from`. */
  later(random: SeededRandom, from: Date, days: number): Date {
    const at = this.clock.at(weekdayOnOrAfter(this.clock.dayOf(from) + days), 9 * 60 + random.int(0, 479));
    return at.getTime() > from.getTime() ? at : new Date(from.getTime() + random.int(10, 120) * 60_000);
  }
}
