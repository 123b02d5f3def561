import { Kind, type ValueNode } from 'graphql';
import type { BaseBuilder } from './builder.js';
import { badUserInput } from './errors.js';
import { isIsoDate, parseDateTime } from './dates.js';

function stringLiteral(node: ValueNode, scalar: string): string {
  if (node.kind !== Kind.STRING) throw badUserInput(`${scalar} must be a string`, scalar);
  return node.value;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw badUserInput('Date must be a calendar date written YYYY-MM-DD', 'Date');
  return value;
}

function parseInstant(value: unknown): Date {
  const parsed = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (!parsed) throw badUserInput('DateTime must be an RFC 3339 date-time with a time zone', 'DateTime');
  return parsed;
}

/**
 * `Date`: a calendar date (`YYYY-MM-DD`) such as a date of service or of birth, with no time zone.
 * `DateTime`: an instant, written in RFC 3339 with its offset, such as the time a note was signed.
 */
export function addScalars(builder: BaseBuilder): void {
  builder.scalarType('Date', {
    description: 'A calendar date, YYYY-MM-DD, with no time zone (dates of service, birth dates).',
    serialize: (value) => parseDate(value),
    parseValue: (value) => parseDate(value),
    parseLiteral: (node) => parseDate(stringLiteral(node, 'Date')),
  });
  builder.scalarType('DateTime', {
    description: 'An instant in RFC 3339 form with its offset, e.g. 2026-11-20T14:05:00.000Z.',
    serialize: (value) => (value instanceof Date ? value : parseInstant(value)).toISOString(),
    parseValue: (value) => parseInstant(value),
    parseLiteral: (node) => parseInstant(stringLiteral(node, 'DateTime')),
  });
}
