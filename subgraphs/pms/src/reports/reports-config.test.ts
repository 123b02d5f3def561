import { describe, expect, test } from 'vitest';
import { parseReportsConfig } from '../config.js';

const KEY = Buffer.alloc(32, 9).toString('base64');

describe('parseReportsConfig', () => {
  test('outside production, without a key, uses the development key file', () => {
    expect(parseReportsConfig({ NODE_ENV: 'development' })).toMatchObject({
      ok: true,
      config: { databaseUrl: undefined, pseudonymKey: { kind: 'development' } },
    });
  });

  test('in production, refuses to start without a key', () => {
    expect(parseReportsConfig({ NODE_ENV: 'production' })).toEqual({
      ok: false,
      problems: ['REPORTS_PSEUDONYM_KEY: is required when NODE_ENV=production'],
    });
  });

  test('an empty variable counts as unset', () => {
    expect(parseReportsConfig({ NODE_ENV: 'production', REPORTS_PSEUDONYM_KEY: ' ', REPORTS_DATABASE_URL: '' })).toMatchObject({
      ok: false,
    });
  });

  test('caps a report statement at 15 s unless REPORTS_STATEMENT_TIMEOUT_MS says otherwise', () => {
    expect(parseReportsConfig({ NODE_ENV: 'test' })).toMatchObject({ ok: true, config: { statementTimeoutMs: 15_000 } });
    expect(parseReportsConfig({ NODE_ENV: 'test', REPORTS_STATEMENT_TIMEOUT_MS: '60000' })).toMatchObject({
      ok: true,
      config: { statementTimeoutMs: 60_000 },
    });
  });

  test('takes a configured key and a replica URL', () => {
    const result = parseReportsConfig({
      NODE_ENV: 'production',
      REPORTS_PSEUDONYM_KEY: KEY,
      REPORTS_DATABASE_URL: 'postgres://replica:5432/chartbridge',
    });
    expect(result).toMatchObject({
      ok: true,
      config: { databaseUrl: 'postgres://replica:5432/chartbridge', pseudonymKey: { kind: 'configured' } },
    });
  });

  test.each([
    ['a short key', { REPORTS_PSEUDONYM_KEY: 'c2hvcnQ=' }, 'REPORTS_PSEUDONYM_KEY'],
    ['a malformed URL', { REPORTS_DATABASE_URL: 'not a url' }, 'REPORTS_DATABASE_URL'],
    ['a statement limit under a second', { REPORTS_STATEMENT_TIMEOUT_MS: '999' }, 'REPORTS_STATEMENT_TIMEOUT_MS'],
    ['a statement limit that is no number', { REPORTS_STATEMENT_TIMEOUT_MS: 'soon' }, 'REPORTS_STATEMENT_TIMEOUT_MS'],
  ])('reports %s by its variable, never its value', (_case, env, variable) => {
    const result = parseReportsConfig({ NODE_ENV: 'test', ...env });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
    for (const value of Object.values(env)) expect(problems.join(' ')).not.toContain(value);
  });
});
