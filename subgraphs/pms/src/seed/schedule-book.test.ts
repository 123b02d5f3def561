import { describe, expect, test } from 'vitest';
import { SLOTS_PER_DAY, ScheduleBook, type Booking } from './schedule-book.js';
import { SeededRandom } from './seeded-random.js';

const overlaps = (a: Booking, b: Booking) =>
  a.day === b.day && a.startMinutes < b.startMinutes + b.slots * 15 && b.startMinutes < a.startMinutes + a.slots * 15;

describe('the seed’s appointment book', () => {
  test('never gives one provider or one room two overlapping held bookings, and says when a day is full', () => {
    const book = new ScheduleBook({ firstDay: 100, lastDay: 101, providerCount: 2, roomCount: 2 });
    const random = new SeededRandom(5, 1);
    const held: Array<Booking & { provider: number }> = [];
    for (let i = 0; i < 60; i += 1) {
      const provider = i % 2;
      const booking = book.book(random, provider, 100, 1 + (i % 3));
      if (booking) held.push({ ...booking, provider });
    }
    for (const [i, a] of held.entries()) {
      for (const b of held.slice(i + 1)) {
        if (a.provider === b.provider) expect(overlaps(a, b)).toBe(false);
        if (a.room !== null && a.room === b.room) expect(overlaps(a, b)).toBe(false);
      }
    }
    expect(held.filter((b) => b.provider === 0).reduce((slots, b) => slots + b.slots, 0)).toBeLessThanOrEqual(SLOTS_PER_DAY);
    const full = new ScheduleBook({ firstDay: 1, lastDay: 1, providerCount: 1, roomCount: 1 });
    for (let i = 0; i < SLOTS_PER_DAY; i += 1) expect(full.book(random, 0, 1, 1)).not.toBeNull();
    expect(full.book(random, 0, 1, 1)).toBeNull();
  });

  test('leaves the time of a booking that does not hold it (a cancelled appointment) free for others', () => {
    const book = new ScheduleBook({ firstDay: 1, lastDay: 1, providerCount: 1, roomCount: 0 });
    const random = new SeededRandom(1, 1);
    for (let i = 0; i < 100; i += 1)
      expect(book.book(random, 0, 1, SLOTS_PER_DAY, false)).toMatchObject({ startMinutes: 8 * 60, room: null });
    expect(book.book(random, 0, 1, SLOTS_PER_DAY)).not.toBeNull();
  });
});
