import { describe, expect, test } from 'vitest';
import { createLogger, type LogFields, type LogLevel } from './logger.js';

/** A logger whose lines are captured, parsed, for one test. */
function capture(level: LogLevel, service = 'pms') {
  const lines: string[] = [];
  const logger = createLogger(service, level, (line) => lines.push(line));
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the logger', () => {
  test('writes one JSON object per call: ISO time, the level by name, service, event and the fields', () => {
    const { logger, lines, parsed } = capture('debug');
    logger.info('request', { requestId: 'r-1', method: 'POST', path: '/graphql', status: 200, ms: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/\n/);
    expect(parsed()[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      level: 'info',
      service: 'pms',
      event: 'request',
      requestId: 'r-1',
      method: 'POST',
      path: '/graphql',
      status: 200,
      ms: 12,
    });
  });

  test('lets a line name the service it is about, once', () => {
    const { logger, lines, parsed } = capture('debug', 'gateway');
    logger.warn('subgraph.unavailable', { service: 'ehr' });
    expect(lines[0]?.match(/"service"/g)).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({ level: 'warn', service: 'ehr', event: 'subgraph.unavailable' });
  });

  test.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('at %s writes only %j', (level, written) => {
    const { logger, parsed } = capture(level);
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(parsed().map((line) => line['level'])).toEqual(written);
  });

  test('redacts PHI and secrets that reach it through an unchecked cast, at the top level and one level down', () => {
    const { logger, lines, parsed } = capture('debug');
    const smuggled = {
      requestId: 'r-2',
      name: 'Ada Lovelace',
      birthDate: '1815-12-10',
      email: 'ada@example.test',
      phone: '+1 555 0100',
      mrn: 'CB00000042',
      variables: { id: 'c0ffee00-0000-4000-8000-000000000000' },
      query: '{ patients(search: "Lovelace") { edges { node { id } } } }',
      headers: { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln', 'x-break-glass-reason': 'Unconscious patient' },
      req: { headers: { cookie: 'session=abc' }, body: '{"query":"{ patient }"}', address: '1 Main St' },
    } as unknown as LogFields;
    logger.error('oops', smuggled);
    expect(parsed()[0]).toEqual({
      time: expect.any(String),
      level: 'error',
      service: 'pms',
      event: 'oops',
      requestId: 'r-2',
      name: '[REDACTED]',
      birthDate: '[REDACTED]',
      email: '[REDACTED]',
      phone: '[REDACTED]',
      mrn: '[REDACTED]',
      variables: '[REDACTED]',
      query: '[REDACTED]',
      headers: '[REDACTED]',
      req: { headers: '[REDACTED]', body: '[REDACTED]', address: '[REDACTED]' },
    });
    expect(lines[0]).not.toMatch(/Lovelace|1815|ada@|0100|CB0000|c0ffee|eyJ|Unconscious|session=|Main St/);
  });
});
