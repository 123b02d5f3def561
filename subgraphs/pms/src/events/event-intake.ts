import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PmsDatabase } from '@chartbridge/db';
import {
  MAX_BODY_BYTES,
  sendJson,
  verifyInternalToken,
  type Identity,
  type InternalTokenKey,
  type Logger,
  type RouteHandler,
} from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import { captureCharges, UnusableEventError } from '../services/charge-capture.service.js';
import { ENCOUNTER_DOCUMENTED, encounterDocumentedV1, eventEnvelope } from './encounter-documented.js';

/**
 * The one caller of the intake: the EHR's outbox relay, with a token signed by the internal secret
 * for this service identity. Any other identity, even one the gateway signed for a real
 * administrator, is refused: the gateway never routes here, and no user delivers events.
 */
export const RELAY_IDENTITY = { subject: 'ehr-outbox-relay', role: 'admin', purpose: 'OPERATIONS' } as const;

export interface EventIntakeOptions {
  readonly db: Kysely<PmsDatabase>;
  readonly internalKey: InternalTokenKey;
  readonly logger: Logger;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The relay's identity from its token, or null for anything else. */
async function relayIdentity(req: IncomingMessage, key: InternalTokenKey): Promise<Identity | null> {
  const token = bearerToken(req);
  if (!token) return null;
  try {
    const { identity } = await verifyInternalToken(key, token);
    const matches =
      identity.subject === RELAY_IDENTITY.subject && identity.role === RELAY_IDENTITY.role && identity.purpose === RELAY_IDENTITY.purpose;
    return matches ? identity : null;
  } catch {
    return null;
  }
}

/** Reads a JSON body of at most 1 MiB: 413 when larger, 400 when not JSON. */
async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413 }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413 };
    chunks.push(buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400 };
  }
}

const refusal = (code: string, message: string) => ({ error: { code, message } });

/**
 * `POST /events`: the PMS's intake of the EHR's outbox events (at least once, so idempotent by
 * event id). Answers 200 with the outcome (`applied`, `duplicate`, `stale`, `claim_not_draft`)
 * once the event is recorded, 401 without the relay's token, 400/413 for an unreadable body, 422
 * for an event the PMS cannot apply (the relay retries it, then keeps it as a dead letter), and 500
 * when the PMS failed (retried). Error bodies carry a code and a message that name no data.
 */
export function eventIntakeRoute(options: EventIntakeOptions): RouteHandler {
  const { db, internalKey, logger } = options;
  return async (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, refusal('METHOD_NOT_ALLOWED', 'POST an event'));
    }
    const actor = await relayIdentity(req, internalKey);
    if (!actor) {
      logger.warn('events.refused', { requestId, code: 'UNAUTHENTICATED' });
      return sendJson(res, 401, refusal('UNAUTHENTICATED', 'This endpoint answers only the EHR outbox relay'));
    }
    const body = await readJson(req);
    if (!body.ok) {
      if (body.status === 413) res.setHeader('connection', 'close');
      return sendJson(
        res,
        body.status,
        refusal('BAD_REQUEST', body.status === 413 ? 'Request body too large' : 'Request body is not valid JSON'),
      );
    }
    const envelope = eventEnvelope.safeParse(body.value);
    if (!envelope.success) return sendJson(res, 422, refusal('BAD_EVENT', 'The event envelope is malformed'));
    const event = envelope.data;
    if (event.type !== ENCOUNTER_DOCUMENTED)
      return sendJson(res, 422, refusal('UNKNOWN_EVENT_TYPE', `The PMS does not consume ${event.type} events`));
    const payload = encounterDocumentedV1.safeParse(event.payload);
    if (!payload.success) return sendJson(res, 422, refusal('BAD_EVENT', `The ${event.type} payload is malformed`));
    if (payload.data.encounterId !== event.aggregateId)
      return sendJson(res, 422, refusal('BAD_EVENT', "The payload's encounter is not the event's aggregate"));
    try {
      const result = await captureCharges(db, actor, requestId, {
        id: event.id,
        type: event.type,
        occurredAt: event.occurredAt,
        payload: payload.data,
      });
      logger.info('events.received', { requestId, code: result.outcome });
      sendJson(res, 200, { eventId: event.id, ...result });
    } catch (error) {
      if (!(error instanceof UnusableEventError)) throw error;
      logger.warn('events.refused', { requestId, code: 'UNUSABLE_EVENT' });
      sendJson(res, 422, refusal('UNUSABLE_EVENT', error.message));
    }
  };
}
