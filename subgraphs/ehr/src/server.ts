import type { Database, EhrDatabase } from '@chartbridge/db';
import { startDatabaseSubgraph, type DatabaseSubgraphOptions, type RunningSubgraph } from '@chartbridge/kit';
import { loadOutboxRelayConfig, type OutboxRelayConfig } from './config.js';
import { PmsDirectory } from './data/pms-directory.js';
import { OutboxRelay, type RelayPass } from './events/outbox-relay.js';
import { intakeUrlOf } from './rules/outbox-delivery.js';
import { ehrSchema } from './schema/index.js';

export interface EhrSubgraphOptions extends DatabaseSubgraphOptions<EhrDatabase> {
  /** The PMS subgraph's GraphQL URL, where the EHR looks encounters, patients and providers up; the outbox goes to `/events` beside it. */
  readonly pmsUrl: string;
  /** The outbox relay's settings; OUTBOX_POLL_MS and OUTBOX_MAX_ATTEMPTS (defaults 1000 and 8) when absent. */
  readonly outboxRelay?: Partial<OutboxRelayConfig>;
  /** A connection of the relay's own (its polling then never mixes with request traffic); the subgraph's when absent. */
  readonly relayDatabase?: Database<EhrDatabase>;
}

export interface RunningEhrSubgraph extends RunningSubgraph {
  /** Delivers the due outbox events now (after any delivery pass in progress). */
  relayOutboxOnce(): Promise<RelayPass>;
}

/** Starts the EHR subgraph's HTTP server on the given database, and its outbox relay to the PMS. */
export async function startEhrSubgraph(options: EhrSubgraphOptions): Promise<RunningEhrSubgraph> {
  const { outboxRelay, pmsUrl, relayDatabase, ...rest } = options;
  const pms = new PmsDirectory(pmsUrl);
  const relay = new OutboxRelay({
    ...loadOutboxRelayConfig(),
    ...outboxRelay,
    db: (relayDatabase ?? rest.database).db,
    intakeUrl: intakeUrlOf(pmsUrl),
    internalKey: rest.internalKey,
    logger: rest.logger,
  });
  const subgraph = await startDatabaseSubgraph('ehr', ehrSchema(), { ...rest, extendContext: () => ({ pms }) });
  relay.start();
  return {
    ...subgraph,
    relayOutboxOnce: () => relay.runOnce(),
    async stop() {
      await relay.stop();
      await subgraph.stop();
    },
  };
}
