export { loadEhrConfig, loadOutboxRelayConfig, type EhrConfig, type OutboxRelayConfig } from './config.js';
export type { EhrContext } from './context.js';
export { OutboxRelay, RELAY_IDENTITY, type OutboxRelayOptions, type RelayPass } from './events/outbox-relay.js';
export { ehrSchema } from './schema/index.js';
export { startEhrSubgraph, type EhrSubgraphOptions, type RunningEhrSubgraph } from './server.js';
