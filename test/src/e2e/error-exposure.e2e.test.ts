import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// What a caller the subgraphs do not know learns by calling them directly, in the development mode
// (not production) where nothing is masked: no stack trace, no file path, no package version, no
// landing page. The gateway is the one public endpoint; it alone serves Apollo's landing page.

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 5, seed: 11, production: false });
});

afterAll(async () => {
  await platform?.stop();
});

/** What would tell an attacker about the code and its dependencies. */
const REVEALING = [
  /stacktrace/i,
  /\bat [\w.<>]+ \(/, // a stack frame
  /\/(?:work|home|usr|app|src)\//, // an absolute path
  /node_modules/,
  /\.ts:\d+/,
  /@apollo\/server@|@\d+\.\d+\.\d+/, // a package and its version
  /apollo-server-landing-page|embeddable-sandbox|<html/i,
];

function expectNothingRevealed(body: string): void {
  for (const pattern of REVEALING) expect(body).not.toMatch(pattern);
}

type Subgraph = 'pms' | 'ehr';
const SUBGRAPHS: readonly Subgraph[] = ['pms', 'ehr'];
const urlOf = (subgraph: Subgraph) => (subgraph === 'pms' ? platform.pmsUrl : platform.ehrUrl);

describe('a direct call to a subgraph, unauthenticated, outside production', () => {
  test.each(SUBGRAPHS)('a POST to the %s subgraph is 401 with no stack trace, path or version', async (subgraph) => {
    const res = await fetch(urlOf(subgraph), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const body = await res.text();
    expect(res.status).toBe(401);
    expect(JSON.parse(body)).toEqual({
      errors: [{ message: 'This service answers only the ChartBridge gateway', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expectNothingRevealed(body);
  });

  test.each(SUBGRAPHS)('a malformed POST to the %s subgraph reveals nothing either', async (subgraph) => {
    for (const body of ['{"query":', JSON.stringify({ query: '{ __typename' }), JSON.stringify({ nothing: true })]) {
      const res = await fetch(urlOf(subgraph), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectNothingRevealed(await res.text());
    }
  });

  test.each(SUBGRAPHS)('a GET to the %s subgraph reveals nothing', async (subgraph) => {
    for (const search of ['', '?query=%7B__typename%7D']) {
      const res = await fetch(`${urlOf(subgraph)}${search}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectNothingRevealed(await res.text());
    }
  });

  test.each(SUBGRAPHS)('a browser (accept: text/html) gets no landing page from the %s subgraph', async (subgraph) => {
    const res = await fetch(urlOf(subgraph), { headers: { accept: 'text/html' } });
    const body = await res.text();
    expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectNothingRevealed(body);
  });

  test('the gateway still serves its landing page to a browser', async () => {
    const res = await fetch(platform.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  test('an unauthenticated call to the gateway has no stack trace either', async () => {
    const res = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toMatch(/stacktrace|node_modules|\bat [\w.<>]+ \(/);
  });
});
