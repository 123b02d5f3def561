export { createSubgraphBuilder, type SubgraphBuilder, type SubgraphSchemaTypes, type SubgraphTypes } from './builder.js';
export { parseEnvironment } from './config.js';
export { connectionType } from './connection-types.js';
export { accessRecords } from './audit/access-records.js';
export { auditPlugin } from './audit/audit-plugin.js';
export { ERROR_RESULTS_EXTENSION, errorResultCodes, errorResultsPlugin, noteErrorResults } from './audit/error-results.js';
export { AccessControl, type PatientScope } from './auth/access-control.js';
export { PATIENT_OF_EXTENSION, type DataClassExtension, type WritesExtension } from './auth/data-class-plugin.js';
export { auditBase, authorizeChange, changeRecord, type Change, type ChangeContext, type ChangeTarget } from './auth/authorize-change.js';
export {
  WRITE_ACTIONS,
  WRITE_POLICY,
  isWriteAction,
  writeDecision,
  writePolicyProblems,
  writeRule,
  type WriteAction,
  type WriteDecision,
  type WriteGrant,
  type WriteRule,
} from './auth/write-policy.js';
export { DATA_CLASSES, PURPOSES, ROLES, type DataClass, type Identity, type Purpose, type Role } from './auth/identity.js';
export {
  INTERNAL_AUDIENCE,
  INTERNAL_ISSUER,
  InternalTokenError,
  InternalTokenKey,
  signInternalToken,
  verifyInternalToken,
  type InternalClaims,
} from './auth/internal-token.js';
export { POLICY, allowsPurpose, grantedClasses, mayBreakGlass, type RolePolicy } from './auth/policy.js';
export { baseContext, type RequestContext } from './context.js';
export { dateInZone, isIsoDate, parseDateTime } from './dates.js';
export {
  ConflictError,
  ForbiddenError,
  MutationError,
  NotFoundError,
  ValidationError,
  mutationErrorTypes,
  mutationResult,
  type MutationErrorRefs,
} from './mutation-errors.js';
export {
  ERROR_CODES,
  MASKED_MESSAGE,
  badUserInput,
  forbidden,
  isExpectedCode,
  notFound,
  unauthenticated,
  type ErrorCode,
} from './errors.js';
export {
  correlationIdOf,
  listenHttp,
  requestIdOf,
  sendJson,
  MAX_BODY_BYTES,
  type RouteHandler,
  type RunningHttpServer,
} from './http-server.js';
export { isUuid, parseId, uuidsOnly } from './ids.js';
export { alignByKey, byId, defineLoader, groupByKey, groupedBy, LoaderCache } from './loaders.js';
export { createLogger, type LogFields, type LogLevel, type LogSink, type Logger } from './logger.js';
export { formatCents, money, moneyType, parseAmountToCents, type Money } from './money.js';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  pageRequest,
  toConnection,
  type Connection,
  type CursorKey,
  type CursorPart,
  type PageRequest,
} from './pagination.js';
export { stopOnSignals } from './shutdown.js';
export {
  authenticateSubgraphRequest,
  formatErrorFor,
  startDatabaseSubgraph,
  startSubgraphServer,
  type DatabaseSubgraphOptions,
  type RunningSubgraph,
  type SubgraphServerOptions,
} from './subgraph-server.js';
export { logConnectionLost } from './connection-lost.js';
export { logMigrationProgress } from './migration-progress.js';
export { loadSubgraphConfig, pingDatabase, runSubgraphProcess, type SubgraphConfig } from './subgraph-process.js';
export { CODE_SYSTEMS, coding, codingType, type CodingShape } from './coding-type.js';
