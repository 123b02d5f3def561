import { describe, expect, test } from 'vitest';
import { MAX_PAGE_SIZE, decodeCursor, encodeCursor, pageRequest, toConnection } from './pagination.js';

const ID = '2f1c5a6e-4b8d-4e61-9a3f-0c7d2b9e8a11';

describe('cursor pagination', () => {
  test('round-trips a sort key through an opaque cursor', () => {
    expect(decodeCursor(encodeCursor(['Smith', ID]), ['text', 'uuid'])).toEqual(['Smith', ID]);
  });

  test.each([
    ['not base64 JSON', 'bm90LWpzb24'],
    ['the wrong number of parts', encodeCursor(['Smith'])],
    ['a part of the wrong shape', encodeCursor(['Smith', 'not-a-uuid'])],
    ['a non-string part', Buffer.from(JSON.stringify(['Smith', 7])).toString('base64url')],
  ])('refuses a cursor with %s as BAD_USER_INPUT', (_case, cursor) => {
    expect(() => decodeCursor(cursor, ['text', 'uuid'])).toThrowError(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }),
    );
  });

  test('defaults first to 20 and accepts 0 to the maximum', () => {
    expect(pageRequest({}, ['uuid']).first).toBe(20);
    expect(pageRequest({ first: 0 }, ['uuid']).first).toBe(0);
    expect(pageRequest({ first: MAX_PAGE_SIZE }, ['uuid']).first).toBe(100);
  });

  test.each([-1, 101, 1.5])('refuses first = %s', (first) => {
    expect(() => pageRequest({ first }, ['uuid'])).toThrowError(
      expect.objectContaining({ extensions: expect.objectContaining({ field: 'first' }) }),
    );
  });

  test('uses the extra row only to say a next page exists', () => {
    const page = pageRequest({ first: 2 }, ['text']);
    const connection = toConnection(['a', 'b', 'c'], page, (row) => [row]);
    expect(connection.edges.map((e) => e.node)).toEqual(['a', 'b']);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor(['a']),
      endCursor: encodeCursor(['b']),
    });
    expect(toConnection(['a'], page, (row) => [row]).pageInfo.hasNextPage).toBe(false);
  });

  test('an empty page has null cursors', () => {
    expect(toConnection([], pageRequest({}, ['text']), (row: string) => [row]).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });
});
