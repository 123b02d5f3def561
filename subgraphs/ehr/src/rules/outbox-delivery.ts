// The outbox relay's pure rules: when to retry a failed delivery, when to give up, and where the
// PMS's intake is. No clock, no network.

/** The first retry waits about a second... */
export const BASE_RETRY_MS = 1_000;
/** ...each later one twice as long, up to five minutes. */
export const MAX_RETRY_MS = 5 * 60_000;

/**
 * How long to wait before the next attempt after `attempts` failed ones (1 or more): exponential
 * backoff (1 s, 2 s, 4 s, ... capped at 5 min) with "equal jitter", half fixed and half random, so
 * that relays retrying after one PMS outage do not all come back in the same instant while each
 * still waits at least half its step. `random` returns [0, 1).
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_RETRY_MS, BASE_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Whether an event that has now failed `attempts` times is a dead letter. */
export function isExhausted(attempts: number, maxAttempts: number): boolean {
  return attempts >= maxAttempts;
}

/**
 * The PMS's event intake from its GraphQL URL: the same server, `/events` in place of the final
 * `/graphql` (or appended when the URL has no such segment). Query and fragment are dropped.
 */
export function intakeUrlOf(pmsGraphqlUrl: string): string {
  const url = new URL(pmsGraphqlUrl);
  url.pathname = /\/graphql\/?$/.test(url.pathname)
    ? url.pathname.replace(/\/graphql\/?$/, '/events')
    : `${url.pathname.replace(/\/$/, '')}/events`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * The failure text kept on an outbox row: the HTTP status and the intake's error code, or the
 * network error's code. Never a response body or a message, which could echo event content.
 */
export function failureText(failure: { readonly status: number; readonly code?: unknown } | { readonly networkCode: string }): string {
  if ('networkCode' in failure) return /^[A-Za-z_]{1,40}$/.test(failure.networkCode) ? failure.networkCode : 'NETWORK_ERROR';
  const code = typeof failure.code === 'string' && /^[A-Z_]{1,40}$/.test(failure.code) ? ` ${failure.code}` : '';
  return `HTTP ${failure.status}${code}`;
}
