import type { SeededRandom } from './seeded-random.js';

// The synthetic practice's appointment book: which 15-minute slots of each provider's and each
// room's day are taken. Booking finds free slots, so no two appointments that hold their time
// overlap for a provider or a room (the scheduling migration's exclusion constraints refuse that for
// live appointments; the seed keeps it for the past too).

/** The practice's hours in the seed's availability rows: 08:00 to 17:00 local, in 15-minute slots. */
export const OPENS_AT_MINUTES = 8 * 60;
export const SLOT_MINUTES = 15;
export const SLOTS_PER_DAY = 36;

export interface Booking {
  readonly day: number;
  /** Minutes after local midnight. */
  readonly startMinutes: number;
  readonly slots: number;
  /** The room's index, or null when every room was taken (the room is then chosen at check-in). */
  readonly room: number | null;
}

export class ScheduleBook {
  readonly #firstDay: number;
  readonly #days: number;
  readonly #providers: Uint8Array;
  readonly #rooms: Uint8Array;
  readonly #roomCount: number;

  /** A book for `providerCount` providers and `roomCount` rooms over the days `firstDay` to `lastDay` (day numbers). */
  constructor(options: {
    readonly firstDay: number;
    readonly lastDay: number;
    readonly providerCount: number;
    readonly roomCount: number;
  }) {
    this.#firstDay = options.firstDay;
    this.#days = options.lastDay - options.firstDay + 1;
    this.#providers = new Uint8Array(options.providerCount * this.#days * SLOTS_PER_DAY);
    this.#rooms = new Uint8Array(options.roomCount * this.#days * SLOTS_PER_DAY);
    this.#roomCount = options.roomCount;
  }

  #free(cells: Uint8Array, owner: number, day: number, start: number, slots: number): boolean {
    const base = (owner * this.#days + (day - this.#firstDay)) * SLOTS_PER_DAY + start;
    for (let i = 0; i < slots; i += 1) if (cells[base + i] !== 0) return false;
    return true;
  }

  #take(cells: Uint8Array, owner: number, day: number, start: number, slots: number): void {
    const base = (owner * this.#days + (day - this.#firstDay)) * SLOTS_PER_DAY + start;
    cells.fill(1, base, base + slots);
  }

  /**
   * Books `slots` consecutive slots of a provider on a day, starting from a random slot and taking
   * the first free run after it (wrapping round the day), with the first room free for all of them.
   * Returns null when the provider's day is full. A booking that does not `hold` its time (a
   * cancelled appointment) is placed at a free time but leaves it free for others.
   */
  book(random: SeededRandom, provider: number, day: number, slots: number, hold = true): Booking | null {
    if (day < this.#firstDay || day >= this.#firstDay + this.#days) throw new RangeError(`Day ${day} is outside the book`);
    const starts = SLOTS_PER_DAY - slots + 1;
    const from = random.int(0, starts - 1);
    for (let k = 0; k < starts; k += 1) {
      const start = (from + k) % starts;
      if (!this.#free(this.#providers, provider, day, start, slots)) continue;
      let room: number | null = null;
      const firstRoom = random.int(0, Math.max(this.#roomCount - 1, 0));
      for (let r = 0; r < this.#roomCount; r += 1) {
        const candidate = (firstRoom + r) % this.#roomCount;
        if (this.#free(this.#rooms, candidate, day, start, slots)) {
          room = candidate;
          break;
        }
      }
      if (hold) {
        this.#take(this.#providers, provider, day, start, slots);
        if (room !== null) this.#take(this.#rooms, room, day, start, slots);
      }
      return { day, startMinutes: OPENS_AT_MINUTES + start * SLOT_MINUTES, slots, room };
    }
    return null;
  }
}
