import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { correlationIdOf, requestIdOf } from './http-server.js';

const withHeaders = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;

describe('request and correlation ids', () => {
  test("a subgraph takes a sane X-Request-Id (the gateway's) and makes one otherwise", () => {
    expect(requestIdOf(withHeaders({ 'x-request-id': 'abc-1' }))).toBe('abc-1');
    expect(requestIdOf(withHeaders({ 'x-request-id': 'a b' }))).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("the caller's correlation id is its X-Correlation-Id, else its X-Request-Id", () => {
    expect(correlationIdOf(withHeaders({ 'x-correlation-id': 'corr-1', 'x-request-id': 'req-1' }))).toBe('corr-1');
    expect(correlationIdOf(withHeaders({ 'x-request-id': 'req-1' }))).toBe('req-1');
    expect(correlationIdOf(withHeaders({}))).toBeNull();
  });

  test.each([
    ['too long', 'x'.repeat(129)],
    ['empty', ''],
    ['with a space', 'a b'],
    ['with a newline', 'a\nb'],
    ['with a slash', '../x'],
  ])('a correlation id %s is none', (_case, value) => {
    expect(correlationIdOf(withHeaders({ 'x-correlation-id': value }))).toBeNull();
  });

  test('128 letters, digits and ._:- are kept', () => {
    const longest = `${'a'.repeat(124)}._:-`;
    expect(correlationIdOf(withHeaders({ 'x-request-id': longest }))).toBe(longest);
  });
});
