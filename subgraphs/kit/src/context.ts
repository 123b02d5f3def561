import type { AccessControl } from './auth/access-control.js';
import { LoaderCache } from './loaders.js';

/** What every subgraph request carries; each subgraph extends it with its own database handle. */
export interface RequestContext {
  /** The gateway's request id (`X-Request-Id`), the thread that ties logs and audit rows together. */
  readonly requestId: string;
  readonly loaders: LoaderCache;
  /** The verified caller and what this request may see; records what it was shown. */
  readonly access: AccessControl;
  /**
   * The gateway-signed token this request came with, for a call this subgraph makes to another on
   * the same caller's behalf (the other applies its own policy and audit to it). Short-lived.
   */
  readonly internalToken: string;
}

export function baseContext(requestId: string, access: AccessControl, internalToken = ''): RequestContext {
  return { requestId, loaders: new LoaderCache(), access, internalToken };
}
