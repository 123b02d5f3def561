import { describe, expect, test } from 'vitest';
import { REPORT_DOWNLOADS, downloadQuery, downloadVariables } from './report-download.js';

const download = (kind: string) => {
  const found = REPORT_DOWNLOADS[kind];
  if (!found) throw new Error(`no download ${kind}`);
  return found;
};

describe('downloadQuery', () => {
  test("passes every parameter to the report's field as a variable, under its operation name", () => {
    expect(downloadQuery(download('kpis'))).toBe(
      'query RevenueCycleKpisCsv($from: Date, $to: Date, $payerId: ID, $providerId: ID, $locationId: ID) { revenueCycle { kpis(from: $from, to: $to, payerId: $payerId, providerId: $providerId, locationId: $locationId) { csv } } }',
    );
  });

  test('passes page parameters to the nested list, not the report', () => {
    expect(downloadQuery(download('compliance'))).toMatch(
      /complianceReport\(from: \$from, to: \$to, rule: \$rule, payerId: \$payerId, providerId: \$providerId, locationId: \$locationId\) \{ findings\(first: \$first, after: \$after\)/,
    );
  });

  test('makes a required argument non-null', () => {
    expect(downloadQuery(download('trend'))).toContain('$kpi: RevenueCycleKpi!');
  });
});

describe('downloadVariables', () => {
  test('types the query string: enums in upper case, numbers, booleans', () => {
    expect(downloadVariables(download('claims'), new URLSearchParams('asOf=2026-03-31&inAr=true&agingBucket=days_31_60&first=50'))).toEqual(
      {
        asOf: '2026-03-31',
        inAr: true,
        agingBucket: 'DAYS_31_60',
        first: 50,
      },
    );
  });

  test.each([
    ['an unknown parameter', 'kpis', 'from=2026-01-01&patient=1', 'patient'],
    ['a repeated parameter', 'kpis', 'from=2026-01-01&from=2026-02-01', 'from'],
    ['a first that is no number', 'claims', 'asOf=2026-01-01&first=ten', 'first'],
    ['a boolean that is neither', 'claims', 'asOf=2026-01-01&inAr=yes', 'inAr'],
    ['a missing required argument', 'trend', 'from=2026-01-01&to=2026-01-31', 'kpi'],
  ])('refuses %s, naming it', (_case, kind, query, field) => {
    expect(() => downloadVariables(download(kind), new URLSearchParams(query))).toThrow(expect.objectContaining({ field }));
  });
});
