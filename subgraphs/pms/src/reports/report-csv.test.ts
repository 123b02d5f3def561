import { describe, expect, test } from 'vitest';
import { toCsv } from './report-csv.js';

describe('toCsv (RFC 4180)', () => {
  test('a header row, CRLF line ends, empty cells for null', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x', null],
          [1, undefined],
        ],
      ),
    ).toBe('a,b\r\nx,\r\n1,\r\n');
  });

  test.each([
    ['a comma', 'Adams, Ann', '"Adams, Ann"'],
    ['a quote', 'the "clean" rate', '"the ""clean"" rate"'],
    ['a line break', 'two\nlines', '"two\nlines"'],
    ['nothing special', 'Blue Plan', 'Blue Plan'],
  ])('quotes a field with %s', (_case, value, expected) => {
    expect(toCsv(['h'], [[value]])).toBe(`h\r\n${expected}\r\n`);
  });

  test.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1-555', "'+1-555"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-cmd', "'-cmd"],
  ])('keeps %s from being read as a formula', (value, expected) => {
    expect(toCsv(['h'], [[value]])).toBe(`h\r\n${expected}\r\n`);
  });

  test('leaves negative amounts alone', () => {
    expect(toCsv(['amount'], [['-12.50'], [-3]])).toBe('amount\r\n-12.50\r\n-3\r\n');
  });
});
