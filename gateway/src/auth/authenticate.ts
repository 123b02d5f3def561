import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { PURPOSES, POLICY, allowsPurpose, mayBreakGlass, unauthenticated, type Identity, type Purpose } from '@chartbridge/kit';
import { TokenRejectedError, type TokenVerifier } from './token-verifier.js';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

function refused(message: string, code: 'FORBIDDEN' | 'BAD_USER_INPUT', status: number, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}), http: { status } } });
}

/** Why authentication failed, for the audit record of the refused request. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    readonly reason: string,
    readonly graphqlError: GraphQLError,
  ) {
    super(graphqlError.message);
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;
const CLIENT_NAME = /^[A-Za-z0-9._ -]{1,64}$/;

/**
 * Establishes who is calling: the bearer token (401 `UNAUTHENTICATED` when missing or invalid), the
 * purpose of use (`X-Purpose-Of-Use`, else the token's, else the role's default; a token that names a
 * purpose binds it; 403 `FORBIDDEN` when the role may not act under it), and a break-the-glass reason
 * (`X-Break-Glass-Reason`, 10 to 500 characters, only for roles that may break the glass).
 */
export async function authenticateRequest(req: IncomingMessage, verify: TokenVerifier): Promise<Identity> {
  const match = BEARER.exec(header(req, 'authorization') ?? '');
  if (!match?.[1]) throw new AuthenticationError('missing_token', unauthenticated('A bearer token is required'));
  let claims;
  try {
    claims = await verify(match[1]);
  } catch (error) {
    const reason = error instanceof TokenRejectedError ? error.reason : 'ERR_TOKEN_INVALID';
    throw new AuthenticationError(reason, unauthenticated('The bearer token is not valid'));
  }

  const asked = header(req, 'x-purpose-of-use')?.toUpperCase();
  if (asked !== undefined && !(PURPOSES as readonly string[]).includes(asked)) {
    throw new AuthenticationError(
      'bad_purpose',
      refused(`X-Purpose-Of-Use must be one of ${PURPOSES.join(', ')}`, 'BAD_USER_INPUT', 400, 'X-Purpose-Of-Use'),
    );
  }
  if (asked !== undefined && claims.purpose !== null && asked !== claims.purpose) {
    throw new AuthenticationError('purpose_mismatch', refused(`This token is limited to ${claims.purpose}`, 'FORBIDDEN', 403));
  }
  const purpose = (asked as Purpose | undefined) ?? claims.purpose ?? POLICY[claims.role].purposes[0];
  if (!allowsPurpose(claims.role, purpose)) {
    throw new AuthenticationError('purpose_not_allowed', refused(`The ${claims.role} role may not act for ${purpose}`, 'FORBIDDEN', 403));
  }

  const breakGlassReason = header(req, 'x-break-glass-reason') ?? null;
  if (breakGlassReason !== null) {
    if (!mayBreakGlass(claims.role)) {
      throw new AuthenticationError(
        'break_glass_not_allowed',
        refused(`The ${claims.role} role may not break the glass`, 'FORBIDDEN', 403),
      );
    }
    if (breakGlassReason.length < 10 || breakGlassReason.length > 500) {
      throw new AuthenticationError(
        'bad_break_glass_reason',
        refused('X-Break-Glass-Reason must state the emergency in 10 to 500 characters', 'BAD_USER_INPUT', 400, 'X-Break-Glass-Reason'),
      );
    }
  }
  const client = header(req, 'x-client-name');
  return {
    subject: claims.subject,
    role: claims.role,
    scopes: claims.scopes,
    patientId: claims.patientId,
    partnerId: claims.partnerId,
    providerId: claims.providerId,
    purpose,
    breakGlassReason,
    client: client !== undefined && CLIENT_NAME.test(client) ? client : null,
  };
}
