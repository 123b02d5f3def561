import { describe, expect, test } from 'vitest';
import { SeededRandom } from './seeded-random.js';

const draws = (random: SeededRandom, n = 20) => Array.from({ length: n }, () => random.uint32());

describe('the seed’s random streams', () => {
  test('repeat for the same seed and stream, and differ for another seed or stream', () => {
    expect(draws(new SeededRandom(7, 1))).toEqual(draws(new SeededRandom(7, 1)));
    expect(draws(new SeededRandom(7, 1))).not.toEqual(draws(new SeededRandom(8, 1)));
    expect(draws(new SeededRandom(7, 1))).not.toEqual(draws(new SeededRandom(7, 2)));
    expect(draws(new SeededRandom(-3, 1))).not.toEqual(draws(new SeededRandom(3, 1)));
    expect(draws(new SeededRandom(2 ** 40, 1))).not.toEqual(draws(new SeededRandom(0, 1)));
  });

  test('make version 4 UUIDs, all different', () => {
    const random = new SeededRandom(1, 1);
    const ids = Array.from({ length: 5000 }, () => random.uuid());
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('draw whole numbers in range, fair enough for weights and chances', () => {
    const random = new SeededRandom(3, 9);
    const ints = Array.from({ length: 10_000 }, () => random.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
    const heads = Array.from({ length: 10_000 }, () => random.chance(0.3)).filter(Boolean).length;
    expect(heads).toBeGreaterThan(2800);
    expect(heads).toBeLessThan(3200);
    const picks = Array.from({ length: 10_000 }, () =>
      random.weighted([
        [1, 'a'],
        [3, 'b'],
      ]),
    );
    expect(picks.filter((p) => p === 'b').length).toBeGreaterThan(7200);
    expect(picks.filter((p) => p === 'b').length).toBeLessThan(7800);
  });
});
