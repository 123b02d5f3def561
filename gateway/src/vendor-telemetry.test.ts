import { describe, expect, it } from 'vitest';
import { disableVendorTelemetry } from './config.js';

describe("the gateway package's own telemetry", () => {
  it('is off unless the operator chose otherwise', () => {
    const unset: NodeJS.ProcessEnv = {};
    disableVendorTelemetry(unset);
    expect(unset['APOLLO_TELEMETRY_DISABLED']).toBe('true');
    const chosen: NodeJS.ProcessEnv = { APOLLO_TELEMETRY_DISABLED: 'false' };
    disableVendorTelemetry(chosen);
    expect(chosen['APOLLO_TELEMETRY_DISABLED']).toBe('false');
  });
});
