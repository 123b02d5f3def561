import { createLogger, stopOnSignals } from '@chartbridge/kit';
import { readSupergraphSdl } from '@chartbridge/schema';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway-server.js';

// `pnpm start:gateway`: the gateway as its own process, in front of subgraphs at PMS_URL and EHR_URL.
const config = loadGatewayConfig();
const logger = createLogger('gateway', config.logLevel);
const gateway = await startGateway({
  supergraphSdl: readSupergraphSdl(),
  subgraphUrls: { pms: config.pmsUrl, ehr: config.ehrUrl },
  port: config.port,
  host: config.host,
  logger,
  subgraphTimeoutMs: config.subgraphTimeoutMs,
});
stopOnSignals(() => gateway.stop(), logger);
