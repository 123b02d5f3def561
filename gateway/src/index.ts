export { loadAllInOneConfig, loadGatewayConfig, type AllInOneConfig, type GatewayConfig } from './config.js';
export { startGateway, type GatewayContext, type GatewayOptions, type RunningGateway } from './gateway-server.js';
export { startPlatform, type PlatformOptions, type RunningPlatform } from './platform.js';
