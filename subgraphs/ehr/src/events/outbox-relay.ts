import type { EhrDatabase } from '@chartbridge/db';
import { signInternalToken, type Identity, type InternalTokenKey, type Logger } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import { claimDueEvents, markFailed, markPublished, type ClaimedEvent } from '../data/outbox-delivery.repository.js';
import { failureText, isExhausted, retryDelayMs } from '../rules/outbox-delivery.js';

/** The relay's service identity: the PMS's intake accepts this one and no other. */
export const RELAY_IDENTITY: Identity = Object.freeze({
  subject: 'ehr-outbox-relay',
  role: 'admin',
  scopes: [],
  patientId: null,
  partnerId: null,
  providerId: null,
  purpose: 'OPERATIONS',
  breakGlassReason: null,
  client: 'ehr-outbox-relay',
});

export const DEFAULT_POLL_MS = 1_000;
export const DEFAULT_MAX_ATTEMPTS = 8;
export const BATCH_SIZE = 50;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * How long claimed events stay out of other relays' polls while this one delivers them. A batch
 * slower than this may be delivered twice, which the PMS's inbox absorbs; a relay that dies leaves
 * its events for this long.
 */
const LEASE_MS = 2 * 60_000;

export interface OutboxRelayOptions {
  readonly db: Kysely<EhrDatabase>;
  /** The PMS's `POST /events` URL. */
  readonly intakeUrl: string;
  /** The internal secret, which signs the relay's token. */
  readonly internalKey: InternalTokenKey;
  readonly logger: Logger;
  /** Milliseconds between polls (OUTBOX_POLL_MS, default 1000); 0 runs no loop, only {@link OutboxRelay.runOnce}. */
  readonly pollMs?: number;
  /** Failed attempts before an event becomes a dead letter (OUTBOX_MAX_ATTEMPTS, default 8). */
  readonly maxAttempts?: number;
  /** The backoff's jitter source, [0, 1); tests fix it. */
  readonly random?: () => number;
}

/** What one pass did. */
export interface RelayPass {
  readonly claimed: number;
  readonly published: number;
  readonly failed: number;
  /** Of the failed, how many became dead letters. */
  readonly dead: number;
}

type Delivery = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Delivers the EHR's outbox to the PMS, at least once: polls for due events in batches, POSTs each
 * to the PMS's intake with a token of its own service identity, marks it published on a 2xx, and
 * otherwise counts the attempt and retries it with exponential backoff and jitter until it has
 * failed `maxAttempts` times, when it becomes a dead letter for an administrator to requeue. Events
 * of one batch go oldest first; the PMS also ignores an event older than the one its claim was
 * built from, so a late retry never undoes an amendment.
 *
 * Runs inside the EHR process: {@link start} with the subgraph, {@link stop} before it stops.
 * Passes never overlap within one relay (the loop's and {@link runOnce}'s are queued), and relays
 * of several replicas skip each other's claimed rows.
 */
export class OutboxRelay {
  readonly #options: OutboxRelayOptions;
  readonly #pollMs: number;
  readonly #maxAttempts: number;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(options: OutboxRelayOptions) {
    this.#options = options;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.#pollMs) || this.#pollMs < 0)
      throw new RangeError('pollMs must be a whole number of milliseconds, 0 or more');
    if (!Number.isInteger(this.#maxAttempts) || this.#maxAttempts < 1) throw new RangeError('maxAttempts must be 1 or more');
  }

  /** Starts polling every `pollMs` (nothing when it is 0). */
  start(): void {
    if (this.#running || this.#pollMs === 0) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** Stops polling and waits for a pass in progress to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queue.catch(() => undefined);
  }

  /** Runs one pass now, after any pass in progress: what tests and operators call. */
  runOnce(): Promise<RelayPass> {
    const pass = this.#queue.catch(() => undefined).then(() => this.#pass());
    this.#queue = pass;
    return pass;
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.runOnce().then(
        // A full batch means more are probably due: go on at once.
        (pass) => this.#schedule(pass.claimed === BATCH_SIZE ? 0 : this.#pollMs),
        (error: unknown) => {
          this.#options.logger.error('outbox.relay_failed', { errorName: error instanceof Error ? error.name : 'unknown' });
          this.#schedule(this.#pollMs);
        },
      );
    }, delayMs);
    this.#timer.unref();
  }

  async #pass(): Promise<RelayPass> {
    const { db, logger } = this.#options;
    const events = await claimDueEvents(db, BATCH_SIZE, LEASE_MS);
    let published = 0;
    let failed = 0;
    let dead = 0;
    for (const event of events) {
      const attempts = event.attempts + 1;
      // The event id and attempt thread the relay's log line, the PMS's and its audit record together.
      const requestId = `outbox:${event.id}:${attempts}`;
      const delivery = await this.#deliver(event, requestId);
      if (delivery.ok) {
        await markPublished(db, event.id);
        published += 1;
        logger.info('outbox.published', { requestId, code: event.event_type });
        continue;
      }
      const exhausted = isExhausted(attempts, this.#maxAttempts);
      const retryInMs = exhausted ? null : retryDelayMs(attempts, this.#options.random);
      await markFailed(db, event.id, { attempts, error: delivery.error, retryInMs });
      failed += 1;
      if (exhausted) dead += 1;
      logger.warn(exhausted ? 'outbox.dead_letter' : 'outbox.retry', {
        requestId,
        code: delivery.error,
        ...(retryInMs === null ? {} : { ms: retryInMs }),
      });
    }
    return { claimed: events.length, published, failed, dead };
  }

  async #deliver(event: ClaimedEvent, requestId: string): Promise<Delivery> {
    const { intakeUrl, internalKey } = this.#options;
    try {
      const token = await signInternalToken(internalKey, RELAY_IDENTITY, requestId);
      const res = await fetch(intakeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
        body: JSON.stringify({
          id: event.id,
          type: event.event_type,
          aggregateId: event.aggregate_id,
          occurredAt: new Date(event.created_at).toISOString(),
          payload: event.payload,
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (res.ok) {
        await res.body?.cancel();
        return { ok: true };
      }
      const body = (await res.json().catch(() => null)) as { error?: { code?: unknown } } | null;
      return { ok: false, error: failureText({ status: res.status, code: body?.error?.code }) };
    } catch (error) {
      return { ok: false, error: failureText({ networkCode: networkCode(error) }) };
    }
  }
}

/** The code of a failed fetch: the socket's (`ECONNREFUSED`), or the abort's (`TimeoutError`). */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'NETWORK_ERROR';
}
