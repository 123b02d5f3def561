export { loadAllInOneConfig, loadGatewayConfig, type AllInOneConfig, type GatewayConfig } from './config.js';
export { startGateway, type GatewayContext, type GatewayOptions, type RunningGateway } from './gateway-server.js';
export { startPlatform, type PlatformOptions, type RunningPlatform } from './platform.js';
export { generateDevSigningKey, loadOrCreateDevSigningKey, type DevSigningKey } from './auth/dev-signing-key.js';
export { issueDevToken, type DevTokenClaims } from './auth/dev-token.js';
export { TokenRejectedError, createTokenVerifier, type TokenVerifier, type VerifiedClaims } from './auth/token-verifier.js';
