import { LoaderCache } from './loaders.js';

/** What every subgraph request carries; each subgraph extends it with its own database handle. */
export interface RequestContext {
  /** The gateway's request id (`X-Request-Id`), the thread that ties logs and audit rows together. */
  readonly requestId: string;
  readonly loaders: LoaderCache;
}

export function baseContext(requestId: string): RequestContext {
  return { requestId, loaders: new LoaderCache() };
}
