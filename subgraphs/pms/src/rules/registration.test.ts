import { ValidationError } from '@chartbridge/kit';
import { describe, expect, test } from 'vitest';
import { checkAddress, checkBirthDate, checkEmail, checkName, checkPhone, checkSsn, dateIn, formatMrn } from './registration.js';

const fieldOf = (result: unknown) => (result instanceof ValidationError ? result.field : null);

describe('formatMrn', () => {
  test.each([
    [1, 'CB00000001'],
    [12_345, 'CB00012345'],
    [123_456_789, 'CB123456789'],
  ])('gives number %i the practice form %s', (n, mrn) => {
    expect(formatMrn(n)).toBe(mrn);
    expect(mrn).toMatch(/^[A-Z0-9-]{4,20}$/);
  });

  test('refuses a number the sequence cannot draw', () => {
    expect(() => formatMrn(0)).toThrow(RangeError);
  });
});

describe('dateIn', () => {
  test("gives the practice's calendar date, not UTC's", () => {
    const lateEvening = new Date('2026-03-01T03:30:00Z');
    expect(dateIn('America/New_York', lateEvening)).toBe('2026-02-28');
    expect(dateIn('UTC', lateEvening)).toBe('2026-03-01');
  });
});

describe('checkName', () => {
  test('trims, squeezes blanks and keeps the order of given names', () => {
    expect(checkName({ given: ['  Mary ', 'Ann  Lou'], family: " O'Brien-Núñez " }, 'input.name')).toEqual({
      given: ['Mary', 'Ann Lou'],
      family: "O'Brien-Núñez",
    });
  });

  test.each([
    ['no given name', { given: [], family: 'Doe' }, 'input.name.given'],
    ['a blank given name', { given: ['Jo', '  '], family: 'Doe' }, 'input.name.given'],
    ['six given names', { given: ['A', 'B', 'C', 'D', 'E', 'F'], family: 'Doe' }, 'input.name.given'],
    ['a blank family name', { given: ['Jo'], family: ' ' }, 'input.name.family'],
    ['a family name over 100 characters', { given: ['Jo'], family: 'A'.repeat(101) }, 'input.name.family'],
    ['digits in a name', { given: ['J0'], family: 'Doe' }, 'input.name.given'],
    ['a control character', { given: ['Jo'], family: 'Do\u0000e' }, 'input.name.family'],
    ['a name starting with a hyphen', { given: ['Jo'], family: '-Doe' }, 'input.name.family'],
  ])('refuses %s', (_what, name, field) => {
    expect(fieldOf(checkName(name, 'input.name'))).toBe(field);
  });
});

describe('checkBirthDate', () => {
  const today = '2026-11-22';
  test.each([
    ['1900-01-01', null],
    [today, null],
    ['1899-12-31', 'input.birthDate'],
    ['2026-11-23', 'input.birthDate'],
    ['2026-02-30', 'input.birthDate'],
  ])('%s: fault %s', (date, field) => {
    const result = checkBirthDate(date, today, 'input.birthDate');
    expect(fieldOf(result)).toBe(field);
    if (field === null) expect(result).toBe(date);
  });
});

describe('checkSsn', () => {
  test.each([
    ['123456789', '123-45-6789'],
    [' 123-45-6789 ', '123-45-6789'],
    ['', null],
  ])('%j is stored as %j', (typed, stored) => {
    expect(checkSsn(typed, 'input.ssn')).toBe(stored);
  });

  test.each(['12-345-6789', '000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '12345678'])(
    'refuses %s without repeating it',
    (typed) => {
      const result = checkSsn(typed, 'input.ssn');
      expect(fieldOf(result)).toBe('input.ssn');
      expect((result as ValidationError).message).not.toContain(typed);
    },
  );
});

describe('checkPhone', () => {
  test.each([
    ['(555) 123-4567', '555-123-4567'],
    ['1 555 123 4567', '555-123-4567'],
    ['+1 555.123.4567', '555-123-4567'],
    ['+44 20 7946 0958', '+442079460958'],
    ['  ', null],
  ])('%j is stored as %j', (typed, stored) => {
    expect(checkPhone(typed, 'input.phone')).toBe(stored);
  });

  test.each(['555-1234', '155-123-4567', '555-123-45678', 'call me', '+0 123 456 789', '+1234567'])('refuses %s', (typed) => {
    expect(fieldOf(checkPhone(typed, 'input.phone'))).toBe('input.phone');
  });
});

describe('checkEmail', () => {
  test('lower-cases the domain only', () => {
    expect(checkEmail(' Ada.L+clinic@Example.ORG ', 'input.email')).toBe('Ada.L+clinic@example.org');
  });

  test.each([
    'ada',
    'ada@',
    '@example.org',
    'ada@localhost',
    'ada lovelace@example.org',
    'ada@exa_mple.org',
    `${'a'.repeat(65)}@example.org`,
  ])('refuses %s', (typed) => {
    expect(fieldOf(checkEmail(typed, 'input.email'))).toBe('input.email');
  });
});

describe('checkAddress', () => {
  test('drops blank lines, upper-cases US state codes and defaults the country to US', () => {
    expect(
      checkAddress({ line: ['12 Main St', ' ', 'Apt 4'], city: 'Albany', state: 'ny', postalCode: '12207-1234' }, 'input.address'),
    ).toEqual({
      line: ['12 Main St', 'Apt 4'],
      city: 'Albany',
      state: 'NY',
      postalCode: '12207-1234',
      country: 'US',
    });
  });

  test('keeps a foreign postal code and state as typed', () => {
    expect(checkAddress({ line: ['10 Downing St'], city: 'London', postalCode: 'sw1a 2aa', country: 'gb' }, 'input.address')).toEqual({
      line: ['10 Downing St'],
      city: 'London',
      state: null,
      postalCode: 'SW1A 2AA',
      country: 'GB',
    });
  });

  test('is no address when only blanks (or only a country) were given', () => {
    expect(checkAddress({ line: [''], city: ' ', country: 'US' }, 'input.address')).toBeNull();
  });

  test.each([
    ['four lines', { line: ['1', '2', '3', '4'] }, 'input.address.line'],
    ['a line over 100 characters', { line: ['x'.repeat(101)] }, 'input.address.line'],
    ['a control character in the city', { city: 'Al\u0007bany' }, 'input.address.city'],
    ['an unknown US state', { state: 'XX' }, 'input.address.state'],
    ['a malformed ZIP code', { postalCode: '1220' }, 'input.address.postalCode'],
    ['a country that is no ISO code', { city: 'Paris', country: 'France' }, 'input.address.country'],
  ])('refuses %s', (_what, address, field) => {
    expect(fieldOf(checkAddress(address, 'input.address'))).toBe(field);
  });
});
