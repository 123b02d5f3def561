import { describe, expect, test } from 'vitest';
import { failureText, intakeUrlOf, isExhausted, retryDelayMs } from './outbox-delivery.js';

describe('outbox delivery', () => {
  test.each([
    [1, 0, 500],
    [1, 0.999_999, 1000],
    [2, 0, 1000],
    [4, 0.5, 6000],
    [9, 0, 128_000],
    [10, 0, 150_000],
    [10, 0.999_999, 300_000],
    [30, 0.5, 225_000],
  ])('after %s failed attempts (jitter %s) waits %s ms', (attempts, jitter, ms) => {
    expect(retryDelayMs(attempts, () => jitter)).toBe(ms);
  });

  test('never waits less than half its step nor more than five minutes', () => {
    for (let attempts = 1; attempts <= 40; attempts += 1) {
      const low = retryDelayMs(attempts, () => 0);
      const high = retryDelayMs(attempts, () => 0.999_999);
      expect(high).toBeLessThanOrEqual(300_000);
      expect(low).toBeGreaterThanOrEqual(Math.round(high / 2) - 1);
    }
  });

  test.each([
    [7, 8, false],
    [8, 8, true],
    [1, 1, true],
  ])('%s failed attempts of %s allowed: exhausted %s', (attempts, max, dead) => {
    expect(isExhausted(attempts, max)).toBe(dead);
  });

  test.each([
    ['http://127.0.0.1:4001/graphql', 'http://127.0.0.1:4001/events'],
    ['https://pms.internal/graphql/', 'https://pms.internal/events'],
    ['https://gw.internal/pms/graphql?x=1', 'https://gw.internal/pms/events'],
    ['http://pms:4001', 'http://pms:4001/events'],
  ])('finds the PMS intake of %s at %s', (graphql, intake) => {
    expect(intakeUrlOf(graphql)).toBe(intake);
  });

  test.each([
    [{ status: 503 }, 'HTTP 503'],
    [{ status: 422, code: 'UNUSABLE_EVENT' }, 'HTTP 422 UNUSABLE_EVENT'],
    [{ status: 500, code: 'Patient Jane Doe not found' }, 'HTTP 500'],
    [{ networkCode: 'ECONNREFUSED' }, 'ECONNREFUSED'],
    [{ networkCode: 'weird: text with data' }, 'NETWORK_ERROR'],
  ])('keeps only a status and a code of a failure, never free text: %j', (failure, text) => {
    expect(failureText(failure)).toBe(text);
  });
});
