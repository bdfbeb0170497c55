import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes.js';

/**
 * One readiness probe against a Temporal frontend: connects, asks for system info and,
 * for a dev server, checks the namespace exists with the project's search attributes
 * registered. Resolves true when ready; throws (the poller retries) otherwise.
 */
export async function probeTemporal(address: string, opts: { namespace?: string } = {}): Promise<true> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.getSystemInfo({});
    if (opts.namespace) {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: opts.namespace });
      const missing = SEARCH_ATTRIBUTE_KEYS.map((k) => k.name).filter((n) => !customAttributes?.[n]);
      if (missing.length) throw new Error(`search attributes not registered yet: ${missing.join(', ')}`);
    }
    return true;
  } finally {
    await connection.close();
  }
}

/** One probe of the Web UI: resolves true on HTTP 200 from `/`. */
export async function probeUi(url: string): Promise<true | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return res.status === 200 ? true : undefined;
}
