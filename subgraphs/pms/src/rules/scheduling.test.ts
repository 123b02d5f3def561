import { describe, expect, test } from 'vitest';
import { durationProblem, fitsHours, freeSlots, minutesOf, transitionProblem } from './scheduling.js';

const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);

describe('durationProblem', () => {
  test.each([
    ['09:00', '09:05', null],
    ['09:00', '13:00', null],
    ['09:00', '09:00', 'end must be after start'],
    ['09:00', '08:30', 'end must be after start'],
    ['09:00', '09:04', 'An appointment lasts 5 to 240 minutes'],
    ['09:00', '13:01', 'An appointment lasts 5 to 240 minutes'],
  ])('%s to %s', (start, end, problem) => {
    expect(durationProblem(at(start), at(end))).toBe(problem);
  });

  test('refuses a fraction of a minute', () => {
    expect(durationProblem(at('09:00'), new Date(at('09:30').getTime() + 30_000))).toMatch(/whole number/);
  });
});

describe('fitsHours', () => {
  const hours = [
    { start_time: '08:00:00', end_time: '12:00:00' },
    { start_time: '13:00:00', end_time: '17:00:00' },
  ];
  test.each([
    ['08:00:00', 30, true],
    ['11:30:00', 30, true],
    ['11:45:00', 30, false],
    ['07:59:00', 15, false],
    ['12:30:00', 15, false],
    ['16:45:00', 15, true],
    ['16:50:00', 15, false],
    ['11:30:00', 120, false],
  ])('%s for %i minutes: %s', (start, minutes, fits) => {
    expect(fitsHours(hours, start, minutes)).toBe(fits);
  });

  test('no hours that day fit nothing', () => {
    expect(fitsHours([], '10:00:00', 15)).toBe(false);
  });

  test('reads times with and without seconds', () => {
    expect(minutesOf('08:30')).toBe(510);
    expect(minutesOf('08:30:30')).toBe(510.5);
    expect(() => minutesOf('8h30')).toThrow();
  });
});

describe('freeSlots', () => {
  const window = { start: at('08:00'), end: at('10:00') };

  test('steps 15 minutes through the window, the whole appointment inside it', () => {
    const slots = freeSlots({ windows: [window], busy: [], durationMinutes: 30 });
    expect(slots.map((d) => d.toISOString().slice(11, 16))).toEqual(['08:00', '08:15', '08:30', '08:45', '09:00', '09:15', '09:30']);
  });

  test('leaves out starts overlapping a booking, keeping those that only touch it', () => {
    const slots = freeSlots({ windows: [window], busy: [{ start: at('09:00'), end: at('09:20') }], durationMinutes: 30 });
    expect(slots.map((d) => d.toISOString().slice(11, 16))).toEqual(['08:00', '08:15', '08:30', '09:30']);
  });

  test('leaves out the past, merges overlapping windows, and gives nothing when the appointment is longer than the window', () => {
    expect(
      freeSlots({ windows: [window], busy: [], durationMinutes: 60, notBefore: at('08:40') }).map((d) => d.toISOString().slice(11, 16)),
    ).toEqual(['08:45', '09:00']);
    expect(freeSlots({ windows: [window, { start: at('09:00'), end: at('10:00') }], busy: [], durationMinutes: 60 })).toHaveLength(5);
    expect(freeSlots({ windows: [window], busy: [], durationMinutes: 180 })).toEqual([]);
  });
});

describe('transitionProblem', () => {
  test('a booked appointment can take every action', () => {
    for (const action of ['reschedule', 'cancel', 'no_show', 'check_in'] as const) expect(transitionProblem('booked', action)).toBeNull();
  });

  test.each([
    ['completed', 'cancel', 'A completed appointment cannot be cancelled'],
    ['cancelled', 'check_in', 'A cancelled appointment cannot be checked in'],
    ['arrived', 'check_in', 'This appointment is already checked in'],
    ['no_show', 'reschedule', 'A no-show appointment cannot be rescheduled'],
    ['in_progress', 'no_show', 'An in-progress appointment cannot be marked a no-show'],
  ] as const)('%s cannot %s', (status, action, message) => {
    expect(transitionProblem(status, action)).toBe(message);
  });
});
