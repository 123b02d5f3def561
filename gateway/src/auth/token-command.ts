import { parseArgs } from 'node:util';
import { PURPOSES, ROLES, isUuid, type Purpose, type Role } from '@chartbridge/kit';
import { loadTokenCommandConfig } from '../config.js';
import { loadOrCreateDevSigningKey } from './dev-signing-key.js';
import { issueDevToken } from './dev-token.js';

const USAGE = `usage: pnpm -s token -- --role ROLE [--patient ID] [--partner ID] [--provider ID] [--purpose PURPOSE] [--sub SUBJECT] [--ttl SECONDS]
  ROLE: ${ROLES.join(', ')}
  PURPOSE: ${PURPOSES.join(', ')}`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

// `pnpm -s token`: prints a development token signed with the local key, for trying the API by hand.
const config = loadTokenCommandConfig();
if (config.jwksUrl) fail('A production key is configured (AUTH_JWKS_URL): development tokens are disabled.');
if (config.production) fail('NODE_ENV is production: development tokens are disabled.');

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    role: { type: 'string' },
    patient: { type: 'string' },
    partner: { type: 'string' },
    provider: { type: 'string' },
    purpose: { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '3600' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) fail(`--role is required and must be one of: ${ROLES.join(', ')}\n${USAGE}`);
if (role === 'patient' && !values.patient) fail('--patient ID is required for the patient role');
if (role === 'partner' && !values.partner) fail('--partner ID is required for the partner role');
if (values.patient !== undefined && !isUuid(values.patient)) fail('--patient must be a patient id (a UUID)');
if (values.provider !== undefined && !isUuid(values.provider)) fail('--provider must be a provider id (a UUID)');
const purpose = values.purpose?.toUpperCase() as Purpose | undefined;
if (purpose !== undefined && !PURPOSES.includes(purpose)) fail(`--purpose must be one of: ${PURPOSES.join(', ')}`);
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400) fail('--ttl must be a whole number of seconds from 60 to 86400');

const key = await loadOrCreateDevSigningKey(config.devKeyFile);
const token = await issueDevToken(
  key,
  {
    role,
    ...(values.sub ? { sub: values.sub } : {}),
    ...(values.patient ? { patient: values.patient } : {}),
    ...(values.partner ? { partner: values.partner } : {}),
    ...(values.provider ? { provider: values.provider } : {}),
    ...(purpose ? { purpose } : {}),
  },
  { issuer: config.issuer, audience: config.audience, ttlSeconds: ttl },
);
console.log(token);
